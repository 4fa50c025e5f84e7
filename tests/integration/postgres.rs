//! The store and the service on PostgreSQL: a private cluster per test (initdb and pg_ctl
//! in a temp dir, on a free loopback port), the same behaviour as on SQLite, and workers on
//! several connections never taking the same job. Without PostgreSQL installed the tests
//! say loudly that they were skipped; under CI=true they fail instead.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use judge::service::store::{NewSubmission, Role, Store};

use crate::serve::{
    add_user_with, finished, post, slow_ac, source, submission, Server, T_VALUE_AC,
};

/// A PostgreSQL cluster of one test's, stopped when dropped.
struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
}

impl Cluster {
    /// A new cluster, or None (with a loud note) where PostgreSQL is not installed.
    fn start() -> Option<Cluster> {
        let bin = std::fs::read_dir("/usr/lib/postgresql").ok().and_then(|d| {
            d.flatten()
                .map(|e| e.path().join("bin"))
                .find(|b| b.join("initdb").is_file())
        });
        let Some(bin) = bin else {
            assert!(
                std::env::var_os("CI").is_none_or(|v| v != "true"),
                "PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb), and CI=true requires it"
            );
            eprintln!("SKIPPED: PostgreSQL is not installed (apt-get install postgresql); the PostgreSQL tests did not run");
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let cluster = Cluster { dir, bin, port };
        // initdb refuses to run as root: the package's `postgres` user runs the cluster.
        std::os::unix::fs::chown(cluster.dir.path(), Some(postgres_uid()), None).unwrap();
        Cluster::as_postgres(&format!(
            "{}/initdb -D {}/pg -A trust -U judge",
            cluster.bin.display(),
            cluster.dir.path().display()
        ));
        Cluster::as_postgres(&format!(
            "{}/pg_ctl -D {dir}/pg -o '-p {} -k {dir} -c listen_addresses=127.0.0.1' -l {dir}/pg.log start -w",
            cluster.bin.display(),
            cluster.port,
            dir = cluster.dir.path().display()
        ));
        Some(cluster)
    }

    fn url(&self) -> String {
        format!("postgres://judge@127.0.0.1:{}/postgres", self.port)
    }

    fn as_postgres(command: &str) {
        let out = Command::new("su")
            .args(["postgres", "-s", "/bin/sh", "-c", command])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{command}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let stop = format!(
            "{}/pg_ctl -D {}/pg stop -m immediate",
            self.bin.display(),
            self.dir.path().display()
        );
        let _ = Command::new("su")
            .args(["postgres", "-s", "/bin/sh", "-c", &stop])
            .output();
    }
}

fn postgres_uid() -> u32 {
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap();
    passwd
        .lines()
        .find_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            (f[0] == "postgres").then(|| f[2].parse().unwrap())
        })
        .expect("the postgres package's user")
}

fn new(source: &str) -> NewSubmission {
    NewSubmission {
        problem: "t-value".into(),
        mode: "submit",
        source: source.into(),
        callback_url: None,
        input: None,
        problem_version: None,
    }
}

#[test]
fn workers_on_many_connections_claim_each_job_once() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let store = Store::connect(&cluster.url()).unwrap();
    let id = store.add_user("ada", Role::Candidate, "hash").unwrap();
    let ada = store.user_by_token("hash").unwrap().unwrap();
    assert_eq!(ada.id, id);
    let ids = store
        .submit_many(
            &ada,
            &(0..30)
                .map(|i| new(&format!("source {i}")))
                .collect::<Vec<_>>(),
        )
        .unwrap();
    // Three "hosts", each with its own connection, claiming and finishing side by side.
    let claimed: Arc<Mutex<BTreeMap<i64, usize>>> = Arc::default();
    let hosts: Vec<_> = (0..3)
        .map(|h| {
            let url = cluster.url();
            let claimed = claimed.clone();
            std::thread::spawn(move || {
                let store = Store::connect(&url).unwrap();
                let me = format!("host-{h}");
                while let Some(claim) = store.claim(&me, 60_000).unwrap() {
                    *claimed.lock().unwrap().entry(claim.submission).or_default() += 1;
                    assert!(store
                        .finish(claim.submission, &me, "v", Ok("{\"verdict\":\"AC\"}"))
                        .unwrap());
                }
            })
        })
        .collect();
    for host in hosts {
        host.join().unwrap();
    }
    let claimed = claimed.lock().unwrap();
    assert_eq!(
        claimed.keys().copied().collect::<Vec<_>>(),
        ids,
        "every job claimed"
    );
    assert!(claimed.values().all(|n| *n == 1), "none twice: {claimed:?}");
    assert_eq!(store.queue_depth().unwrap(), 0);
    assert_eq!(store.verdict_counts().unwrap(), [("AC".to_string(), 30)]);

    // A lease that expires goes to another worker; the first cannot finish any more.
    let late = store.submit(&ada, &new("late")).unwrap();
    assert_eq!(store.claim("w1", -1).unwrap().unwrap().submission, late);
    let again = store.claim("w2", 60_000).unwrap().unwrap();
    assert_eq!((again.submission, again.attempts), (late, 2));
    assert!(!store.finish(late, "w1", "v", Ok("{}")).unwrap());
    assert!(store.finish(late, "w2", "v", Ok("{}")).unwrap());
    assert_eq!(
        store
            .submissions(Some("t-value"), Some("ada"), 100)
            .unwrap()
            .len(),
        31
    );
    assert_eq!(store.requeue_problem("t-value", None).unwrap(), 31);
    // Reconnecting applies no migration twice.
    drop(Store::connect(&cluster.url()).unwrap());
}

/// Webhooks owed: due per owner in turn, taken by one deliverer only, settled only under
/// the lease that took them; the same on either backend.
fn webhooks_are_taken_once_and_settled_under_their_lease(store: &Store) {
    store
        .add_user("hooked", Role::Candidate, "hooked-hash")
        .unwrap();
    store
        .add_user("busy", Role::Candidate, "busy-hash")
        .unwrap();
    let hooked = store.user_by_token("hooked-hash").unwrap().unwrap();
    let busy = store.user_by_token("busy-hash").unwrap().unwrap();
    let with_hook = |source: &str| NewSubmission {
        callback_url: Some("https://hooks.example.com/x".into()),
        ..new(source)
    };
    // One owner with six webhooks owed, another with one: at most two of each are due.
    let many = store
        .submit_many(
            &busy,
            &(0..6)
                .map(|i| with_hook(&format!("b{i}")))
                .collect::<Vec<_>>(),
        )
        .unwrap();
    let one = store.submit(&hooked, &with_hook("h")).unwrap();
    while let Some(claim) = store.claim("w", 60_000).unwrap() {
        assert!(store.finish(claim.submission, "w", "v", Ok("{}")).unwrap());
    }
    let due = store.due_deliveries(2, 100).unwrap();
    let owners: Vec<i64> = due.iter().map(|d| d.user_id).collect();
    assert_eq!(
        owners.iter().filter(|o| **o == busy.id).count(),
        2,
        "{due:?}"
    );
    assert!(owners.contains(&hooked.id), "{due:?}");
    assert!(due
        .iter()
        .all(|d| d.attempts == 0 && d.url.starts_with("https://")));
    // Taken once: a second deliverer that read the same row gets nothing.
    let first = due.iter().find(|d| d.submission == one).unwrap();
    let lease = first.next_ms + 60_000;
    assert!(store.lease_delivery(first, lease).unwrap());
    assert!(!store.lease_delivery(first, lease + 1).unwrap());
    assert!(store
        .due_deliveries(2, 100)
        .unwrap()
        .iter()
        .all(|d| d.submission != one));
    // Settled only under its own lease.
    store
        .delivery_failed(one, lease + 1, "not mine", None)
        .unwrap();
    assert_eq!(store.delivery_state(one).unwrap(), Some((0, None)));
    store
        .delivery_failed(one, lease, "answered 500", Some(0))
        .unwrap();
    assert_eq!(
        store.delivery_state(one).unwrap(),
        Some((1, Some("answered 500".into())))
    );
    let again = store.due_deliveries(2, 100).unwrap();
    let retry = again.iter().find(|d| d.submission == one).unwrap();
    assert_eq!(retry.attempts, 1);
    assert!(store.lease_delivery(retry, 7).unwrap());
    store.delivered(one, 7).unwrap();
    assert_eq!(store.delivery_state(one).unwrap(), None);
    assert!(many
        .iter()
        .all(|id| store.delivery_state(*id).unwrap().is_some()));
}

#[test]
fn webhooks_owed_are_taken_once_on_sqlite_and_postgres() {
    let dir = tempfile::tempdir().unwrap();
    webhooks_are_taken_once_and_settled_under_their_lease(&Store::open(dir.path()).unwrap());
    let Some(cluster) = Cluster::start() else {
        return;
    };
    webhooks_are_taken_once_and_settled_under_their_lease(&Store::connect(&cluster.url()).unwrap());
}

#[test]
fn the_service_on_postgres_loses_nothing_to_a_kill() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let url = cluster.url();
    let token = add_user_with(&["--db", &url], data.path(), "ada", "candidate");
    let flags = ["--rate", "1000000", "--db", url.as_str()];
    let server = Server::start_with(data.path(), &flags);
    let (status, done) = post(
        &server.api("/submissions?wait=true"),
        &token,
        &submission("t-value", &source(T_VALUE_AC)),
    );
    assert_eq!(status, 201, "{done}");
    assert_eq!(done["report"]["verdict"], "AC", "{done}");
    let ids: Vec<i64> = (0..4)
        .map(|n| {
            let (_, body) = post(
                &server.api("/submissions"),
                &token,
                &submission("t-value", &slow_ac(300 + n)),
            );
            body["id"].as_i64().unwrap()
        })
        .collect();
    server.kill();
    // Leases on a shared database are not released at start: they expire, then the jobs
    // are taken again.
    let server = Server::start_with(data.path(), &flags);
    let started = Instant::now();
    for id in ids {
        assert_eq!(finished(&server, &token, id)["report"]["verdict"], "AC");
    }
    assert!(started.elapsed() < Duration::from_mins(5));
    let store = Store::connect(&url).unwrap();
    assert_eq!(store.queue_depth().unwrap(), 0);
}

/// A `judge worker` process on the cluster's database, killed when dropped (a failing test
/// leaves none behind).
struct Worker(std::process::Child, tempfile::NamedTempFile);

impl Worker {
    /// What the worker wrote on stderr so far.
    fn log(&self) -> String {
        std::fs::read_to_string(self.1.path()).unwrap_or_default()
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn worker(url: &str) -> Worker {
    let log = tempfile::NamedTempFile::new().unwrap();
    Worker(
        Command::new(env!("CARGO_BIN_EXE_judge"))
            .args(["worker", "--jobs", "1", "--db", url])
            .env("JUDGE_CACHE_DIR", crate::shared_cache())
            .env("XDG_DATA_HOME", crate::shared_data_home())
            .env("JUDGE_BANK", crate::repo())
            .stdout(std::process::Stdio::null())
            .stderr(log.reopen().unwrap())
            .spawn()
            .unwrap(),
        log,
    )
}

#[test]
fn worker_processes_share_the_queue_and_a_killed_one_loses_nothing() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let url = cluster.url();
    let token = add_user_with(&["--db", &url], data.path(), "ada", "candidate");
    let author = add_user_with(&["--db", &url], data.path(), "ann", "author");
    // The service only answers; worker processes judge.
    let server = Server::start_with(
        data.path(),
        &["--rate", "1000000", "--db", &url, "--workers", "0"],
    );
    let ids: Vec<i64> = (0..8)
        .map(|n| {
            let body = submission("t-value", &slow_ac(400 + n));
            post(&server.api("/submissions"), &token, &body).1["id"]
                .as_i64()
                .unwrap()
        })
        .collect();
    // The first worker alone: the submission being judged is its own when it is killed.
    let mut doomed = worker(&url);
    let deadline = Instant::now() + Duration::from_mins(2);
    loop {
        let (_, list) = crate::serve::get(&server.api("/submissions"), &token);
        let judging = list["submissions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["status"] == "judging");
        if judging {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the first worker never judged: {list}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut survivor = worker(&url);
    doomed.0.kill().unwrap();
    doomed.0.wait().unwrap();
    for id in &ids {
        let done = finished(&server, &token, *id);
        assert_eq!(done["report"]["verdict"], "AC", "{done}");
    }
    let store = Store::connect(&url).unwrap();
    assert_eq!(store.queue_depth().unwrap(), 0, "every job ended once");
    // Both registered; `judge workers` and the API list them.
    let (_, listed) = crate::serve::get(&server.api("/workers"), &author);
    assert_eq!(listed["workers"].as_array().unwrap().len(), 2, "{listed}");
    let shown = Command::new(env!("CARGO_BIN_EXE_judge"))
        .args(["workers", "--db", &url])
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&shown.stdout);
    assert_eq!(
        shown.lines().filter(|l| l.contains("1 at once")).count(),
        2,
        "{shown}"
    );
    // A worker stopped with SIGTERM takes itself off the list; the killed one stays.
    // SAFETY: a signal to a worker this test started.
    unsafe { libc::kill(survivor.0.id() as i32, libc::SIGTERM) };
    assert_eq!(survivor.0.wait().unwrap().code(), Some(0));
    assert_eq!(
        store.workers().unwrap().len(),
        1,
        "only the killed one stays"
    );
}

/// The worker process holding a lease right now, by its id (a job's holder is
/// `<host>-<pid>-<task>`).
fn a_busy_worker(client: &mut postgres::Client) -> Option<u32> {
    let rows = client
        .query(
            "SELECT worker FROM jobs WHERE worker IS NOT NULL AND lease_until_ms IS NOT NULL",
            &[],
        )
        .unwrap();
    rows.iter().find_map(|r| {
        let name: String = r.get(0);
        name.rsplit('-').nth(1)?.parse().ok()
    })
}

#[test]
fn three_workers_judge_sixty_submissions_through_a_kill_and_a_lost_connection() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let url = cluster.url();
    let token = add_user_with(&["--db", &url], data.path(), "ada", "candidate");
    let server = Server::start_with(
        data.path(),
        &[
            "--rate",
            "1000000",
            "--max-queued",
            "100",
            "--db",
            &url,
            "--workers",
            "0",
        ],
    );
    // Sixty: a few slow ones (a kill lands mid-case), the rest right, wrong or not compiling.
    let kinds = crate::serve::sixty_submissions();
    let batch = serde_json::json!({
        "submissions": kinds.iter().map(|(_, s)| serde_json::json!({"problem": "t-value", "source": s})).collect::<Vec<_>>()
    });
    let (status, made) = post(
        &server.api("/submissions/batch"),
        &token,
        &batch.to_string(),
    );
    assert_eq!(status, 201, "{made}");
    let ids: Vec<i64> = made["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_i64().unwrap())
        .collect();
    let mut workers: Vec<Worker> = (0..3).map(|_| worker(&url)).collect();

    // One worker is killed while it holds a job.
    let mut watch = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let deadline = Instant::now() + Duration::from_mins(3);
    let busy = loop {
        if let Some(pid) = a_busy_worker(&mut watch) {
            if let Some(i) = workers.iter().position(|w| w.0.id() == pid) {
                break i;
            }
        }
        assert!(Instant::now() < deadline, "no worker ever held a job");
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut killed = workers.remove(busy);
    killed.0.kill().unwrap();
    killed.0.wait().unwrap();

    // Another loses its database connection: the server ends its backend, once the worker
    // is up (registered; a worker that cannot reach its store at start gives up instead).
    let cut = workers[0].0.id();
    let deadline = Instant::now() + Duration::from_mins(2);
    loop {
        let registered = watch
            .query(
                "SELECT 1 FROM workers WHERE name LIKE $1",
                &[&format!("%-{cut}")],
            )
            .unwrap();
        if !registered.is_empty() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the worker never registered: {}",
            workers[0].log()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let ended = watch
        .query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE $1",
            &[&format!("judge worker %-{cut}")],
        )
        .unwrap();
    assert_eq!(
        ended.len(),
        1,
        "the worker's connection was found and ended"
    );

    for (id, (kind, _)) in ids.iter().zip(&kinds) {
        let done = finished(&server, &token, *id);
        assert_eq!(done["report"]["verdict"], *kind, "submission {id}: {done}");
    }
    let store = Store::connect(&url).unwrap();
    assert_eq!(store.queue_depth().unwrap(), 0, "every job ended once");
    let count: i64 = watch
        .query_one(
            "SELECT COUNT(*) FROM submissions WHERE status = 'done' AND report IS NOT NULL",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(count, 60, "sixty results, one each");
    // The worker whose connection was cut connected again and is still alive and listed.
    let exited = workers[0].0.try_wait().unwrap();
    assert!(
        exited.is_none(),
        "it exited ({exited:?}): {}",
        workers[0].log()
    );
    let again = watch
        .query(
            "SELECT 1 FROM pg_stat_activity WHERE application_name LIKE $1",
            &[&format!("judge worker %-{cut}")],
        )
        .unwrap();
    assert_eq!(again.len(), 1, "it holds a new connection");
}

/// Copies `from` into `to`, folders and all.
fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn a_worker_judges_a_problem_its_own_bank_lacks_from_the_stores_copy() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let url = cluster.url();
    // The service's bank has a problem no worker's bank has: t-stat, a copy of t-value.
    let bank = tempfile::tempdir().unwrap();
    let repo = crate::repo();
    copy_tree(
        &repo.join("problems/t-value"),
        &bank.path().join("problems/t-stat"),
    );
    std::fs::remove_dir_all(bank.path().join("problems/t-stat/submissions")).unwrap();
    std::fs::copy(
        repo.join("reference/t_value.rs"),
        bank.path().join("problems/t-stat/reference.rs"),
    )
    .unwrap();
    let token = add_user_with(&["--db", &url], data.path(), "ada", "candidate");
    let server = Server::start_on_bank(
        data.path(),
        &["--rate", "1000000", "--db", &url, "--workers", "0"],
        bank.path(),
    );
    let (status, made) = post(
        &server.api("/submissions"),
        &token,
        &submission("t-stat", &source(T_VALUE_AC)),
    );
    assert_eq!(status, 201, "{made}");
    let _worker = worker(&url);
    let done = finished(&server, &token, made["id"].as_i64().unwrap());
    assert_eq!(done["report"]["verdict"], "AC", "{done}");
    assert_eq!(done["report"]["problem"], "t-stat", "{done}");
    // The worker keeps the version it fetched, under its digest.
    let version = done["problem_version"].as_str().unwrap();
    let kept =
        crate::shared_cache().join(format!("problems/{version}/problems/t-stat/problem.toml"));
    assert!(kept.is_file(), "{} is not there", kept.display());
}

#[test]
fn queuing_a_job_tells_listening_workers_at_once() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let url = cluster.url();
    let token = add_user_with(&["--db", &url], data.path(), "ada", "candidate");
    let server = Server::start_with(
        data.path(),
        &["--rate", "1000000", "--db", &url, "--workers", "0"],
    );
    let mut listener = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    listener
        .batch_execute(&format!("LISTEN {}", judge::service::store::JOBS_CHANNEL))
        .unwrap();
    let (status, made) = post(
        &server.api("/submissions"),
        &token,
        &submission("t-value", &source(T_VALUE_AC)),
    );
    assert_eq!(status, 201, "{made}");
    let mut notifications = listener.notifications();
    let mut told = notifications.timeout_iter(Duration::from_mins(1));
    let note = postgres::fallible_iterator::FallibleIterator::next(&mut told)
        .unwrap()
        .expect("no notification within a minute of queuing a job");
    assert_eq!(note.channel(), judge::service::store::JOBS_CHANNEL);
}
