//! `cargo bench --bench serve`: what `judge serve` costs over judging the same sources with
//! `judge submit`, on loopback only.
//!
//! Load: BENCH_SUBMISSIONS (default 200) distinct submissions, an AC/WA/TLE/CE mix on t-value
//! and knn, sent by BENCH_CLIENTS (default 20) client threads, each its own candidate, each
//! waiting for its report (`?wait=true`) before sending the next. The same mix (other
//! comments, so nothing is cached in either) is then judged by `judge submit`, as many at once
//! as the service has workers, the box slots split between them as the service shares its
//! own.
//!
//! CPU: this program is the child subreaper of everything it starts, so a box whose parent
//! was killed with it (a TLE) is reaped here and not lost; each side's CPU is then
//! `RUSAGE_CHILDREN` over its phase: the service process (its whole life) or every
//! `judge submit`, with every compiler and box under them. The judging itself is the same
//! work on both sides; the difference is the service's overhead. Each side's own process
//! CPU (/proc/PID/stat utime + stime, in clock ticks) is shown apart.
//!
//! Idle latency: a source judged before (its report cached), sent with `?wait=true` to an
//! idle service against `judge submit` of the same file, alternately, BENCH_RUNS times
//! (default 15); medians. Peak memory: the service's VmHWM after the load.
//!
//! Many hosts: then `judge serve --db --workers 0` on a private PostgreSQL cluster with 1, 2
//! and 4 `judge worker --jobs 1` processes (BENCH_HOSTS, default "1,2,4"; "0" skips it),
//! each a fresh database, BENCH_HOST_SUBMISSIONS (default 60) of the same mix from the same
//! clients: POST-to-report p50 and p95 and throughput per count of processes. Needs
//! PostgreSQL (skipped, saying so, without it). BENCH_SKIP_SINGLE=1 runs only this part.
//!
//! Everything lives under target/bench/: the cache (serve-cache, kept between runs but for
//! its builds and reports), a fresh data dir (serve-data) and the sources (serve-work); the
//! service's stderr goes to serve-stderr.log. Results: target/bench/serve-latest.json,
//! printed beside `benches/serve-baseline.json`.

mod common;
use common::{bench_dir, cores, env_usize, median, percentile, repo};

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

#[path = "../tests/support/cluster.rs"]
#[allow(dead_code, reason = "shared with the tests, which use all of it")]
mod cluster;

const JUDGE: &str = env!("CARGO_BIN_EXE_judge");

/// One kind of submission: a known solution of the bank, or one made not to compile.
struct Kind {
    problem: &'static str,
    file: &'static str,
    expect: &'static str,
}

const T_AC: &str = "problems/t-value/submissions/AC/two_pass.rs";
const T_WA_POP: &str = "problems/t-value/submissions/WA/population_std.rs";
const T_WA_ONE: &str = "problems/t-value/submissions/WA/one_pass_variance.rs";
const K_AC: &str = "problems/knn/submissions/AC/sort_all.rs";
const K_WA_MAN: &str = "problems/knn/submissions/WA/manhattan.rs";
const K_WA_TIE: &str = "problems/knn/submissions/WA/tie_smallest_label.rs";
const K_TLE: &str = "problems/knn/submissions/TLE/selection_sort.rs";

const fn kind(problem: &'static str, file: &'static str, expect: &'static str) -> Kind {
    Kind {
        problem,
        file,
        expect,
    }
}

/// Twenty submissions, repeated: 7 AC, 8 WA, 4 CE, 1 TLE (whose two large cases take
/// two seconds of CPU each).
const MIX: [Kind; 20] = [
    kind("t-value", T_AC, "AC"),
    kind("knn", K_AC, "AC"),
    kind("t-value", T_WA_POP, "WA"),
    kind("knn", K_WA_MAN, "WA"),
    kind("t-value", T_AC, "CE"),
    kind("t-value", T_AC, "AC"),
    kind("knn", K_WA_TIE, "WA"),
    kind("t-value", T_WA_ONE, "WA"),
    kind("knn", K_AC, "CE"),
    kind("knn", K_TLE, "TLE"),
    kind("t-value", T_AC, "AC"),
    kind("knn", K_AC, "AC"),
    kind("t-value", T_WA_POP, "WA"),
    kind("knn", K_WA_MAN, "WA"),
    kind("t-value", T_AC, "CE"),
    kind("t-value", T_AC, "AC"),
    kind("knn", K_AC, "AC"),
    kind("t-value", T_WA_ONE, "WA"),
    kind("knn", K_AC, "CE"),
    kind("knn", K_WA_TIE, "WA"),
];

fn cache() -> PathBuf {
    bench_dir().join("serve-cache")
}

/// The judge with the bench's cache and the repository's bank.
fn judge_command() -> Command {
    let mut c = Command::new(JUDGE);
    c.current_dir(repo())
        .env("JUDGE_CACHE_DIR", cache())
        .env("JUDGE_BANK", repo())
        .env("XDG_DATA_HOME", bench_dir().join("serve-xdg"))
        .env_remove("JUDGE_CACHE_MAX");
    c
}

/// Submission `i`'s source in `phase`: a known solution with a comment of its own (so its
/// build and report are new), made not to compile for a CE.
fn source(nonce: &str, phase: &str, i: usize) -> (&'static Kind, String) {
    let kind = &MIX[i % MIX.len()];
    let base = std::fs::read_to_string(repo().join(kind.file)).expect("a bank solution");
    let mut text = format!("// serve bench {nonce} {phase} {i}\n{base}");
    if kind.expect == "CE" {
        text.push_str("\npub fn bench_broken() -> u32 {\n    \"not a number\"\n}\n");
    }
    (kind, text)
}

/// CPU seconds of every child (and orphan) this process has reaped.
fn children_cpu_s() -> f64 {
    // SAFETY: rusage is plain data filled by the kernel.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: a valid out-pointer.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &raw mut usage) };
    let s = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    s(usage.ru_utime) + s(usage.ru_stime)
}

/// Reaps orphaned boxes handed to this subreaper. Only called when no child this program
/// waits for by its pid is running.
fn reap_orphans() {
    loop {
        let mut status = 0;
        // SAFETY: waiting on any child, without blocking.
        let pid = unsafe { libc::waitpid(-1, &raw mut status, libc::WNOHANG) };
        if pid <= 0 {
            return;
        }
    }
}

/// A process's own CPU in seconds, utime + stime from /proc/PID/stat (clock ticks; its
/// children's are apart, in cutime and cstime).
fn proc_own_cpu(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<f64> = stat[stat.rfind(')')? + 2..]
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0.0))
        .collect();
    // SAFETY: sysconf has no preconditions.
    let tick = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    Some((fields.get(11)? + fields.get(12)?) / tick)
}

fn proc_status_kb(pid: u32, key: &str) -> Option<u64> {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()?
        .lines()
        .find(|l| l.starts_with(key))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Waits until `child` exits and leaves it unreaped, so that /proc still shows its totals.
fn wait_unreaped(child: &Child) {
    loop {
        // SAFETY: siginfo is plain data; WNOWAIT leaves the zombie for `Child::wait`.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        let r = unsafe {
            libc::waitid(
                libc::P_PID,
                child.id(),
                &raw mut info,
                libc::WEXITED | libc::WNOWAIT,
            )
        };
        if r == 0 || std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            return;
        }
    }
}

/// One judged submission as either side saw it.
struct Judged {
    seconds: f64,
    verdict: String,
    expect: &'static str,
    cached: bool,
    /// The judge's own CPU (`judge submit` only).
    own_cpu: f64,
}

/// Runs `judge submit --json` on a file; returns the wall time, the report and the process's
/// own CPU.
fn cli_submit(problem: &str, file: &Path, jobs: usize) -> (f64, Value, f64) {
    let start = Instant::now();
    let mut child = judge_command()
        .args(["submit", problem])
        .arg(file)
        .args(["--json", "--jobs", &jobs.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("judge submit runs");
    let mut stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    wait_unreaped(&child);
    let seconds = start.elapsed().as_secs_f64();
    let own = proc_own_cpu(child.id()).unwrap_or(f64::NAN);
    child.wait().expect("judge submit is reaped");
    let report = serde_json::from_str(&reader.join().unwrap_or_default()).unwrap_or(Value::Null);
    (seconds, report, own)
}

fn verdict_of(report: &Value) -> (String, bool) {
    (
        report["verdict"].as_str().unwrap_or("?").to_string(),
        report["cached"].as_bool().unwrap_or(false),
    )
}

/// What one phase measured.
struct Phase {
    judged: Vec<Judged>,
    wall_s: f64,
    /// CPU of the phase's processes and everything under them.
    total_cpu_s: f64,
    /// The judge processes' own CPU.
    own_cpu_s: f64,
    errors: Vec<String>,
}

/// Every submission judged by `judge submit`, `parallel` at once with `jobs` box slots each.
fn cli_phase(nonce: &str, n: usize, parallel: usize, jobs: usize) -> Phase {
    let dir = bench_dir().join("serve-work/cli");
    let files: Vec<(&'static Kind, PathBuf)> = (0..n)
        .map(|i| {
            let (kind, text) = source(nonce, "cli", i);
            // Each in a folder of its own and named as the service names its sources, so
            // that compiler messages (and report keys) are alike on both sides.
            let file = dir.join(i.to_string()).join("solution.rs");
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(&file, text).unwrap();
            (kind, file)
        })
        .collect();
    reap_orphans();
    let cpu0 = children_cpu_s();
    let next = AtomicUsize::new(0);
    let judged = Mutex::new(Vec::new());
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..parallel {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some((kind, file)) = files.get(i) else {
                    return;
                };
                let (seconds, report, own_cpu) = cli_submit(kind.problem, file, jobs);
                let (verdict, cached) = verdict_of(&report);
                judged.lock().unwrap().push(Judged {
                    seconds,
                    verdict,
                    expect: kind.expect,
                    cached,
                    own_cpu,
                });
            });
        }
    });
    let wall_s = start.elapsed().as_secs_f64();
    reap_orphans();
    let judged = judged.into_inner().unwrap();
    Phase {
        own_cpu_s: judged.iter().map(|j| j.own_cpu).sum(),
        total_cpu_s: children_cpu_s() - cpu0,
        judged,
        wall_s,
        errors: Vec::new(),
    }
}

/// A running `judge serve`.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(data: &Path, workers: usize, log: &Path) -> Server {
        let mut args = vec![
            "--workers".to_string(),
            workers.to_string(),
            "--data".into(),
        ];
        args.push(data.display().to_string());
        Server::start_with(&args, log)
    }

    fn start_with(args: &[String], log: &Path) -> Server {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .unwrap();
        let mut child = judge_command()
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("judge serve starts");
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("judge serve said {line:?}"))
            .to_string();
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        Server { child, url }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGTERM, then waits (SIGKILL after 30 s); says whether it stopped on SIGTERM (or had
    /// stopped already).
    fn stop(mut self) -> bool {
        // SAFETY: signalling our own child, not yet reaped.
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if self.child.try_wait().ok().flatten().is_some() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        false
    }
}

fn add_user(data: &Path, name: &str) -> String {
    add_user_to(&["--data".into(), data.display().to_string()], name)
}

/// A new candidate in the store `place` names (`--data DIR` or `--db URL`); its token.
fn add_user_to(place: &[String], name: &str) -> String {
    let out = judge_command()
        .args(["user", "add", name, "--role", "candidate"])
        .args(place)
        .output()
        .expect("judge user add runs");
    assert!(
        out.status.success(),
        "judge user add: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .last()
        .expect("a token")
        .to_string()
}

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout_connect(Duration::from_secs(10))
        .timeout_read(Duration::from_mins(15))
        .build()
}

/// Why a request failed, and whether the service could not be reached at all.
struct Failed {
    unreachable: bool,
    message: String,
}

impl Failed {
    fn of(what: &str, e: ureq::Error) -> Failed {
        match e {
            ureq::Error::Status(code, r) => Failed {
                unreachable: false,
                message: format!("{what}: {code} {}", r.into_string().unwrap_or_default()),
            },
            e @ ureq::Error::Transport(_) => Failed {
                unreachable: true,
                message: format!("{what}: {e}"),
            },
        }
    }

    fn body(e: &std::io::Error) -> Failed {
        Failed {
            unreachable: false,
            message: format!("the answer is not JSON: {e}"),
        }
    }
}

/// POSTs a submission with `?wait=true` and, should the answer come before the report
/// (the service's wait has a limit), polls for it. Answers 429 by waiting as told.
fn submit_and_wait(
    agent: &ureq::Agent,
    base: &str,
    token: &str,
    problem: &str,
    source: &str,
) -> Result<Value, Failed> {
    let bearer = format!("Bearer {token}");
    let body = json!({ "problem": problem, "source": source }).to_string();
    let mut submission = loop {
        let answer = agent
            .post(&format!("{base}/api/v1/submissions?wait=true"))
            .set("Authorization", &bearer)
            .set("Content-Type", "application/json")
            .send_string(&body);
        match answer {
            Ok(r) => break r.into_json::<Value>().map_err(|e| Failed::body(&e))?,
            Err(ureq::Error::Status(429, r)) => {
                let wait = r
                    .header("Retry-After")
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(1);
                std::thread::sleep(Duration::from_secs(wait));
            }
            Err(e) => return Err(Failed::of("POST", e)),
        }
    };
    while submission["status"] != "done" {
        std::thread::sleep(Duration::from_millis(100));
        let id = submission["id"].as_i64().unwrap_or_default();
        submission = agent
            .get(&format!("{base}/api/v1/submissions/{id}"))
            .set("Authorization", &bearer)
            .call()
            .map_err(|e| Failed::of("GET", e))?
            .into_json()
            .map_err(|e| Failed::body(&e))?;
    }
    Ok(submission)
}

struct ServicePhase {
    phase: Phase,
    peak_kb: u64,
    /// Why the service went away during the load (then the run measured nothing useful).
    lost: Option<String>,
    stopped_cleanly: bool,
}

/// Every submission sent to a fresh service by `clients` client threads.
fn service_phase(
    nonce: &str,
    n: usize,
    clients: usize,
    workers: usize,
    data: &Path,
    log: &Path,
) -> ServicePhase {
    let tokens: Vec<String> = (0..clients)
        .map(|c| add_user(data, &format!("candidate{c}")))
        .collect();
    let sources: Vec<(&'static Kind, String)> =
        (0..n).map(|i| source(nonce, "service", i)).collect();
    reap_orphans();
    let cpu0 = children_cpu_s();
    let mut server = Server::start(data, workers, log);
    let before = proc_own_cpu(server.pid()).unwrap_or_default();
    let start = Instant::now();
    let load = send_load(&mut server, &tokens, &sources);
    let wall_s = start.elapsed().as_secs_f64();
    let Load {
        judged,
        errors,
        lost,
    } = load;
    let after = proc_own_cpu(server.pid()).unwrap_or_default();
    let peak_kb = proc_status_kb(server.pid(), "VmHWM:").unwrap_or(0);
    let stopped_cleanly = server.stop();
    reap_orphans();
    ServicePhase {
        phase: Phase {
            judged,
            wall_s,
            total_cpu_s: children_cpu_s() - cpu0,
            // The service's own CPU over the load (its start and stop are in the total).
            own_cpu_s: after - before,
            errors,
        },
        peak_kb,
        lost,
        stopped_cleanly,
    }
}

/// What one load of submissions came to.
struct Load {
    judged: Vec<Judged>,
    errors: Vec<String>,
    /// Why the service went away during the load (then the run measured nothing useful).
    lost: Option<String>,
}

/// Sends `sources` to `server`, each client (a token) waiting for a report before its next.
fn send_load(server: &mut Server, tokens: &[String], sources: &[(&'static Kind, String)]) -> Load {
    let url = server.url.clone();
    let next = AtomicUsize::new(0);
    let judged = Mutex::new(Vec::new());
    let errors = Mutex::new(Vec::new());
    let unreachable = AtomicBool::new(false);
    let mut lost = None;
    let start = Instant::now();
    std::thread::scope(|s| {
        let mut clients = Vec::new();
        for token in tokens {
            let (next, judged, errors, sources, url, unreachable) =
                (&next, &judged, &errors, &sources, &url, &unreachable);
            clients.push(s.spawn(move || {
                let agent = agent();
                loop {
                    if unreachable.load(Ordering::SeqCst) {
                        return;
                    }
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some((kind, text)) = sources.get(i) else {
                        return;
                    };
                    let t = Instant::now();
                    match submit_and_wait(&agent, url, token, kind.problem, text) {
                        Ok(done) => {
                            let (verdict, cached) = verdict_of(&done["report"]);
                            let verdict = match done["error"].as_str() {
                                Some(e) if verdict == "?" => format!("error: {e}"),
                                _ => verdict,
                            };
                            judged.lock().unwrap().push(Judged {
                                seconds: t.elapsed().as_secs_f64(),
                                verdict,
                                expect: kind.expect,
                                cached,
                                own_cpu: 0.0,
                            });
                        }
                        Err(e) => {
                            unreachable.fetch_or(e.unreachable, Ordering::SeqCst);
                            errors
                                .lock()
                                .unwrap()
                                .push(format!("submission {i}: {}", e.message));
                        }
                    }
                }
            }));
        }
        // The service must stay up under the load. Should it go (a signal from outside: a
        // SIGTERM makes it stop listening, then wait for every request in flight), it is
        // killed, so that the clients waiting on it stop at once.
        while !clients
            .iter()
            .all(std::thread::ScopedJoinHandle::is_finished)
        {
            if lost.is_none() {
                let elapsed = start.elapsed().as_secs_f64();
                if let Ok(Some(status)) = server.child.try_wait() {
                    lost = Some(format!(
                        "the service exited after {elapsed:.0} s ({status})"
                    ));
                } else if unreachable.load(Ordering::SeqCst) {
                    lost = Some(format!(
                        "the service stopped answering after {elapsed:.0} s (stopped listening: a SIGTERM or SIGINT from outside?)"
                    ));
                    let _ = server.child.kill();
                }
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    Load {
        judged: judged.into_inner().unwrap(),
        errors: errors.into_inner().unwrap(),
        lost,
    }
}

/// A `judge worker` process, killed when dropped.
struct WorkerProcess(Child);

impl Drop for WorkerProcess {
    fn drop(&mut self) {
        // SAFETY: signalling our own child, not yet reaped: it finishes what it holds.
        unsafe { libc::kill(self.0.id() as libc::pid_t, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if self.0.try_wait().ok().flatten().is_some() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A worker process on `url`, one judging at once, once it says it judges.
fn start_worker(url: &str, log: &Path) -> WorkerProcess {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap();
    let mut child = judge_command()
        .args(["worker", "--jobs", "1", "--db", url])
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .expect("judge worker starts");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    assert!(line.starts_with("worker "), "judge worker said {line:?}");
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    WorkerProcess(child)
}

/// What the many-hosts part measured for one count of worker processes.
struct Hosts {
    processes: usize,
    load: Load,
    wall_s: f64,
}

/// For each count of `processes`: a fresh database on `cluster`, `judge serve --db
/// --workers 0` and that many worker processes, the load sent by `clients` clients.
fn hosts_phase(
    cluster: &cluster::Cluster,
    nonce: &str,
    n: usize,
    clients: usize,
    processes: &[usize],
    log: &Path,
) -> Vec<Hosts> {
    let mut admin = postgres::Client::connect(&cluster.url(), postgres::NoTls)
        .expect("the bench's cluster answers");
    let mut out = Vec::new();
    for &count in processes {
        let db = format!("hosts_{count}");
        admin
            .batch_execute(&format!("CREATE DATABASE {db}"))
            .expect("a database of its own");
        let url = format!("postgres://judge@127.0.0.1:{}/{db}", cluster.port);
        let place = ["--db".to_string(), url.clone()];
        let tokens: Vec<String> = (0..clients)
            .map(|c| add_user_to(&place, &format!("candidate{c}")))
            .collect();
        let sources: Vec<(&'static Kind, String)> = (0..n)
            .map(|i| source(nonce, &format!("hosts{count}"), i))
            .collect();
        println!(
            "judge serve --db --workers 0 with {count} worker processes, {clients} clients ..."
        );
        let args = [
            "--workers",
            "0",
            "--rate",
            "1000000",
            "--max-queued",
            "1000",
            "--db",
            &url,
        ];
        let mut server = Server::start_with(&args.map(String::from), log);
        let workers: Vec<WorkerProcess> = (0..count).map(|_| start_worker(&url, log)).collect();
        let start = Instant::now();
        let load = send_load(&mut server, &tokens, &sources);
        let wall_s = start.elapsed().as_secs_f64();
        drop(workers);
        server.stop();
        reap_orphans();
        out.push(Hosts {
            processes: count,
            load,
            wall_s,
        });
    }
    out
}

/// The many-hosts table, and its rows for the saved figures.
fn hosts_rows(hosts: &[Hosts]) -> Vec<Row> {
    println!(
        "\n{:<28} {:>12} {:>10} {:>10} {:>8}",
        "worker processes", "throughput", "p50", "p95", "failed"
    );
    let mut rows = Vec::new();
    for h in hosts {
        let times: Vec<f64> = h.load.judged.iter().map(|j| j.seconds).collect();
        let per_min = h.load.judged.len() as f64 * 60.0 / h.wall_s;
        let (p50, p95) = (percentile(times.clone(), 50.0), percentile(times, 95.0));
        println!(
            "{:<28} {:>7.1} /min {:>8.2} s {:>8.2} s {:>8}",
            h.processes,
            per_min,
            p50,
            p95,
            h.load.errors.len()
        );
        println!("  verdicts: {}", mix(&h.load.judged));
        if let Some(lost) = &h.load.lost {
            println!("  NOT A VALID RUN: {lost}");
        }
        let key = |what: &str| format!("hosts_{}_{what}", h.processes);
        rows.push(row(&key("per_min"), "", per_min, "/min", ""));
        rows.push(row(&key("p50_s"), "", p50, "s", ""));
        rows.push(row(&key("p95_s"), "", p95, "s", ""));
    }
    rows
}

/// Median milliseconds of a cached submission through an idle service (`?wait=true`) and
/// through `judge submit`, taken alternately; and how many of those were judged again
/// instead of answered from the cache.
fn idle_latency(
    nonce: &str,
    runs: usize,
    workers: usize,
    data: &Path,
    log: &Path,
) -> (f64, f64, usize) {
    let (kind, text) = source(nonce, "idle", 0);
    let file = bench_dir().join("serve-work/idle/solution.rs");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, &text).unwrap();
    // Judged once, so that both sides find its report cached.
    cli_submit(kind.problem, &file, cores());
    let token = add_user(data, "idle");
    let server = Server::start(data, workers, log);
    let agent = agent();
    let (mut service, mut cli) = (Vec::new(), Vec::new());
    let mut judged_again = 0;
    for run in 0..=runs {
        let t = Instant::now();
        let done = submit_and_wait(&agent, &server.url, &token, kind.problem, &text)
            .unwrap_or_else(|e| panic!("the idle service: {}", e.message));
        let service_ms = t.elapsed().as_secs_f64() * 1000.0;
        let (seconds, report, _) = cli_submit(kind.problem, &file, cores());
        // The first of each is a warm-up.
        if run > 0 {
            service.push(service_ms);
            cli.push(seconds * 1000.0);
            judged_again += usize::from(done["report"]["cached"] != true)
                + usize::from(report["cached"] != true);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(agent);
    server.stop();
    reap_orphans();
    (median(service), median(cli), judged_again)
}

struct Row {
    key: String,
    label: String,
    value: f64,
    unit: &'static str,
    goal: &'static str,
}

fn row(key: &str, label: &str, value: f64, unit: &'static str, goal: &'static str) -> Row {
    Row {
        key: key.to_string(),
        label: label.to_string(),
        value,
        unit,
        goal,
    }
}

/// "AC 70, WA 80, ..." and how many were not what their kind expects, or came cached.
fn mix(judged: &[Judged]) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for j in judged {
        *counts.entry(j.verdict.as_str()).or_default() += 1;
    }
    let unexpected = judged.iter().filter(|j| j.verdict != j.expect).count();
    let cached = judged.iter().filter(|j| j.cached).count();
    let list: Vec<String> = counts.iter().map(|(v, n)| format!("{v} {n}")).collect();
    format!(
        "{} ({unexpected} not as expected, {cached} cached)",
        list.join(", ")
    )
}

fn main() {
    // Boxes killed with their parent (a TLE) become this process's to reap, and their CPU is
    // counted with everything else.
    // SAFETY: prctl with plain integer arguments.
    unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) };
    let n = env_usize("BENCH_SUBMISSIONS", 200);
    let clients = env_usize("BENCH_CLIENTS", 20).min(n);
    let workers = env_usize("BENCH_WORKERS", cores());
    let runs = env_usize("BENCH_RUNS", 15);
    let nonce = format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis())
    );
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "serve bench: {n} submissions from {clients} clients, {workers} workers, {} CPUs (load average {})",
        cores(),
        load.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    );

    let dir = bench_dir();
    std::fs::create_dir_all(&dir).unwrap();
    for old in ["serve-data", "serve-work"] {
        let _ = std::fs::remove_dir_all(dir.join(old));
    }
    // Builds and reports of earlier runs go (they are never asked for again); the runtime,
    // the harness libraries, the inputs and the answers are kept.
    for old in ["builds", "reports"] {
        let _ = std::fs::remove_dir_all(cache().join(old));
    }
    let data = dir.join("serve-data");
    let log = dir.join("serve-stderr.log");
    let _ = std::fs::remove_file(&log);

    // Warm-up: the runtime, each problem's harness library, inputs and answers, and each
    // kind compiled once (rustc's files in the page cache).
    for (i, kind) in MIX.iter().enumerate() {
        let (_, text) = source(&nonce, "warm", i);
        let file = dir.join(format!("serve-work/warm/{i}/solution.rs"));
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, text).unwrap();
        if kind.expect != "TLE" {
            cli_submit(kind.problem, &file, cores());
        }
    }

    let mut rows = Vec::new();
    if std::env::var("BENCH_SKIP_SINGLE").is_ok_and(|v| v == "1") {
        println!("BENCH_SKIP_SINGLE=1: the one-process comparison is skipped");
    } else {
        rows.extend(single_process(
            &nonce, n, clients, workers, runs, &data, &log,
        ));
    }
    let processes: Vec<usize> = std::env::var("BENCH_HOSTS")
        .unwrap_or_else(|_| "1,2,4".into())
        .split(',')
        .filter_map(|p| p.trim().parse().ok())
        .filter(|&p| p > 0)
        .collect();
    if !processes.is_empty() {
        match cluster::Cluster::new() {
            Some(cluster) => {
                let host_n = env_usize("BENCH_HOST_SUBMISSIONS", 60);
                let hosts = hosts_phase(
                    &cluster,
                    &nonce,
                    host_n,
                    clients.min(host_n),
                    &processes,
                    &log,
                );
                rows.extend(hosts_rows(&hosts));
            }
            None => println!(
                "\nSKIPPED the many-hosts part: PostgreSQL is not installed (apt-get install postgresql)"
            ),
        }
    }
    report_stderr(&log);
    save(&rows);
}

/// The one-process comparison: `judge submit` against `judge serve --workers N`, then the
/// idle latency; prints its table and returns its rows.
fn single_process(
    nonce: &str,
    n: usize,
    clients: usize,
    workers: usize,
    runs: usize,
    data: &Path,
    log: &Path,
) -> Vec<Row> {
    let jobs_each = (cores() / workers).max(1);
    println!("judge submit, {workers} at once, --jobs {jobs_each} each ...");
    let cli = cli_phase(nonce, n, workers, jobs_each);
    println!("judge serve --workers {workers}, {clients} clients ...");
    let service = service_phase(nonce, n, clients, workers, data, log);
    println!("idle service against judge submit, {runs} runs ...");
    let (idle_service_ms, idle_cli_ms, idle_judged_again) =
        idle_latency(nonce, runs, workers, data, log);

    let s = &service.phase;
    let times = |p: &Phase| p.judged.iter().map(|j| j.seconds).collect::<Vec<f64>>();
    let per_minute = |p: &Phase| p.judged.len() as f64 * 60.0 / p.wall_s;
    let rows = vec![
        row(
            "service_per_min",
            "service: throughput",
            per_minute(s),
            "/min",
            "",
        ),
        row(
            "cli_per_min",
            "judge submit, same parallelism: throughput",
            per_minute(&cli),
            "/min",
            "",
        ),
        row(
            "service_p50_s",
            "service: POST to report, p50",
            percentile(times(s), 50.0),
            "s",
            "",
        ),
        row(
            "service_p95_s",
            "service: POST to report, p95",
            percentile(times(s), 95.0),
            "s",
            "",
        ),
        row(
            "cli_p50_s",
            "judge submit: one submission, p50",
            percentile(times(&cli), 50.0),
            "s",
            "",
        ),
        row(
            "cli_p95_s",
            "judge submit: one submission, p95",
            percentile(times(&cli), 95.0),
            "s",
            "",
        ),
        row(
            "service_cpu_s",
            "service: CPU, process + compilers + boxes",
            s.total_cpu_s,
            "s",
            "",
        ),
        row(
            "cli_cpu_s",
            "judge submit: CPU, processes + compilers + boxes",
            cli.total_cpu_s,
            "s",
            "",
        ),
        row(
            "cpu_overhead_pct",
            "service CPU over judge submit's",
            (s.total_cpu_s / cli.total_cpu_s - 1.0) * 100.0,
            "%",
            "<= 5 %",
        ),
        row(
            "service_own_cpu_s",
            "  service process's own CPU",
            s.own_cpu_s,
            "s",
            "",
        ),
        row(
            "cli_own_cpu_s",
            "  judge submit processes' own CPU",
            cli.own_cpu_s,
            "s",
            "",
        ),
        row(
            "service_own_cpu_ms_per_submission",
            "  service's own CPU per submission",
            s.own_cpu_s * 1000.0 / s.judged.len().max(1) as f64,
            "ms",
            "",
        ),
        row(
            "idle_service_ms",
            "idle service, cached source, ?wait=true",
            idle_service_ms,
            "ms",
            "",
        ),
        row(
            "idle_cli_ms",
            "judge submit, same cached source",
            idle_cli_ms,
            "ms",
            "",
        ),
        row(
            "idle_added_ms",
            "added latency per submission (service - submit)",
            idle_service_ms - idle_cli_ms,
            "ms",
            "<= 20 ms",
        ),
        row(
            "service_failed",
            "service: submissions without a report",
            (n - s.judged.len()) as f64,
            "",
            "0",
        ),
        row(
            "service_peak_mib",
            "service's own peak memory (VmHWM)",
            service.peak_kb as f64 / 1024.0,
            "MiB",
            "< 100 MiB",
        ),
    ];
    print_table(&rows);
    if let Some(lost) = &service.lost {
        println!("\nNOT A VALID RUN: {lost}");
    }
    println!("\nverdicts, service:      {}", mix(&s.judged));
    println!("verdicts, judge submit: {}", mix(&cli.judged));
    if !s.errors.is_empty() {
        println!("\n{} requests failed, first ones:", s.errors.len());
        for e in s.errors.iter().take(5) {
            println!("  {e}");
        }
    }
    if idle_judged_again > 0 {
        println!(
            "\n{idle_judged_again} idle submissions were judged again, not answered from the cache"
        );
    }
    if !service.stopped_cleanly {
        println!("\nthe service did not stop within 30 s of SIGTERM (killed)");
    }
    rows
}

/// The warnings and errors the service and workers logged, the first ones shown (their
/// log has a line per judged job besides).
fn report_stderr(log: &Path) {
    let stderr = std::fs::read_to_string(log).unwrap_or_default();
    let bad: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains(" WARN ") || l.contains(" ERROR ") || l.starts_with("error"))
        .collect();
    if !bad.is_empty() {
        println!(
            "\nthe service and workers logged {} warnings or errors in {}, first ones:",
            bad.len(),
            log.display()
        );
        for line in bad.iter().take(5) {
            println!("  {line}");
        }
    }
}

fn print_table(rows: &[Row]) {
    let base = common::baseline("serve-baseline.json");
    println!(
        "\n{:<50} {:>11} {:>11} {:>7}  goal",
        "measure", "value", "baseline", "x base"
    );
    for r in rows {
        let shown = |v: f64| match r.unit {
            "s" => format!("{v:.2} s"),
            _ => format!("{v:.1} {}", r.unit),
        };
        let (b, vs_base) = match base.get(&r.key) {
            Some(b) => (shown(*b), format!("{:.2}", r.value / b)),
            None => (String::new(), String::new()),
        };
        println!(
            "{:<50} {:>11} {:>11} {:>7}  {}",
            r.label,
            shown(r.value),
            b,
            vs_base,
            r.goal
        );
    }
}

fn save(rows: &[Row]) {
    common::save(
        rows.iter().map(|r| (r.key.as_ref(), r.value)),
        "serve-latest.json",
        "serve-baseline.json",
    );
}
