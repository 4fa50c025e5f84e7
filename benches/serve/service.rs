//! The service side: a `judge serve` on loopback, its candidates, the load sent by client
//! threads each waiting for its report, and the latency of an idle service.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::cli_side::{cli_submit, verdict_of, Judged, Phase};
use crate::common::{bench_dir, cores, median};
use crate::mix::{judge_command, source, Kind};
use crate::process::{children_cpu_s, proc_own_cpu, proc_status_kb, reap_orphans};

/// A running `judge serve`.
pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) url: String,
}

impl Server {
    pub(crate) fn start(data: &Path, workers: usize, log: &Path) -> Server {
        let mut args = vec![
            "--workers".to_string(),
            workers.to_string(),
            "--data".into(),
        ];
        args.push(data.display().to_string());
        Server::start_with(&args, log)
    }

    pub(crate) fn start_with(args: &[String], log: &Path) -> Server {
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

    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGTERM, then waits (SIGKILL after 30 s); says whether it stopped on SIGTERM (or had
    /// stopped already).
    pub(crate) fn stop(mut self) -> bool {
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

pub(crate) fn add_user(data: &Path, name: &str) -> String {
    add_user_to(&["--data".into(), data.display().to_string()], name)
}

/// A new candidate in the store `place` names (`--data DIR` or `--db URL`); its token.
pub(crate) fn add_user_to(place: &[String], name: &str) -> String {
    crate::common::add_candidate(judge_command(), place, name)
}

pub(crate) fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout_connect(Duration::from_secs(10))
        .timeout_read(Duration::from_mins(15))
        .build()
}

/// Why a request failed, and whether the service could not be reached at all.
pub(crate) struct Failed {
    pub(crate) unreachable: bool,
    pub(crate) message: String,
}

impl Failed {
    pub(crate) fn of(what: &str, e: ureq::Error) -> Failed {
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

    pub(crate) fn body(e: &std::io::Error) -> Failed {
        Failed {
            unreachable: false,
            message: format!("the answer is not JSON: {e}"),
        }
    }
}

/// POSTs a submission with `?wait=true` and, should the answer come before the report
/// (the service's wait has a limit), polls for it. Answers 429 by waiting as told.
pub(crate) fn submit_and_wait(
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

pub(crate) struct ServicePhase {
    pub(crate) phase: Phase,
    pub(crate) peak_kb: u64,
    /// Why the service went away during the load (then the run measured nothing useful).
    pub(crate) lost: Option<String>,
    pub(crate) stopped_cleanly: bool,
}

/// Every submission sent to a fresh service by `clients` client threads.
pub(crate) fn service_phase(
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
pub(crate) struct Load {
    pub(crate) judged: Vec<Judged>,
    pub(crate) errors: Vec<String>,
    /// Why the service went away during the load (then the run measured nothing useful).
    pub(crate) lost: Option<String>,
}

/// Sends `sources` to `server`, each client (a token) waiting for a report before its next.
pub(crate) fn send_load(
    server: &mut Server,
    tokens: &[String],
    sources: &[(&'static Kind, String)],
) -> Load {
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

/// Median milliseconds of a cached submission through an idle service (`?wait=true`) and
/// through `judge submit`, taken alternately; and how many of those were judged again
/// instead of answered from the cache.
pub(crate) fn idle_latency(
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
