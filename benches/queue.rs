//! `cargo bench --bench queue`: what the job queue itself costs per job on each backend, and
//! how judging throughput grows with `judge worker` processes on PostgreSQL, on loopback only.
//!
//! Queue: BENCH_JOBS (default 500) jobs through the library's `Store`, on SQLite (a fresh data
//! dir) and on PostgreSQL: every job submitted one by one, then claimed, heartbeated once and
//! finished one by one, each call timed; medians and p90 in microseconds per operation, and
//! jobs a second over the whole cycle (submit included) and over the drain alone (claim,
//! heartbeat, finish). Ten untimed jobs go through first. Then the same number of jobs
//! (queued in one transaction, untimed) drained by 4 threads at once, each its own
//! connection, on PostgreSQL: jobs a second. Every commit waits for the disk (SQLite: WAL,
//! synchronous=FULL; PostgreSQL: fsync on), and this shared disk's fdatasync swings from
//! tens of microseconds to 4 ms from one minute to the next, so each backend's rows start
//! with that floor, measured just before.
//!
//! Workers: for k = 1, 2, 3, a fresh database, `judge serve --db URL --workers 0` and k
//! `judge worker --jobs 1` processes; one warm-up submission, then BENCH_SUBMISSIONS (default
//! 12) distinct t-value AC submissions (each with a comment of its own, so no report comes
//! from the cache) posted at once with a bearer token, then polled until done: wall seconds
//! from the first POST to the last report, and submissions a minute; also the rate from the
//! first report to the last, which leaves out how long idle workers take to find the first
//! job (a worker process polls every second when idle: a POST does not wake it). The machine
//! has 2 cores: a third worker can only add contention.
//!
//! PostgreSQL: a private cluster (initdb and pg_ctl as the `postgres` user, in a temp dir, on
//! a free loopback port), stopped with `pg_ctl stop -m immediate` when done, on a panic and
//! on SIGINT/SIGTERM/SIGHUP; every process started here goes the same way. Without
//! PostgreSQL installed, its rows are skipped, loudly, and SQLite still runs.
//!
//! This machine is shared and noisy: compare medians, and read small ratios as noise.
//! Everything lives under target/bench/: the cache (queue-cache), the SQLite data dir
//! (queue-sqlite) and the processes' stderr (queue-logs/). Results:
//! target/bench/queue-latest.json, printed beside `benches/queue-baseline.json`.

mod common;
use common::{bench_dir, env_usize, percentile, repo};

use std::collections::{BTreeMap, VecDeque};
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Barrier, Mutex};
use std::time::{Duration, Instant};

use judge::report::document::Document;
use judge::service::store::{Mode, NewSubmission, Role, Store, User};
use serde_json::{json, Value};

const JUDGE: &str = env!("CARGO_BIN_EXE_judge");
const T_AC: &str = "problems/t-value/submissions/AC/two_pass.rs";
const LEASE_MS: i64 = 30_000;
/// A heartbeat's lease: later than the claim's, as a real one (5 s on) would set it. The same
/// value in the same millisecond changes no byte, and SQLite then writes (and syncs) nothing.
const HEARTBEAT_LEASE_MS: i64 = LEASE_MS + 5_000;
/// What each job is finished with: a small accepted report, as a worker stores it.
const REPORT: &str = r#"{"schema":2,"problem":"t-value","mode":"submit","verdict":"AC","score":1,"max_score":1,"compile":{"ok":true,"time_ms":1,"cached":false,"stderr":""},"groups":[],"samples":[],"warnings":[],"cached":false}"#;

fn report() -> Document<'static> {
    Document::parse(REPORT).expect("the bench's report reads")
}
/// The longest any one phase of judging may take before the run gives up.
const PHASE_LIMIT: Duration = Duration::from_mins(10);

// ---------------------------------------------------------------------------------------
// Cleanup: what must not outlive this program.

/// Pids of the processes started here and still running.
static CHILDREN: Mutex<Vec<u32>> = Mutex::new(Vec::new());
/// The shell command that stops the cluster, and its folder, while it runs.
static CLUSTER: Mutex<Option<(String, PathBuf)>> = Mutex::new(None);
static SIGNALLED: AtomicI32 = AtomicI32::new(0);

extern "C" fn on_signal(signal: libc::c_int) {
    SIGNALLED.store(signal, Ordering::SeqCst);
}

/// A SIGINT, SIGTERM or SIGHUP would skip the Drop guards: a thread watching for one kills
/// the processes, stops the cluster and exits instead.
fn watch_signals() {
    for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        let handler: extern "C" fn(libc::c_int) = on_signal;
        // SAFETY: the handler only stores to an atomic.
        unsafe { libc::signal(signal, handler as libc::sighandler_t) };
    }
    std::thread::spawn(|| loop {
        let signal = SIGNALLED.load(Ordering::SeqCst);
        if signal != 0 {
            eprintln!("\nqueue bench: signal {signal}, stopping what it started");
            for pid in CHILDREN.lock().map(|c| c.clone()).unwrap_or_default() {
                // SAFETY: signalling a child of ours.
                unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
            }
            if let Some((stop, dir)) = CLUSTER.lock().ok().and_then(|c| c.clone()) {
                let _ = Command::new("su")
                    .args(["postgres", "-s", "/bin/sh", "-c", &stop])
                    .output();
                let _ = std::fs::remove_dir_all(dir);
            }
            std::process::exit(128 + signal);
        }
        std::thread::sleep(Duration::from_millis(50));
    });
}

/// A process started here: SIGTERM when dropped (SIGKILL after 10 s), and SIGKILL from the
/// kernel should this program die first.
struct Proc {
    child: Child,
}

impl Proc {
    fn spawn(command: &mut Command) -> Proc {
        // SAFETY: prctl is async-signal-safe; the child dies with this (main) thread.
        unsafe {
            command.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0);
                Ok(())
            });
        }
        let child = command.spawn().expect("the judge starts");
        CHILDREN.lock().unwrap().push(child.id());
        Proc { child }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        // SAFETY: signalling our own child, not yet reaped.
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline && matches!(self.child.try_wait(), Ok(None)) {
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Ok(mut children) = CHILDREN.lock() {
            children.retain(|&p| p != self.child.id());
        }
    }
}

// ---------------------------------------------------------------------------------------
// PostgreSQL: a private cluster, as tests/integration/postgres.rs starts one.

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
            println!("\n*** SKIPPED: PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb; apt-get install postgresql): the PostgreSQL rows were skipped ***\n");
            return None;
        };
        let dir = tempfile::Builder::new()
            .prefix("judge-queue-bench-")
            .tempdir()
            .unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let cluster = Cluster { dir, bin, port };
        // initdb refuses to run as root: the package's `postgres` user runs the cluster.
        std::os::unix::fs::chown(cluster.dir.path(), Some(postgres_uid()), None).unwrap();
        as_postgres(&format!(
            "{}/initdb -D {}/pg -A trust -U judge",
            cluster.bin.display(),
            cluster.dir.path().display()
        ));
        *CLUSTER.lock().unwrap() = Some((cluster.stop_command(), cluster.dir.path().into()));
        as_postgres(&format!(
            "{}/pg_ctl -D {dir}/pg -o '-p {} -k {dir} -c listen_addresses=127.0.0.1' -l {dir}/pg.log start -w",
            cluster.bin.display(),
            cluster.port,
            dir = cluster.dir.path().display()
        ));
        Some(cluster)
    }

    fn url(&self, database: &str) -> String {
        format!("postgres://judge@127.0.0.1:{}/{database}", self.port)
    }

    /// A new, empty database; its URL.
    fn database(&self, name: &str) -> String {
        let mut client = postgres::Client::connect(&self.url("postgres"), postgres::NoTls)
            .expect("the cluster answers");
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("CREATE DATABASE");
        self.url(name)
    }

    fn stop_command(&self) -> String {
        format!(
            "{}/pg_ctl -D {}/pg stop -m immediate",
            self.bin.display(),
            self.dir.path().display()
        )
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new("su")
            .args(["postgres", "-s", "/bin/sh", "-c", &self.stop_command()])
            .output();
        *CLUSTER
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }
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

fn postgres_uid() -> u32 {
    std::fs::read_to_string("/etc/passwd")
        .unwrap()
        .lines()
        .find_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            (f[0] == "postgres").then(|| f[2].parse().unwrap())
        })
        .expect("the postgres package's user")
}

// ---------------------------------------------------------------------------------------
// Part 1: the queue's own cost per job, through the library.

fn job(tag: &str, i: usize) -> NewSubmission {
    NewSubmission {
        problem: "t-value".into(),
        mode: Mode::Submit,
        source: format!("// queue bench {tag} {i}\nfn main() {{}}\n"),
        callback_url: None,
        input: None,
        problem_version: None,
        complexity: false,
        language: "rust".into(),
    }
}

fn bench_user(store: &Store, name: &str) -> User {
    let hash = format!("queue-bench-{name}");
    store
        .add_user(name, Role::Candidate, &hash)
        .expect("add_user");
    store
        .user_by_token(&hash)
        .expect("user_by_token")
        .expect("the user just added")
}

/// Microseconds per call, each operation's, and the phases' wall times.
#[derive(Default)]
struct Cycle {
    submit: Vec<f64>,
    claim: Vec<f64>,
    heartbeat: Vec<f64>,
    finish: Vec<f64>,
    whole_s: f64,
    drain_s: f64,
}

fn micros(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e6
}

/// `n` jobs submitted one by one, then each claimed, heartbeated once and finished.
fn cycle(store: &Store, user: &User, tag: &str, n: usize) -> Cycle {
    const WORKER: &str = "bench-worker";
    let mut c = Cycle::default();
    let start = Instant::now();
    let mut ids = Vec::with_capacity(n);
    let report = report();
    for i in 0..n {
        let t = Instant::now();
        ids.push(store.submit(user, &job(tag, i)).expect("submit"));
        c.submit.push(micros(t));
    }
    let drain = Instant::now();
    for id in ids {
        let t = Instant::now();
        let claim = store
            .claim(WORKER, LEASE_MS)
            .expect("claim")
            .expect("a job waits");
        c.claim.push(micros(t));
        assert_eq!(claim.submission, id, "jobs are claimed oldest first");
        let t = Instant::now();
        assert!(store
            .heartbeat(id, WORKER, HEARTBEAT_LEASE_MS)
            .expect("heartbeat"));
        c.heartbeat.push(micros(t));
        let t = Instant::now();
        assert!(store
            .finish(id, WORKER, "bench", Ok(&report))
            .expect("finish"));
        c.finish.push(micros(t));
    }
    c.drain_s = drain.elapsed().as_secs_f64();
    c.whole_s = start.elapsed().as_secs_f64();
    assert_eq!(store.queue_depth().expect("queue_depth"), 0);
    c
}

/// Median microseconds of an fdatasync after a 100-byte append, on the disk both databases
/// use: their commits wait for one each, and on this shared disk it ranges from 0.05 to 4 ms
/// from one minute to the next.
fn sync_floor_us() -> f64 {
    use std::io::Write as _;
    let path = bench_dir().join("queue-sync-probe");
    let mut file = std::fs::File::create(&path).unwrap();
    let times = (0..100)
        .map(|_| {
            file.write_all(&[b'x'; 100]).unwrap();
            let t = Instant::now();
            file.sync_data().unwrap();
            micros(t)
        })
        .collect();
    let _ = std::fs::remove_file(path);
    percentile(times, 50.0)
}

fn queue_rows(rows: &mut Vec<Row>, backend: &'static str, store: &Store, n: usize) {
    rows.push(Row::new(
        format!("{backend}_fdatasync_p50_us"),
        format!("{backend}: the disk's fdatasync just before, p50"),
        sync_floor_us(),
        "us",
    ));
    let user = bench_user(store, "queue");
    cycle(store, &user, "warm", 10);
    let c = cycle(store, &user, "timed", n);
    let ops: [(&str, &Vec<f64>); 4] = [
        ("submit", &c.submit),
        ("claim", &c.claim),
        ("heartbeat", &c.heartbeat),
        ("finish", &c.finish),
    ];
    for (op, times) in ops {
        for (p, name) in [(50.0, "p50"), (90.0, "p90")] {
            rows.push(Row::new(
                format!("{backend}_{op}_{name}_us"),
                format!("{backend}: {op}, {name}"),
                percentile(times.clone(), p),
                "us",
            ));
        }
    }
    rows.push(Row::new(
        format!("{backend}_cycle_jobs_per_s"),
        format!("{backend}: submit + claim + heartbeat + finish"),
        n as f64 / c.whole_s,
        "jobs/s",
    ));
    rows.push(Row::new(
        format!("{backend}_drain_jobs_per_s"),
        format!("{backend}: claim + heartbeat + finish, 1 thread"),
        n as f64 / c.drain_s,
        "jobs/s",
    ));
}

/// `n` jobs queued at once, then drained by `threads` threads, each its own connection;
/// jobs a second, and how many each thread finished.
fn concurrent_drain(url: &str, n: usize, threads: usize) -> (f64, Vec<usize>) {
    let store = Store::connect(url).expect("connect");
    let user = bench_user(&store, "concurrent");
    let jobs: Vec<NewSubmission> = (0..n).map(|i| job("concurrent", i)).collect();
    store.submit_many(&user, &jobs).expect("submit_many");
    let barrier = Barrier::new(threads + 1);
    let (seconds, done) = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let barrier = &barrier;
                s.spawn(move || {
                    let store = Store::connect(url).expect("connect");
                    let me = format!("bench-claimer-{t}");
                    let report = report();
                    barrier.wait();
                    let mut done = 0;
                    while let Some(claim) = store.claim(&me, LEASE_MS).expect("claim") {
                        let id = claim.submission;
                        let beat = store.heartbeat(id, &me, HEARTBEAT_LEASE_MS);
                        assert!(beat.expect("heartbeat"));
                        assert!(store.finish(id, &me, "bench", Ok(&report)).expect("finish"));
                        done += 1;
                    }
                    done
                })
            })
            .collect();
        barrier.wait();
        let start = Instant::now();
        let done: Vec<usize> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        (start.elapsed().as_secs_f64(), done)
    });
    assert_eq!(done.iter().sum::<usize>(), n, "every job finished once");
    assert_eq!(store.queue_depth().expect("queue_depth"), 0);
    (n as f64 / seconds, done)
}

// ---------------------------------------------------------------------------------------
// Part 2: judging throughput with k worker processes.

/// The judge with the bench's cache and the repository's bank.
fn judge_command() -> Command {
    let mut c = Command::new(JUDGE);
    c.current_dir(repo())
        .env("JUDGE_CACHE_DIR", bench_dir().join("queue-cache"))
        .env("JUDGE_BANK", repo())
        .env("XDG_DATA_HOME", bench_dir().join("queue-xdg"))
        .env_remove("JUDGE_CACHE_MAX");
    c
}

fn log_file(name: &str) -> std::fs::File {
    let dir = bench_dir().join("queue-logs");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::File::create(dir.join(name)).unwrap()
}

fn add_user(url: &str, name: &str) -> String {
    common::add_candidate(judge_command(), &["--db".into(), url.into()], name)
}

/// `judge serve` on `url` with no workers of its own; its base URL.
fn serve(url: &str, max_queued: usize, log: &str) -> (Proc, String) {
    let mut server = Proc::spawn(
        judge_command()
            .args(["serve", "--listen", "127.0.0.1:0", "--workers", "0"])
            .args(["--rate", "1000000", "--max-queued", &max_queued.to_string()])
            .args(["--db", url])
            .stdout(Stdio::piped())
            .stderr(log_file(log)),
    );
    let mut out = BufReader::new(server.child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("judge serve said {line:?} (see target/bench/queue-logs/{log})"))
        .to_string();
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    (server, base)
}

/// A t-value AC solution with a comment of its own.
fn ac_source(tag: &str) -> String {
    let base = std::fs::read_to_string(repo().join(T_AC)).expect("a bank solution");
    format!("// queue bench {tag}\n{base}")
}

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout_connect(Duration::from_secs(10))
        .timeout_read(Duration::from_mins(1))
        .build()
}

fn post(agent: &ureq::Agent, base: &str, token: &str, source: &str) -> i64 {
    let answer: Value = agent
        .post(&format!("{base}/api/v1/submissions"))
        .set("Authorization", &format!("Bearer {token}"))
        .send_json(json!({ "problem": "t-value", "source": source }))
        .unwrap_or_else(|e| panic!("POST /api/v1/submissions: {e}"))
        .into_json()
        .expect("JSON");
    answer["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no id in {answer}"))
}

fn get(agent: &ureq::Agent, base: &str, token: &str, id: i64) -> Value {
    agent
        .get(&format!("{base}/api/v1/submissions/{id}"))
        .set("Authorization", &format!("Bearer {token}"))
        .call()
        .unwrap_or_else(|e| panic!("GET /api/v1/submissions/{id}: {e}"))
        .into_json()
        .expect("JSON")
}

/// Polls the submissions in order until each is done (the oldest first: workers take them
/// in that order, so one request at a time is enough); their final states, and when the
/// first was seen done.
fn wait_done(agent: &ureq::Agent, base: &str, token: &str, ids: &[i64]) -> (Vec<Value>, Instant) {
    let deadline = Instant::now() + PHASE_LIMIT;
    let mut pending: VecDeque<i64> = ids.iter().copied().collect();
    let mut done = Vec::new();
    let mut first = None;
    while let Some(&id) = pending.front() {
        let state = get(agent, base, token, id);
        if state["status"] == "done" {
            first.get_or_insert_with(Instant::now);
            done.push(state);
            pending.pop_front();
            continue;
        }
        assert!(
            Instant::now() < deadline,
            "{} submissions not done after {PHASE_LIMIT:?}",
            pending.len()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    (done, first.unwrap_or_else(Instant::now))
}

struct Throughput {
    wall_s: f64,
    /// From the first report seen to the last.
    after_first_s: f64,
    done: Vec<Value>,
}

/// A fresh database, a service and `k` workers; `n` submissions judged.
fn judge_with_workers(cluster: &Cluster, k: usize, n: usize, nonce: &str) -> Throughput {
    let url = cluster.database(&format!("workers_{k}"));
    let token = add_user(&url, "bench");
    let (_server, base) = serve(&url, n + 1, &format!("serve-k{k}.log"));
    let workers: Vec<Proc> = (0..k)
        .map(|w| {
            Proc::spawn(
                judge_command()
                    .args(["worker", "--jobs", "1", "--db", &url])
                    .stdout(Stdio::null())
                    .stderr(log_file(&format!("worker-k{k}-{w}.log"))),
            )
        })
        .collect();
    // Every worker registered (and so polling) before anything is sent.
    let store = Store::connect(&url).expect("connect");
    let deadline = Instant::now() + Duration::from_mins(1);
    while store.workers().expect("workers").len() < k {
        for (w, p) in workers.iter().enumerate() {
            assert!(
                Path::new(&format!("/proc/{}", p.pid())).exists(),
                "worker {w} exited (see target/bench/queue-logs/worker-k{k}-{w}.log)"
            );
        }
        assert!(Instant::now() < deadline, "workers not registered in 60 s");
        std::thread::sleep(Duration::from_millis(100));
    }
    let agent = agent();
    // Warm-up: the problem version unpacked into the cache, rustc's files in the page cache.
    let warm = post(
        &agent,
        &base,
        &token,
        &ac_source(&format!("{nonce} warm k{k}")),
    );
    wait_done(&agent, &base, &token, &[warm]);
    let sources: Vec<String> = (0..n)
        .map(|i| ac_source(&format!("{nonce} k{k} {i}")))
        .collect();
    let start = Instant::now();
    let ids: Vec<i64> = sources
        .iter()
        .map(|s| post(&agent, &base, &token, s))
        .collect();
    let (done, first) = wait_done(&agent, &base, &token, &ids);
    let wall_s = start.elapsed().as_secs_f64();
    drop(workers);
    Throughput {
        wall_s,
        after_first_s: first.elapsed().as_secs_f64(),
        done,
    }
}

// ---------------------------------------------------------------------------------------
// The table.

struct Row {
    key: String,
    label: String,
    value: f64,
    unit: &'static str,
}

impl Row {
    fn new(key: String, label: String, value: f64, unit: &'static str) -> Row {
        Row {
            key,
            label,
            value,
            unit,
        }
    }
}

fn main() {
    watch_signals();
    let n = env_usize("BENCH_JOBS", 500);
    let submissions = env_usize("BENCH_SUBMISSIONS", 12);
    let nonce = format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis())
    );
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "queue bench: {n} jobs per backend, {submissions} submissions per worker count, {} CPUs (load average {})",
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get),
        load.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    );
    let dir = bench_dir();
    std::fs::create_dir_all(&dir).unwrap();
    for old in ["queue-sqlite", "queue-logs", "queue-xdg"] {
        let _ = std::fs::remove_dir_all(dir.join(old));
    }
    // Builds and reports of earlier runs go (they are never asked for again).
    for old in ["builds", "reports"] {
        let _ = std::fs::remove_dir_all(dir.join("queue-cache").join(old));
    }

    let mut rows = Vec::new();
    println!("SQLite: {n} jobs ...");
    let sqlite_dir = dir.join("queue-sqlite");
    std::fs::create_dir_all(&sqlite_dir).unwrap();
    let store = Store::open(&sqlite_dir).expect("the SQLite store");
    queue_rows(&mut rows, "sqlite", &store, n);
    drop(store);

    let cluster = Cluster::start();
    let mut throughput = Vec::new();
    if let Some(cluster) = &cluster {
        println!("PostgreSQL: {n} jobs ...");
        let url = cluster.database("queue");
        let store = Store::connect(&url).expect("the PostgreSQL store");
        queue_rows(&mut rows, "postgres", &store, n);
        println!("PostgreSQL: {n} jobs, 4 claiming threads ...");
        let (per_s, split) = concurrent_drain(&url, n, 4);
        rows.push(Row::new(
            "postgres_4_claimers_jobs_per_s".into(),
            "postgres: claim + heartbeat + finish, 4 threads".into(),
            per_s,
            "jobs/s",
        ));
        println!("  jobs each thread finished: {split:?}");
        drop(store);
        for k in 1..=3 {
            println!("judge serve + {k} judge worker --jobs 1, {submissions} submissions ...");
            let t = judge_with_workers(cluster, k, submissions, &nonce);
            rows.push(Row::new(
                format!("workers_{k}_wall_s"),
                format!("{k} worker(s): wall, first POST to last report"),
                t.wall_s,
                "s",
            ));
            rows.push(Row::new(
                format!("workers_{k}_per_min"),
                format!("{k} worker(s): throughput"),
                t.done.len() as f64 * 60.0 / t.wall_s,
                "/min",
            ));
            rows.push(Row::new(
                format!("workers_{k}_after_first_per_min"),
                format!("{k} worker(s): throughput after the first report"),
                (t.done.len() as f64 - 1.0) * 60.0 / t.after_first_s,
                "/min",
            ));
            throughput.push((k, t));
        }
    }
    drop(cluster);

    print_table(&rows);
    for (k, t) in &throughput {
        let mut verdicts: BTreeMap<String, usize> = BTreeMap::new();
        for d in &t.done {
            let v = d["report"]["verdict"]
                .as_str()
                .map_or_else(|| format!("error: {}", d["error"]), str::to_string);
            *verdicts.entry(v).or_default() += 1;
        }
        let cached = t
            .done
            .iter()
            .filter(|d| d["report"]["cached"] == true)
            .count();
        println!("verdicts with {k} worker(s): {verdicts:?}, {cached} cached");
    }
    if throughput.is_empty() {
        println!("\n*** SKIPPED: no PostgreSQL, so only the SQLite rows were measured ***");
    }
    save(&rows);
}

fn print_table(rows: &[Row]) {
    let base = common::baseline("queue-baseline.json");
    println!(
        "\n{:<52} {:>13} {:>13} {:>7}",
        "measure", "value", "baseline", "x base"
    );
    for r in rows {
        let shown = |v: f64| match r.unit {
            "s" => format!("{v:.2} s"),
            "us" => format!("{v:.0} us"),
            _ => format!("{v:.1} {}", r.unit),
        };
        let (b, vs_base) = match base.get(&r.key) {
            Some(b) => (shown(*b), format!("{:.2}", r.value / b)),
            None => (String::new(), String::new()),
        };
        println!(
            "{:<52} {:>13} {:>13} {:>7}",
            r.label,
            shown(r.value),
            b,
            vs_base
        );
    }
}

fn save(rows: &[Row]) {
    common::save(
        rows.iter().map(|r| (r.key.as_ref(), r.value)),
        "queue-latest.json",
        "queue-baseline.json",
    );
}
