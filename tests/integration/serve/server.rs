//! A running `judge serve` and how the tests talk to it: users, requests, the bank's
//! submissions as sources, and waiting for a judging to finish.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::{repo, shared_cache, shared_data_home};

/// What a server wrote to its stderr so far.
pub(crate) type Log = std::sync::Arc<std::sync::Mutex<String>>;

/// A running `judge serve`, killed when dropped.
pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) url: String,
}

impl Server {
    /// A server whose rate limit never gets in a test's way (it polls).
    pub(crate) fn start(data: &Path) -> Server {
        Server::start_with(data, &["--rate", "1000000", "--workers", "2"])
    }

    pub(crate) fn start_with(data: &Path, flags: &[&str]) -> Server {
        Server::start_on_bank(data, flags, &repo())
    }

    /// A server whose problems are the bank at `bank`.
    pub(crate) fn start_on_bank(data: &Path, flags: &[&str], bank: &Path) -> Server {
        Server::launch(data, flags, bank, None)
    }

    /// A server whose log (its stderr) is kept in `log` as it writes it.
    pub(crate) fn start_logged(data: &Path, flags: &[&str], log: Log) -> Server {
        Server::launch(data, flags, &repo(), Some(log))
    }

    pub(crate) fn launch(data: &Path, flags: &[&str], bank: &Path, log: Option<Log>) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_judge"))
            .args(["serve", "--listen", "127.0.0.1:0", "--data"])
            .arg(data)
            .args(flags)
            .env("JUDGE_CACHE_DIR", shared_cache())
            .env("XDG_DATA_HOME", shared_data_home())
            .env("JUDGE_BANK", bank)
            .env_remove("JUDGE_CACHE_MAX")
            .stdout(Stdio::piped())
            .stderr(if log.is_some() {
                Stdio::piped()
            } else {
                Stdio::inherit()
            })
            .spawn()
            .expect("judge serve starts");
        if let (Some(log), Some(mut stderr)) = (log, child.stderr.take()) {
            std::thread::spawn(move || {
                let mut chunk = [0u8; 4096];
                while let Ok(n @ 1..) = stderr.read(&mut chunk) {
                    log.lock()
                        .unwrap()
                        .push_str(&String::from_utf8_lossy(&chunk[..n]));
                }
            });
        }
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("judge serve said {line:?}"))
            .to_string();
        // The rest of its output is drained so that it never blocks on a full pipe.
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        Server { child, url }
    }

    pub(crate) fn api(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.url)
    }

    pub(crate) fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Adds a user to the data dir; returns its token (the last word `judge user add` prints).
pub(crate) fn add_user(data: &Path, name: &str, role: &str) -> String {
    add_user_with(&[], data, name, role)
}

/// `add_user` with more flags (`--db URL`).
pub(crate) fn add_user_with(flags: &[&str], data: &Path, name: &str, role: &str) -> String {
    let said = succeeded(
        Command::new(env!("CARGO_BIN_EXE_judge"))
            .args(["user", "add", name, "--role", role, "--data"])
            .arg(data)
            .args(flags),
    );
    said.split_whitespace().last().unwrap().to_string()
}

/// Runs a `judge` command that must succeed (failing with its stderr); its stdout.
pub(crate) fn succeeded(command: &mut Command) -> String {
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A request's status and JSON body, whatever the status.
pub(crate) fn answer(result: Result<ureq::Response, ureq::Error>) -> (u16, Value) {
    let response = match result {
        Ok(r) | Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("no answer: {e}"),
    };
    let status = response.status();
    let body = response.into_string().unwrap();
    (
        status,
        serde_json::from_str(&body).unwrap_or(Value::String(body)),
    )
}

pub(crate) fn get(url: &str, token: &str) -> (u16, Value) {
    answer(
        ureq::get(url)
            .set("Authorization", &format!("Bearer {token}"))
            .call(),
    )
}

pub(crate) fn post(url: &str, token: &str, body: &str) -> (u16, Value) {
    answer(
        ureq::post(url)
            .set("Authorization", &format!("Bearer {token}"))
            .set("Content-Type", "application/json")
            .send_string(body),
    )
}

pub(crate) fn source(path: &str) -> String {
    std::fs::read_to_string(repo().join(path)).unwrap()
}

pub(crate) fn submission(problem: &str, source: &str) -> String {
    json!({ "problem": problem, "source": source }).to_string()
}

/// `Server::start`'s flags, with webhooks allowed to reach receivers on 127.0.0.1.
pub(crate) const LOOPBACK_HOOKS: &[&str] = &[
    "--rate",
    "1000000",
    "--workers",
    "2",
    "--webhook-allow",
    "127.0.0.1",
];

pub(crate) const T_VALUE_AC: &str = "problems/t-value/submissions/AC/two_pass.rs";

pub(crate) const T_VALUE_WA: &str = "problems/t-value/submissions/WA/population_std.rs";

pub(crate) fn data_dir() -> (tempfile::TempDir, PathBuf) {
    let keep = tempfile::tempdir().unwrap();
    let data = keep.path().join("data");
    (keep, data)
}

/// Asks `probe` every 20 ms until it answers, for at most `within`; then fails saying
/// `what` never happened (and what `probe` last saw, through `last`).
pub(crate) fn eventually<T>(
    within: Duration,
    what: &str,
    mut probe: impl FnMut(&mut String) -> Option<T>,
) -> T {
    let deadline = Instant::now() + within;
    let mut last = String::new();
    loop {
        if let Some(found) = probe(&mut last) {
            return found;
        }
        assert!(Instant::now() < deadline, "{what}: {last}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits until one of the user's submissions is being judged (a kill then lands mid-case),
/// failing after `within` saying `what` never happened.
pub(crate) fn one_is_judging(server: &Server, token: &str, within: Duration, what: &str) {
    eventually(within, what, |last| {
        let (_, list) = get(&server.api("/submissions"), token);
        let judging = list["submissions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["status"] == "judging");
        *last = list.to_string();
        judging.then_some(())
    });
}

/// Sends `submissions` (each its verdict to be and a t-value source, as `sixty_submissions`
/// makes them) as one batch, which must be taken; their ids, in order.
pub(crate) fn post_batch(server: &Server, token: &str, submissions: &[(&str, String)]) -> Vec<i64> {
    let batch = json!({
        "submissions": submissions
            .iter()
            .map(|(_, s)| json!({"problem": "t-value", "source": s}))
            .collect::<Vec<_>>()
    });
    let (status, made) = post(&server.api("/submissions/batch"), token, &batch.to_string());
    assert_eq!(status, 201, "{made}");
    made["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_i64().unwrap())
        .collect()
}

/// Waits for submission `id` to be judged; returns it.
pub(crate) fn finished(server: &Server, token: &str, id: i64) -> Value {
    eventually(
        Duration::from_mins(5),
        &format!("submission {id} never finished"),
        |last| {
            let (_, s) = get(&server.api(&format!("/submissions/{id}")), token);
            *last = s.to_string();
            (s["status"] == "done").then_some(s)
        },
    )
}

/// A t-value solution that burns CPU for a while on every case, then answers right: slow
/// enough that a kill lands in the middle of its judging. Each is a source never seen
/// before (its `n`, this process and the clock in a comment), so that no cached report
/// from an earlier run stands in for a judging.
pub(crate) fn slow_ac(n: usize) -> String {
    format!(
        "// submission {n} of run {}\nmod right {{\n{}\n}}\npub fn t_value(var: Vec<f64>, mu0: f64) -> f64 {{\n    let mut x = 0u64;\n    for _ in 0..30_000_000u64 {{ x = std::hint::black_box(x + 1); }}\n    right::t_value(var, mu0)\n}}\n",
        run_nonce(),
        source(T_VALUE_AC)
    )
}

/// A t-value solution slow on every case (about a second of CPU for each), right: a
/// judging long enough to cut into. A source never seen before, as `slow_ac`.
pub(crate) fn slower_ac(n: usize) -> String {
    slow_ac(n).replace("30_000_000u64", "400_000_000u64")
}

/// This test process, and when it started.
fn run_nonce() -> String {
    static NONCE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    NONCE
        .get_or_init(|| {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap();
            format!("{}-{}", std::process::id(), now.as_nanos())
        })
        .clone()
}

/// Sixty submissions of four kinds (a few slow, so a kill lands mid-case), as the
/// PostgreSQL suite's three-worker test sends them; each with the verdict it must get.
pub(crate) fn sixty_submissions() -> Vec<(&'static str, String)> {
    (0..60)
        .map(|n| match n % 10 {
            0 => ("AC", slow_ac(600 + n)),
            1 | 4 | 7 => ("WA", source(T_VALUE_WA)),
            2 => ("CE", "pub fn t_value() {}".to_string()),
            _ => ("AC", source(T_VALUE_AC)),
        })
        .collect()
}
