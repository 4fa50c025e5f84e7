//! The store and the service on PostgreSQL: a private cluster per test (initdb and pg_ctl
//! in a temp dir, on a free loopback port), the same behaviour as on SQLite, and workers on
//! several connections never taking the same job. Without PostgreSQL installed the tests
//! say loudly that they were skipped; under CI=true they fail instead.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use judge::service::store::{Mode, NewSubmission, Role, Store};

use crate::serve::{
    add_user_with, finished, post, slow_ac, source, submission, Server, T_VALUE_AC,
};

use crate::cluster::Cluster;

/// A cluster of the test's own, or None (with a loud note) where PostgreSQL is not
/// installed; under CI=true a missing PostgreSQL fails the test instead.
fn cluster() -> Option<Cluster> {
    let cluster = Cluster::new();
    if cluster.is_none() {
        assert!(
            std::env::var_os("CI").is_none_or(|v| v != "true"),
            "PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb), and CI=true requires it"
        );
        eprintln!("SKIPPED: PostgreSQL is not installed (apt-get install postgresql); the PostgreSQL tests did not run");
    }
    cluster
}

/// A cluster, a candidate's token, and a server on it (`answering`: one that only answers,
/// `--workers 0`, while worker processes judge).
struct Answering {
    cluster: Cluster,
    data: tempfile::TempDir,
    url: String,
    token: String,
    server: Server,
}

fn answering() -> Option<Answering> {
    served(&["--workers", "0"])
}

/// `answering`, the server started with `flags` (and no rate limit).
fn served(flags: &[&str]) -> Option<Answering> {
    let cluster = cluster()?;
    let data = tempfile::tempdir().unwrap();
    let url = cluster.url();
    let token = add_user_with(&["--db", &url], data.path(), "ada", "candidate");
    let mut all = vec!["--rate", "1000000", "--db", &url];
    all.extend_from_slice(flags);
    let server = Server::start_with(data.path(), &all);
    Some(Answering {
        cluster,
        data,
        url,
        token,
        server,
    })
}

fn new(source: &str) -> NewSubmission {
    NewSubmission {
        problem: "t-value".into(),
        mode: Mode::Submit,
        source: source.into(),
        callback_url: None,
        input: None,
        problem_version: None,
        complexity: false,
        language: "rust".into(),
    }
}

#[test]
fn workers_on_many_connections_claim_each_job_once() {
    let Some(cluster) = cluster() else {
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
    let Some(cluster) = cluster() else {
        return;
    };
    webhooks_are_taken_once_and_settled_under_their_lease(&Store::connect(&cluster.url()).unwrap());
}

#[test]
fn the_service_on_postgres_loses_nothing_to_a_kill() {
    let Some(cluster) = cluster() else {
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
    // The problem list's acceptance rate, read with PostgreSQL's JSON operators.
    assert_eq!(store.acceptance().unwrap()["t-value"], (5, 5));
}

/// A `judge worker` process on the cluster's database, killed when dropped (a failing test
/// leaves none behind), with what it said at start: its id, and its health address.
struct Worker {
    child: std::process::Child,
    log: tempfile::NamedTempFile,
    id: String,
    listen: Option<String>,
}

impl Worker {
    /// What the worker wrote on stderr so far.
    fn log(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap_or_default()
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn worker(url: &str) -> Worker {
    worker_with(url, &[])
}

/// A worker with more flags (`--listen 127.0.0.1:0`); waits until it says it judges.
fn worker_with(url: &str, flags: &[&str]) -> Worker {
    use std::io::BufRead;
    let log = tempfile::NamedTempFile::new().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_judge"))
        .args(["worker", "--jobs", "1", "--db", url])
        .args(flags)
        .env("JUDGE_CACHE_DIR", crate::shared_cache())
        .env("XDG_DATA_HOME", crate::shared_data_home())
        .env("JUDGE_BANK", crate::repo())
        .stdout(std::process::Stdio::piped())
        .stderr(log.reopen().unwrap())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let log_text = || std::fs::read_to_string(log.path()).unwrap_or_default();
    let id = line
        .strip_prefix("worker ")
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or_else(|| panic!("judge worker said {line:?}: {}", log_text()))
        .to_string();
    let listen = flags.contains(&"--listen").then(|| {
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        line.trim()
            .strip_prefix("health and metrics on http://")
            .unwrap_or_else(|| panic!("judge worker said {line:?}"))
            .to_string()
    });
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    Worker {
        child,
        log,
        id,
        listen,
    }
}

#[test]
fn worker_processes_share_the_queue_and_a_killed_one_loses_nothing() {
    let Some(cluster) = cluster() else {
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
    doomed.child.kill().unwrap();
    doomed.child.wait().unwrap();
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
    unsafe { libc::kill(survivor.child.id() as i32, libc::SIGTERM) };
    assert_eq!(survivor.child.wait().unwrap().code(), Some(0));
    assert_eq!(
        store.workers().unwrap().len(),
        1,
        "only the killed one stays"
    );
}

/// The worker process holding a lease right now, by its pid (a job's holder is
/// `<worker id>/<task>`, and the worker's row has its pid).
fn a_busy_worker(client: &mut postgres::Client) -> Option<u32> {
    let rows = client
        .query(
            "SELECT w.pid FROM jobs j JOIN workers w ON j.worker LIKE w.name || '/%' WHERE j.lease_until_ms IS NOT NULL",
            &[],
        )
        .unwrap();
    rows.iter()
        .find_map(|r| u32::try_from(r.get::<_, i64>(0)).ok())
}

#[test]
fn three_workers_judge_sixty_submissions_through_a_kill_and_a_lost_connection() {
    let Some(fleet) = served(&["--max-queued", "100", "--workers", "0"]) else {
        return;
    };
    let (url, token, server) = (&fleet.url, &fleet.token, &fleet.server);
    // Sixty: a few slow ones (a kill lands mid-case), the rest right, wrong or not compiling.
    let kinds = crate::serve::sixty_submissions();
    let batch = serde_json::json!({
        "submissions": kinds.iter().map(|(_, s)| serde_json::json!({"problem": "t-value", "source": s})).collect::<Vec<_>>()
    });
    let (status, made) = post(&server.api("/submissions/batch"), token, &batch.to_string());
    assert_eq!(status, 201, "{made}");
    let ids: Vec<i64> = made["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_i64().unwrap())
        .collect();
    let mut workers: Vec<Worker> = (0..3).map(|_| worker(url)).collect();

    // One worker is killed while it holds a job.
    let mut watch = postgres::Client::connect(url, postgres::NoTls).unwrap();
    let deadline = Instant::now() + Duration::from_mins(3);
    let busy = loop {
        if let Some(pid) = a_busy_worker(&mut watch) {
            if let Some(i) = workers.iter().position(|w| w.child.id() == pid) {
                break i;
            }
        }
        assert!(Instant::now() < deadline, "no worker ever held a job");
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut killed = workers.remove(busy);
    killed.child.kill().unwrap();
    killed.child.wait().unwrap();

    // Another loses its database connections: the server ends its backends (the worker
    // said its id once it was up and registered).
    let cut = workers[0].id.clone();
    let ended = end_connections(&mut watch, &cut);
    assert!(ended >= 1, "the worker's connections were found and ended");

    for (id, (kind, _)) in ids.iter().zip(&kinds) {
        let done = finished(server, token, *id);
        assert_eq!(done["report"]["verdict"], *kind, "submission {id}: {done}");
    }
    let store = Store::connect(url).unwrap();
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
    let exited = workers[0].child.try_wait().unwrap();
    assert!(
        exited.is_none(),
        "it exited ({exited:?}): {}",
        workers[0].log()
    );
    let again = watch
        .query(
            "SELECT 1 FROM pg_stat_activity WHERE application_name = $1",
            &[&format!("judge worker {cut}")],
        )
        .unwrap();
    assert!(!again.is_empty(), "it holds new connections");
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
    let Some(cluster) = cluster() else {
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
    let Some(fleet) = answering() else {
        return;
    };
    let (url, token, server) = (&fleet.url, &fleet.token, &fleet.server);
    let mut listener = postgres::Client::connect(url, postgres::NoTls).unwrap();
    listener
        .batch_execute(&format!("LISTEN {}", judge::service::store::JOBS_CHANNEL))
        .unwrap();
    let (status, made) = post(
        &server.api("/submissions"),
        token,
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

/// Ends every connection of worker `id` on the server (`pg_terminate_backend`); how many.
fn end_connections(watch: &mut postgres::Client, id: &str) -> usize {
    watch
        .query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
            &[&format!("judge worker {id}")],
        )
        .unwrap()
        .len()
}

/// A column of submission `id`'s row, read on the database itself.
fn stored(watch: &mut postgres::Client, id: i64, column: &str) -> Option<i64> {
    watch
        .query_one(
            &format!("SELECT {column} FROM submissions WHERE id = $1"),
            &[&id],
        )
        .unwrap()
        .get(0)
}

fn scrape(url: &str) -> String {
    ureq::get(url).call().unwrap().into_string().unwrap()
}

#[test]
fn a_worker_on_another_host_is_watched_live_and_counted() {
    let Some(fleet) = answering() else {
        return;
    };
    let (url, token, server) = (&fleet.url, &fleet.token, &fleet.server);
    let worker = worker_with(url, &["--listen", "127.0.0.1:0"]);
    // wait=true answers once the other process has judged it.
    let (status, done) = post(
        &server.api("/submissions?wait=true"),
        token,
        &submission("t-value", &crate::serve::slow_ac(1)),
    );
    assert_eq!(status, 201, "{done}");
    assert_eq!(done["status"], "done", "{done}");
    assert_eq!(done["report"]["verdict"], "AC", "{done}");
    // The events, read from the start, then after a reconnection, to the end.
    let (_, queued) = post(
        &server.api("/submissions"),
        token,
        &submission("t-value", &crate::serve::slower_ac(2)),
    );
    let id = queued["id"].as_i64().unwrap();
    let events = server.api(&format!("/submissions/{id}/events"));
    let last = crate::serve::reconnecting_reader_misses_nothing(&events, token);
    assert_eq!(last["report"]["verdict"], "AC", "{last}");
    // A late reader gets `done` at once.
    let late = crate::serve::Stream::open(&events, token, None).rest();
    assert_eq!(late.len(), 1, "{late:?}");
    assert_eq!(late[0].2["report"], last["report"]);

    // The server's /metrics counts what the other process did, from the store.
    let metrics = scrape(&format!("{}/metrics", server.url));
    for line in [
        "judge_judged_total{verdict=\"AC\"} 2",
        "judge_claims_total 2",
        "judge_lease_expiries_total 0",
        "judge_judge_errors_total 0",
        "judge_submission_seconds_count 2",
        "judge_queue_depth 0",
        "judge_workers{state=\"alive\"} 1",
        &format!("judge_worker_judged_total{{worker=\"{}\"}} 2", worker.id),
    ] {
        assert!(metrics.contains(line), "no {line:?} in\n{metrics}");
    }
    // The worker's own address: healthy, and its own counts.
    let listen = worker.listen.as_deref().unwrap();
    let health: serde_json::Value =
        serde_json::from_str(&scrape(&format!("http://{listen}/healthz"))).unwrap();
    assert_eq!(health["ok"], true, "{health}");
    let own = scrape(&format!("http://{listen}/metrics"));
    assert!(
        own.contains("judge_process_judged_total{verdict=\"AC\"} 2"),
        "{own}"
    );
    // `judge workers` shows it alive and idle, with what it judged.
    let shown = Command::new(env!("CARGO_BIN_EXE_judge"))
        .args(["workers", "--db", url])
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&shown.stdout);
    let line = shown.lines().find(|l| l.starts_with(&worker.id)).unwrap();
    assert!(
        line.contains(" alive ") && line.contains("idle") && line.contains("judged 2"),
        "{line}"
    );
    // One JSON line of the log per judged job, with what it was.
    let log = worker.log();
    let judged: Vec<&str> = log.lines().filter(|l| l.contains(" judged ")).collect();
    assert_eq!(judged.len(), 2, "{log}");
    for field in [
        "submission=",
        "problem=t-value",
        "verdict=AC",
        "judge_ms=",
        "worker=",
    ] {
        assert!(judged[0].contains(field), "no {field} in {}", judged[0]);
    }
}

#[test]
fn a_worker_cut_off_from_the_database_keeps_its_job_and_its_attempt() {
    let Some(fleet) = answering() else {
        return;
    };
    let (url, token, server) = (&fleet.url, &fleet.token, &fleet.server);
    let worker = worker(url);
    let mut watch = postgres::Client::connect(url, postgres::NoTls).unwrap();
    // How long one takes undisturbed.
    let (_, first) = post(
        &server.api("/submissions?wait=true"),
        token,
        &submission("t-value", &crate::serve::slower_ac(10)),
    );
    assert_eq!(first["report"]["verdict"], "AC", "{first}");
    let normal = first["finished_ms"].as_i64().unwrap() - first["created_ms"].as_i64().unwrap();
    // The same work again, its connections ended once it judges cases.
    let (_, queued) = post(
        &server.api("/submissions"),
        token,
        &submission("t-value", &crate::serve::slower_ac(11)),
    );
    let id = queued["id"].as_i64().unwrap();
    let mut stream = crate::serve::Stream::open(
        &server.api(&format!("/submissions/{id}/events")),
        token,
        None,
    );
    while let Some(told) = stream.next() {
        if told.1 == "case-finished" {
            break;
        }
    }
    assert!(
        end_connections(&mut watch, &worker.id) >= 1,
        "{}",
        worker.log()
    );
    // The stream goes on to the end: the worker wrote its events again once connected.
    let rest = stream.rest();
    assert_eq!(rest.last().map(|t| t.1.as_str()), Some("done"), "{rest:?}");
    let done = finished(server, token, id);
    assert_eq!(done["report"]["verdict"], "AC", "{done}");
    let took = done["finished_ms"].as_i64().unwrap() - done["created_ms"].as_i64().unwrap();
    assert!(
        took <= normal + 10_000,
        "took {took} ms, undisturbed {normal} ms: {}",
        worker.log()
    );
    assert_eq!(
        stored(&mut watch, id, "attempts"),
        Some(1),
        "no second attempt"
    );
    let metrics = scrape(&format!("{}/metrics", server.url));
    assert!(
        metrics.contains("judge_lease_expiries_total 0"),
        "{metrics}"
    );
    // It said so in its log, and is still up with new connections.
    assert!(worker.log().contains("WARN"), "{}", worker.log());
    let again = watch
        .query(
            "SELECT 1 FROM pg_stat_activity WHERE application_name = $1",
            &[&format!("judge worker {}", worker.id)],
        )
        .unwrap();
    assert!(!again.is_empty(), "connected again: {}", worker.log());
}

#[test]
fn a_killed_worker_is_shown_gone_then_pruned() {
    let Some(cluster) = cluster() else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let url = cluster.url();
    let _server = Server::start_with(
        data.path(),
        &[
            "--db",
            &url,
            "--workers",
            "0",
            "--prune-workers-after",
            "15",
        ],
    );
    let mut doomed = worker(&url);
    let workers = || {
        let out = Command::new(env!("CARGO_BIN_EXE_judge"))
            .args(["workers", "--db", &url])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let listed = workers();
    assert!(
        listed.contains(&format!("{}  alive", doomed.id)),
        "{listed}"
    );
    doomed.child.kill().unwrap();
    doomed.child.wait().unwrap();
    let wait_for = |what: &str, done: &dyn Fn(&str) -> bool| {
        let deadline = Instant::now() + Duration::from_mins(2);
        loop {
            let listed = workers();
            if done(&listed) {
                return;
            }
            assert!(Instant::now() < deadline, "never {what}: {listed}");
            std::thread::sleep(Duration::from_millis(200));
        }
    };
    wait_for("shown gone", &|l| {
        l.contains(&format!("{}  gone", doomed.id))
    });
    wait_for("pruned", &|l| !l.contains(&doomed.id));
}

#[test]
fn a_server_and_two_workers_start_at_once_on_an_empty_database() {
    let Some(cluster) = cluster() else {
        return;
    };
    let mut admin = postgres::Client::connect(&cluster.url(), postgres::NoTls).unwrap();
    for round in 0..3 {
        admin
            .batch_execute(&format!("CREATE DATABASE fleet{round}"))
            .unwrap();
        let url = format!("postgres://judge@127.0.0.1:{}/fleet{round}", cluster.port);
        let data = tempfile::tempdir().unwrap();
        // All three at once, as a compose file or a fleet's boot starts them.
        let (server, workers) = std::thread::scope(|s| {
            let server = s.spawn(|| {
                Server::start_with(
                    data.path(),
                    &["--rate", "1000000", "--db", &url, "--workers", "0"],
                )
            });
            let workers: Vec<_> = (0..2).map(|_| s.spawn(|| worker(&url))).collect();
            (
                server.join().unwrap(),
                workers
                    .into_iter()
                    .map(|w| w.join().unwrap())
                    .collect::<Vec<_>>(),
            )
        });
        for w in &workers {
            assert!(w.child.id() > 0);
            assert!(!w.log().contains("ERROR"), "{}", w.log());
        }
        let token = add_user_with(&["--db", &url], data.path(), "ada", "candidate");
        let (_, done) = post(
            &server.api("/submissions?wait=true"),
            &token,
            &submission("t-value", &source(T_VALUE_AC)),
        );
        assert_eq!(done["report"]["verdict"], "AC", "round {round}: {done}");
    }
}

#[test]
fn database_errors_name_what_failed_and_say_the_servers_words() {
    let Some(cluster) = cluster() else {
        return;
    };
    let missing = format!("postgres://judge@127.0.0.1:{}/no_such_db", cluster.port);
    let out = Command::new(env!("CARGO_BIN_EXE_judge"))
        .args(["workers", "--db", &missing])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("connect") && err.contains("database \"no_such_db\" does not exist"),
        "{err}"
    );
    // A schema newer than this judge's is refused, and left as it is.
    let url = cluster.url();
    drop(Store::connect(&url).unwrap());
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    admin
        .batch_execute("UPDATE judge_schema SET version = version + 1")
        .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_judge"))
        .args(["workers", "--db", &url])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("newer judge migrated it"), "{err}");
}

#[test]
fn a_server_on_postgres_keeps_nothing_in_a_folder() {
    let Some(cluster) = cluster() else {
        return;
    };
    let url = cluster.url();
    let home = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_judge"))
        .args(["user", "add", "ada", "--db", &url])
        .env("XDG_DATA_HOME", home.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .last()
        .unwrap()
        .to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_judge"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--workers",
            "1",
            "--db",
            &url,
        ])
        .env("JUDGE_CACHE_DIR", crate::shared_cache())
        .env("XDG_DATA_HOME", home.path())
        .env("JUDGE_BANK", crate::repo())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut lines = Vec::new();
    for _ in 0..2 {
        let mut line = String::new();
        std::io::BufRead::read_line(&mut out, &mut line).unwrap();
        lines.push(line);
    }
    let base = lines[0]
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_string();
    assert!(
        lines[1].contains("the database (settings: webhook_secret)"),
        "{lines:?}"
    );
    let (_, done) = post(
        &format!("{base}/api/v1/submissions?wait=true"),
        &token,
        &submission("t-value", &source(T_VALUE_AC)),
    );
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(done["report"]["verdict"], "AC", "{done}");
    let left: Vec<_> = walk(home.path());
    assert!(left.is_empty(), "left behind: {left:?}");
}

/// Every file under `dir`.
fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        if entry.path().is_dir() {
            files.extend(walk(&entry.path()));
        } else {
            files.push(entry.path());
        }
    }
    files
}

#[test]
fn a_pg_dump_restores_into_a_new_database_that_serves_on() {
    let Some(Answering {
        cluster,
        data,
        url,
        token,
        server,
    }) = served(&["--workers", "1"])
    else {
        return;
    };
    let (_, done) = post(
        &server.api("/submissions?wait=true"),
        &token,
        &submission("t-value", &source(T_VALUE_AC)),
    );
    assert_eq!(done["report"]["verdict"], "AC", "{done}");
    // As docs/operations.md says: a dump in the custom format while the server runs...
    let dump = data.path().join("judge.dump");
    let out = Command::new(cluster.program("pg_dump"))
        .args(["--format=custom", "--dbname", &url, "--file"])
        .arg(&dump)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    drop(server);
    // ... restored into a new database, which a server then serves.
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    admin.batch_execute("CREATE DATABASE restored").unwrap();
    let restored = format!("postgres://judge@127.0.0.1:{}/restored", cluster.port);
    let out = Command::new(cluster.program("pg_restore"))
        .args(["--no-owner", "--dbname", &restored])
        .arg(&dump)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let server = Server::start_with(
        data.path(),
        &["--rate", "1000000", "--db", &restored, "--workers", "1"],
    );
    let id = done["id"].as_i64().unwrap();
    let (status, back) = crate::serve::get(&server.api(&format!("/submissions/{id}")), &token);
    assert_eq!(status, 200, "{back}");
    assert_eq!(back["report"], done["report"]);
    // It goes on: a new submission gets the next id and is judged.
    let (_, next) = post(
        &server.api("/submissions?wait=true"),
        &token,
        &submission("t-value", &source(T_VALUE_AC)),
    );
    assert_eq!(next["id"].as_i64(), Some(id + 1), "{next}");
    assert_eq!(next["report"]["verdict"], "AC", "{next}");
}

/// Drafts are one per user, problem and language on PostgreSQL too (migration 0012 changed
/// the table's key there in place).
#[test]
fn drafts_are_kept_per_language_on_postgres() {
    if !crate::kattis_languages::installed(&["python"], "drafts_are_kept_per_language_on_postgres")
    {
        return;
    }
    let Some(a) = served(&[]) else {
        return;
    };
    let put = |body: serde_json::Value| {
        ureq::put(&a.server.api("/problems/t-value/draft"))
            .set("Authorization", &format!("Bearer {}", a.token))
            .send_json(body)
            .unwrap()
            .status()
    };
    assert_eq!(put(serde_json::json!({"source": "// one"})), 200);
    assert_eq!(
        put(serde_json::json!({"source": "# two", "language": "python"})),
        200
    );
    assert_eq!(put(serde_json::json!({"source": "// three"})), 200);
    let get = |query: &str| {
        crate::serve::get(
            &a.server.api(&format!("/problems/t-value/draft{query}")),
            &a.token,
        )
        .1
    };
    assert_eq!(get("?language=rust")["source"], "// three");
    assert_eq!(get("?language=python")["source"], "# two");
    assert_eq!(get("")["language"], "rust", "the newest");
}
