//! `judge serve` as a client uses it: the real server on 127.0.0.1 (an ephemeral port), real
//! HTTP, the real database in a temp data dir; killed with SIGKILL in the middle and started
//! again on the same data.

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
    child: Child,
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

    fn launch(data: &Path, flags: &[&str], bank: &Path, log: Option<Log>) -> Server {
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
    let out = Command::new(env!("CARGO_BIN_EXE_judge"))
        .args(["user", "add", name, "--role", role, "--data"])
        .arg(data)
        .args(flags)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    text.split_whitespace().last().unwrap().to_string()
}

/// A request's status and JSON body, whatever the status.
fn answer(result: Result<ureq::Response, ureq::Error>) -> (u16, Value) {
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

#[test]
fn submissions_are_judged_kept_and_listed() {
    let (_keep, data) = data_dir();
    let token = add_user(&data, "ada", "candidate");
    let server = Server::start(&data);
    let (status, health) = answer(ureq::get(&format!("{}/healthz", server.url)).call());
    assert_eq!((status, &health["ok"]), (200, &json!(true)));

    let (status, done) = post(
        &server.api("/submissions?wait=true"),
        &token,
        &submission("t-value", &source(T_VALUE_AC)),
    );
    assert_eq!(status, 201, "{done}");
    assert_eq!(done["status"], "done", "{done}");
    assert_eq!(done["report"]["verdict"], "AC", "{done}");
    assert_eq!(done["report"]["schema"], 2);
    assert_eq!(done["report"]["score"], done["report"]["max_score"]);
    assert!(done["problem_version"]
        .as_str()
        .is_some_and(|v| !v.is_empty()));
    let id = done["id"].as_i64().unwrap();

    let (_, wrong) = post(
        &server.api("/submissions?wait=true"),
        &token,
        &submission("t-value", &source(T_VALUE_WA)),
    );
    assert_eq!(wrong["report"]["verdict"], "WA", "{wrong}");

    let (status, again) = get(&server.api(&format!("/submissions/{id}")), &token);
    assert_eq!(status, 200);
    assert_eq!(again["report"], done["report"]);
    assert_eq!(again["source"].as_str().unwrap(), source(T_VALUE_AC));

    let (_, history) = get(&server.api("/submissions?problem=t-value"), &token);
    let listed: Vec<i64> = history["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    assert_eq!(listed, [wrong["id"].as_i64().unwrap(), id], "newest first");

    let (_, easy) = get(&server.api("/problems?difficulty=easy"), &token);
    let easy = easy["problems"].as_array().unwrap().clone();
    assert!(!easy.is_empty() && easy.iter().all(|p| p["difficulty"] == "easy"));
    let (status, doc) = get(&server.api("/problems/t-value"), &token);
    assert_eq!(status, 200, "{doc}");
    let title = doc["title"].as_str().unwrap();
    assert!(doc["statement"].as_str().unwrap().contains(title), "{doc}");
    assert!(doc["stub"].as_str().unwrap().contains("pub fn"));
    assert!(!doc["samples"].as_array().unwrap().is_empty());
    assert!(doc["samples"][0]["expected"] != Value::Null, "{doc}");
    assert!(!doc["groups"].as_array().unwrap().is_empty());
    assert_eq!(get(&server.api("/problems/no-such"), &token).0, 404);
}

#[test]
fn tokens_roles_and_bad_input_get_clear_answers() {
    let (_keep, data) = data_dir();
    let ada = add_user(&data, "ada", "candidate");
    let bob = add_user(&data, "bob", "candidate");
    let author = add_user(&data, "ann", "author");
    let server = Server::start(&data);
    let url = server.api("/submissions");

    // Without a token, or with a wrong one: 401.
    let (status, body) = answer(ureq::get(&server.api("/problems")).call());
    assert_eq!(status, 401, "{body}");
    assert!(body["error"].as_str().unwrap().contains("Bearer"));
    assert_eq!(get(&server.api("/problems"), "not-a-token").0, 401);

    // Bad input: 400 naming the field, 413 for a source too big; nothing is stored.
    let bad = |body: &str| post(&url, &ada, body);
    let (status, e) = bad("{not json");
    assert_eq!(status, 400, "{e}");
    assert!(e["error"].as_str().unwrap().contains("not JSON"), "{e}");
    let (status, e) = bad(r#"{"problem": "t-value", "source": 5}"#);
    assert_eq!((status, e["field"].as_str()), (400, Some("source")), "{e}");
    let (status, e) = bad(r#"{"problem": "no-such", "source": "fn x() {}"}"#);
    assert_eq!((status, e["field"].as_str()), (400, Some("problem")), "{e}");
    let (status, e) = bad(r#"{"source": "fn x() {}"}"#);
    assert_eq!((status, e["field"].as_str()), (400, Some("problem")), "{e}");
    let (status, e) = bad(r#"{"problem": "t-value", "source": "x", "mode": "fast"}"#);
    assert_eq!((status, e["field"].as_str()), (400, Some("mode")), "{e}");
    let (status, e) = bad(r#"{"problem": "t-value", "source": "x", "sauce": 1}"#);
    assert_eq!(status, 400, "{e}");
    assert!(e["error"].as_str().unwrap().contains("sauce"), "{e}");
    let big = submission("t-value", &"x".repeat(65 * 1024));
    let (status, e) = bad(&big);
    assert_eq!((status, e["field"].as_str()), (413, Some("source")), "{e}");
    let (_, history) = get(&url, &ada);
    assert_eq!(history["submissions"].as_array().unwrap().len(), 0);

    // Someone else's submission does not exist for a candidate; an author reads it.
    let (_, mine) = post(
        &format!("{url}?wait=true"),
        &ada,
        &submission("t-value", &source(T_VALUE_AC)),
    );
    let id = mine["id"].as_i64().unwrap();
    assert_eq!(get(&server.api(&format!("/submissions/{id}")), &bob).0, 404);
    assert_eq!(
        get(&server.api(&format!("/submissions/{id}/events")), &bob).0,
        404
    );
    assert_eq!(
        get(&server.api(&format!("/submissions/{id}")), &author).0,
        200
    );
    // A candidate's history is its own, whatever it asks for.
    let (_, others) = get(&format!("{url}?user=ada"), &bob);
    assert_eq!(others["submissions"].as_array().unwrap().len(), 0);
    let (_, all) = get(&format!("{url}?user=ada"), &author);
    assert_eq!(all["submissions"].as_array().unwrap().len(), 1);
}

/// The server-sent events of one submission, until the stream ends: (event, data) pairs.
pub(crate) fn events(url: &str, token: &str) -> Vec<(String, Value)> {
    let response = ureq::get(url)
        .set("Authorization", &format!("Bearer {token}"))
        .call()
        .unwrap();
    let mut text = String::new();
    response.into_reader().read_to_string(&mut text).unwrap();
    text.split("\n\n")
        .filter_map(|block| {
            let mut name = None;
            let mut data = None;
            for line in block.lines() {
                if let Some(n) = line.strip_prefix("event: ") {
                    name = Some(n.to_string());
                } else if let Some(d) = line.strip_prefix("data: ") {
                    data = serde_json::from_str(d).ok();
                }
            }
            Some((name?, data?))
        })
        .collect()
}

/// A server-sent event: its id (when it has one), name and data.
pub(crate) type Told = (Option<i64>, String, Value);

/// An open stream of server-sent events, read one event at a time.
pub(crate) struct Stream(BufReader<Box<dyn Read + Send + Sync>>);

impl Stream {
    /// Opens `url`'s events, after event `last` when given (`Last-Event-ID`).
    pub(crate) fn open(url: &str, token: &str, last: Option<i64>) -> Stream {
        let mut request = ureq::get(url).set("Authorization", &format!("Bearer {token}"));
        if let Some(last) = last {
            request = request.set("Last-Event-ID", &last.to_string());
        }
        Stream(BufReader::new(request.call().unwrap().into_reader()))
    }

    /// The next event, or None where the stream ends.
    pub(crate) fn next(&mut self) -> Option<Told> {
        let (mut id, mut name, mut data) = (None, None, None);
        loop {
            let mut line = String::new();
            if self.0.read_line(&mut line).unwrap_or(0) == 0 {
                return None;
            }
            let line = line.trim_end_matches(['\n', '\r']);
            if line.is_empty() {
                if let (Some(name), Some(data)) = (name.take(), data.take()) {
                    return Some((id, name, data));
                }
                id = None;
                continue;
            }
            if let Some(v) = line
                .strip_prefix("id: ")
                .or_else(|| line.strip_prefix("id:"))
            {
                id = v.trim().parse().ok();
            } else if let Some(v) = line.strip_prefix("event: ") {
                name = Some(v.to_string());
            } else if let Some(v) = line.strip_prefix("data: ") {
                data = serde_json::from_str(v).ok();
            }
        }
    }

    /// Every event to the end of the stream.
    pub(crate) fn rest(&mut self) -> Vec<Told> {
        std::iter::from_fn(|| self.next()).collect()
    }
}

/// A t-value solution slow on every case (about a second of CPU for each), right: a
/// judging long enough to cut into. A source never seen before, as `slow_ac`.
pub(crate) fn slower_ac(n: usize) -> String {
    slow_ac(n).replace("30_000_000u64", "400_000_000u64")
}

/// Reads a submission's events up to its first finished case, drops the connection, and
/// connects again with the last id it got: the second stream starts right after it, and
/// the two together hold every case once, in order, ending with `done`.
pub(crate) fn reconnecting_reader_misses_nothing(events_url: &str, token: &str) -> Value {
    let mut first = Stream::open(events_url, token, None);
    let mut got = Vec::new();
    while let Some(told) = first.next() {
        let finished_a_case = told.1 == "case-finished";
        got.push(told);
        if finished_a_case {
            break;
        }
    }
    drop(first);
    let last = got.last().and_then(|t| t.0).expect("events carry ids");
    let rest = Stream::open(events_url, token, Some(last)).rest();
    assert!(
        rest.iter().all(|t| t.0.is_none_or(|id| id > last)),
        "only events after {last}: {rest:?}"
    );
    got.extend(rest);
    let names: Vec<&str> = got.iter().map(|t| t.1.as_str()).collect();
    assert_eq!(names.last(), Some(&"done"), "{names:?}");
    let ids: Vec<i64> = got.iter().filter_map(|t| t.0).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "ids grow: {ids:?}");
    let cases = got
        .iter()
        .find(|t| t.1 == "running")
        .and_then(|t| t.2["cases"].as_u64())
        .expect("a running event") as usize;
    let finished: Vec<&str> = got
        .iter()
        .filter(|t| t.1 == "case-finished")
        .map(|t| t.2["name"].as_str().unwrap())
        .collect();
    let mut unique = finished.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(
        (finished.len(), unique.len()),
        (cases, cases),
        "every case once: {names:?}"
    );
    got.pop().unwrap().2
}

#[test]
fn a_client_that_connects_again_with_last_event_id_misses_nothing() {
    let (_keep, data) = data_dir();
    let token = add_user(&data, "ada", "candidate");
    let server = Server::start(&data);
    let (status, queued) = post(
        &server.api("/submissions"),
        &token,
        &submission("t-value", &slower_ac(1)),
    );
    assert_eq!(status, 201, "{queued}");
    let id = queued["id"].as_i64().unwrap();
    let url = server.api(&format!("/submissions/{id}/events"));
    let done = reconnecting_reader_misses_nothing(&url, &token);
    assert_eq!(done["report"]["verdict"], "AC", "{done}");
    // A Last-Event-ID that is no event id is refused, naming the header.
    let bad = ureq::get(&url)
        .set("Authorization", &format!("Bearer {token}"))
        .set("Last-Event-ID", "yesterday")
        .call();
    let (status, body) = answer(bad);
    assert_eq!(status, 400, "{body}");
    assert!(
        body["error"].as_str().unwrap().contains("Last-Event-ID"),
        "{body}"
    );
}

/// `judge backup --data DATA TO`.
fn backup_of(data: &Path, to: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_judge"))
        .args(["backup", "--data"])
        .arg(data)
        .arg(to)
        .output()
        .unwrap()
}

#[test]
fn a_backup_taken_while_the_server_runs_restores_whole() {
    let (_keep, data) = data_dir();
    let token = add_user(&data, "ada", "candidate");
    let server = Server::start(&data);
    let (_, done) = post(
        &server.api("/submissions?wait=true"),
        &token,
        &submission("t-value", &source(T_VALUE_AC)),
    );
    assert_eq!(done["report"]["verdict"], "AC", "{done}");
    // Another one queued and judged while the backup is taken.
    let (_, later) = post(
        &server.api("/submissions"),
        &token,
        &submission("t-value", &slow_ac(7)),
    );
    let keep = tempfile::tempdir().unwrap();
    let copy = keep.path().join("judge-backup.db");
    let backup = |to: &Path| backup_of(&data, to);
    let out = backup(&copy);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("backed up"));
    // Never over a file.
    let again = backup(&copy);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("exists already"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    finished(&server, &token, later["id"].as_i64().unwrap());
    drop(server);
    // Restored: the copy as the judge.db of a new data dir, served again.
    let restored = keep.path().join("restored");
    std::fs::create_dir_all(&restored).unwrap();
    std::fs::copy(&copy, restored.join("judge.db")).unwrap();
    let server = Server::start(&restored);
    let id = done["id"].as_i64().unwrap();
    let (status, back) = get(&server.api(&format!("/submissions/{id}")), &token);
    assert_eq!(status, 200, "{back}");
    assert_eq!(back["report"], done["report"]);
    // The one in flight at the backup is judged after the restore.
    let later = finished(&server, &token, later["id"].as_i64().unwrap());
    assert_eq!(later["report"]["verdict"], "AC", "{later}");
    let missing = backup_of(&keep.path().join("nothing-here"), &keep.path().join("x.db"));
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("no service database at"),
        "{}",
        String::from_utf8_lossy(&missing.stderr)
    );
}

#[test]
fn events_arrive_in_order_and_end_with_the_report() {
    let (_keep, data) = data_dir();
    let token = add_user(&data, "ada", "candidate");
    let server = Server::start(&data);
    // A source of its own (a comment), so that no cached report replaces the judging.
    let fresh = format!(
        "// events test {:?}\n{}",
        Instant::now(),
        source(T_VALUE_AC)
    );
    let (status, queued) = post(
        &server.api("/submissions"),
        &token,
        &submission("t-value", &fresh),
    );
    assert_eq!(status, 201);
    let id = queued["id"].as_i64().unwrap();
    let told = events(&server.api(&format!("/submissions/{id}/events")), &token);
    let names: Vec<&str> = told.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names.last(), Some(&"done"), "{names:?}");
    let done = &told.last().unwrap().1;
    assert_eq!(done["report"]["verdict"], "AC", "{done}");
    let at = |name: &str| names.iter().position(|n| *n == name);
    // Connected right after the POST: the steps before may be over, never out of order.
    if let (Some(compiled), Some(running)) = (at("compiled"), at("running")) {
        assert!(compiled < running, "{names:?}");
    }
    let finished = told.iter().filter(|(n, _)| n == "case-finished").count();
    if let Some(running) = at("running") {
        assert_eq!(
            Some(finished),
            told[running].1["cases"].as_u64().map(|c| c as usize),
            "{names:?}"
        );
    }
    // Once judged, the stream is the result at once.
    let again = events(&server.api(&format!("/submissions/{id}/events")), &token);
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].1["report"], done["report"]);
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

#[test]
fn a_server_killed_mid_judging_loses_nothing_and_judges_nothing_twice() {
    let (_keep, data) = data_dir();
    let token = add_user(&data, "ada", "candidate");
    let server = Server::start(&data);
    let ids: Vec<i64> = (0..10)
        .map(|n| {
            let (status, body) = post(
                &server.api("/submissions"),
                &token,
                &submission("t-value", &slow_ac(n)),
            );
            assert_eq!(status, 201, "{body}");
            body["id"].as_i64().unwrap()
        })
        .collect();
    // Killed once some are being judged and some are still queued.
    let deadline = Instant::now() + Duration::from_mins(2);
    loop {
        let (_, list) = get(&server.api("/submissions"), &token);
        let statuses: Vec<String> = list["submissions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["status"].as_str().unwrap().to_string())
            .collect();
        if statuses.iter().any(|s| s == "judging") && statuses.iter().any(|s| s == "queued") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "never saw judging and queued together: {statuses:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    server.kill();

    let server = Server::start(&data);
    let deadline = Instant::now() + Duration::from_mins(10);
    for id in &ids {
        loop {
            let (status, s) = get(&server.api(&format!("/submissions/{id}")), &token);
            assert_eq!(status, 200);
            if s["status"] == "done" {
                assert_eq!(s["report"]["verdict"], "AC", "{s}");
                break;
            }
            assert!(
                Instant::now() < deadline,
                "submission {id} never finished: {s}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    let (_, list) = get(&server.api("/submissions"), &token);
    assert_eq!(
        list["submissions"].as_array().unwrap().len(),
        ids.len(),
        "nothing added, nothing lost"
    );
    let (_, health) = answer(ureq::get(&format!("{}/healthz", server.url)).call());
    assert_eq!(health["queued"], 0, "no job left behind");
}

#[test]
fn a_data_dir_serves_one_server_at_a_time() {
    let (_keep, data) = data_dir();
    let _first = Server::start(&data);
    let second = Command::new(env!("CARGO_BIN_EXE_judge"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(&data)
        .env("JUDGE_CACHE_DIR", shared_cache())
        .env("XDG_DATA_HOME", shared_data_home())
        .env("JUDGE_BANK", repo())
        .output()
        .unwrap();
    assert_eq!(second.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        stderr.contains("another `judge serve` uses the data dir"),
        "{stderr}"
    );
}

#[test]
fn sigterm_finishes_the_judgings_under_way_before_the_server_exits() {
    let (_keep, data) = data_dir();
    let token = add_user(&data, "ada", "candidate");
    // One worker: the second submission waits in the queue behind the first.
    let mut server = Server::start_with(&data, &["--rate", "1000000", "--workers", "1"]);
    let (_, body) = post(
        &server.api("/submissions"),
        &token,
        &submission("t-value", &slow_ac(100)),
    );
    let id = body["id"].as_i64().unwrap();
    let deadline = Instant::now() + Duration::from_mins(2);
    while get(&server.api(&format!("/submissions/{id}")), &token).1["status"] != "judging" {
        assert!(Instant::now() < deadline, "the submission never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    // A client waiting on a submission still queued behind it must not hold the server up.
    let waiting = {
        let url = server.api("/submissions?wait=true");
        let body = submission("t-value", &slow_ac(101));
        let token = token.clone();
        std::thread::spawn(move || post(&url, &token, &body))
    };
    let deadline = Instant::now() + Duration::from_mins(1);
    while get(&server.api("/submissions"), &token).1["submissions"]
        .as_array()
        .unwrap()
        .len()
        < 2
    {
        assert!(
            Instant::now() < deadline,
            "the second submission never arrived"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // SAFETY: a signal to the server this test started.
    unsafe { libc::kill(server.child.id() as i32, libc::SIGTERM) };
    // It ends once its judging under way is done, not when the waiting client's wait
    // would run out (ten minutes).
    let deadline = Instant::now() + Duration::from_mins(1);
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the server did not stop");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0), "{status:?}");
    let (code, answer) = waiting.join().unwrap();
    assert_eq!(code, 201, "{answer}");
    // Read straight from the database: judged before the server left, not requeued.
    let store = judge::service::store::Store::open(&data).unwrap();
    let stored = store.submission(id).unwrap().unwrap();
    assert_eq!(stored.status, judge::service::store::Status::Done);
    assert_eq!(stored.report.and_then(|r| r.outcome()), Some("AC"));
    // The waiting one stays queued for the next server: accepted, never dropped.
    assert_eq!(store.queue_depth().unwrap(), 1);
}

#[test]
fn a_job_that_killed_its_worker_three_times_ends_as_a_judge_error() {
    let (_keep, data) = data_dir();
    let token = add_user(&data, "ada", "candidate");
    {
        let store = judge::service::store::Store::open(&data).unwrap();
        let user = store
            .user_by_token(&judge::service::token_hash(&token))
            .unwrap()
            .unwrap();
        store
            .submit(
                &user,
                &judge::service::store::NewSubmission {
                    problem: "t-value".into(),
                    mode: judge::service::store::Mode::Submit,
                    source: source(T_VALUE_AC),
                    callback_url: None,
                    input: None,
                    problem_version: None,
                    complexity: false,
                    language: "rust".into(),
                },
            )
            .unwrap();
        // Three workers took it and died: each lease expired unrenewed. (A worker that
        // claims again what it already holds is not a new attempt: three names.)
        for n in 0..3 {
            assert!(store.claim(&format!("died-{n}/0"), -1).unwrap().is_some());
        }
    }
    let server = Server::start(&data);
    let deadline = Instant::now() + Duration::from_mins(1);
    loop {
        let (_, s) = get(&server.api("/submissions/1"), &token);
        if s["status"] == "done" {
            assert_eq!(s["report"], Value::Null, "{s}");
            let error = s["error"].as_str().unwrap();
            assert!(error.contains("stopped its worker 3 times"), "{error}");
            break;
        }
        assert!(Instant::now() < deadline, "never ended: {s}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn limits_per_token_answer_429_with_retry_after_and_drop_nothing() {
    let (_keep, data) = data_dir();
    let token = add_user(&data, "ada", "candidate");
    let other = add_user(&data, "bob", "candidate");
    let server = Server::start_with(
        &data,
        &["--rate", "6", "--max-queued", "2", "--workers", "2"],
    );
    // Two slow submissions fill ada's queue; a third is refused now, never dropped later.
    for n in 0..2 {
        let body = submission("t-value", &slow_ac(200 + n));
        let (status, answer) = post(&server.api("/submissions"), &token, &body);
        assert_eq!(status, 201, "{answer}");
    }
    let refused = ureq::post(&server.api("/submissions"))
        .set("Authorization", &format!("Bearer {token}"))
        .send_string(&submission("t-value", &slow_ac(202)));
    let Err(ureq::Error::Status(429, response)) = refused else {
        panic!("expected 429, got {refused:?}");
    };
    assert!(response.header("Retry-After").is_some());
    // Six requests a minute: the next ones are refused, saying when to come back.
    let mut limited = None;
    for _ in 0..10 {
        let asked = ureq::get(&server.api("/problems"))
            .set("Authorization", &format!("Bearer {token}"))
            .call();
        match asked {
            Err(ureq::Error::Status(429, r)) => {
                limited = r.header("Retry-After").map(str::to_string);
                break;
            }
            Ok(_) => {}
            Err(e) => panic!("{e}"),
        }
    }
    let wait: u64 = limited.expect("rate limited").parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    // Another token has its own allowance.
    assert_eq!(get(&server.api("/problems"), &other).0, 200);
    // And sees none of the other token's submissions.
    let (_, mine) = get(&server.api("/submissions"), &other);
    assert_eq!(mine["submissions"].as_array().unwrap().len(), 0);
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

#[test]
fn a_batch_is_stored_whole_or_not_at_all() {
    let (_keep, data) = data_dir();
    let token = add_user(&data, "ada", "candidate");
    let server = Server::start(&data);
    let url = server.api("/submissions/batch");
    let bad = json!({ "submissions": [
        { "problem": "t-value", "source": source(T_VALUE_AC) },
        { "problem": "t-value", "source": 7 },
    ]});
    let (status, e) = post(&url, &token, &bad.to_string());
    assert_eq!((status, e["field"].as_str()), (400, Some("source")), "{e}");
    assert!(
        e["error"].as_str().unwrap().starts_with("submissions[1]:"),
        "{e}"
    );
    let (_, none) = get(&server.api("/submissions"), &token);
    assert_eq!(none["submissions"].as_array().unwrap().len(), 0);
    let good = json!({ "submissions": [
        { "problem": "t-value", "source": source(T_VALUE_AC) },
        { "problem": "t-value", "source": source(T_VALUE_WA), "mode": "submit" },
    ]});
    let (status, body) = post(&url, &token, &good.to_string());
    assert_eq!(status, 201, "{body}");
    let ids: Vec<i64> = body["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_i64().unwrap())
        .collect();
    let verdicts: Vec<Value> = ids
        .iter()
        .map(|id| finished(&server, &token, *id)["report"]["verdict"].clone())
        .collect();
    assert_eq!(verdicts, [json!("AC"), json!("WA")]);
}

#[test]
fn authors_rejudge_a_problem_and_metrics_count_it() {
    let (_keep, data) = data_dir();
    let candidate = add_user(&data, "ada", "candidate");
    let author = add_user(&data, "ann", "author");
    let server = Server::start(&data);
    let body = submission("t-value", &source(T_VALUE_AC));
    let (_, first) = post(&server.api("/submissions?wait=true"), &candidate, &body);
    let id = first["id"].as_i64().unwrap();
    let rejudge = server.api("/problems/t-value/rejudge");
    assert_eq!(post(&rejudge, &candidate, "").0, 403);
    assert_eq!(
        post(&server.api("/problems/no-such/rejudge"), &author, "").0,
        404
    );
    let (status, body) = post(&rejudge, &author, "");
    assert_eq!((status, &body["queued"]), (200, &json!(1)), "{body}");
    let again = finished(&server, &candidate, id);
    assert_eq!(again["report"]["verdict"], "AC");
    assert!(again["finished_ms"].as_i64() >= first["finished_ms"].as_i64());
    assert_eq!(again["problem_version"], first["problem_version"]);
    // The result is stored a moment before the worker counts it.
    let metrics = eventually(
        Duration::from_mins(1),
        "the rejudge never counted",
        |last| {
            *last = ureq::get(&format!("{}/metrics", server.url))
                .call()
                .unwrap()
                .into_string()
                .unwrap();
            last.contains("judge_submission_seconds_count 2")
                .then(|| last.clone())
        },
    );
    assert!(metrics.contains("judge_queue_depth 0"), "{metrics}");
    // Both judgings, each stored by a worker, counted in the store.
    assert!(
        metrics.contains("judge_judged_total{verdict=\"AC\"} 2"),
        "{metrics}"
    );
    assert!(metrics.contains("judge_claims_total 2"), "{metrics}");
    assert!(
        metrics.contains("judge_lease_expiries_total 0"),
        "{metrics}"
    );
    assert!(
        metrics.contains("judge_submission_seconds_count 2"),
        "{metrics}"
    );
}

/// One request a webhook receiver got: its headers (lowercased names) and body.
struct Received {
    headers: Vec<(String, String)>,
    body: String,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A receiver on a free loopback port that answers each request with the next status of
/// `answers`, and hands over what it got; stops after the last.
fn webhook_receiver(answers: Vec<u16>) -> (String, std::sync::mpsc::Receiver<Received>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let (got, received) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for status in answers {
            let (mut stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut headers = Vec::new();
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            loop {
                line.clear();
                reader.read_line(&mut line).unwrap();
                let Some((name, value)) = line.trim_end().split_once(": ") else {
                    break;
                };
                headers.push((name.to_ascii_lowercase(), value.to_string()));
            }
            let length: usize = headers
                .iter()
                .find(|(n, _)| n == "content-length")
                .map_or(0, |(_, v)| v.parse().unwrap());
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let reply =
                format!("HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            std::io::Write::write_all(&mut stream, reply.as_bytes()).unwrap();
            let body = String::from_utf8(body).unwrap();
            if got.send(Received { headers, body }).is_err() {
                return;
            }
        }
    });
    (url, received)
}

#[test]
fn a_webhook_is_retried_until_delivered_and_signed() {
    let (_keep, data) = data_dir();
    let token = add_user(&data, "ada", "candidate");
    // The receiver is on loopback, which webhooks reach only when the operator allows it.
    let server = Server::start_with(&data, LOOPBACK_HOOKS);
    let (url, received) = webhook_receiver(vec![500, 503, 200]);
    let bad = json!({ "problem": "t-value", "source": "x", "callback_url": "file:///etc/passwd" });
    let (status, e) = post(&server.api("/submissions"), &token, &bad.to_string());
    assert_eq!(
        (status, e["field"].as_str()),
        (400, Some("callback_url")),
        "{e}"
    );
    let body = json!({ "problem": "t-value", "source": source(T_VALUE_AC), "callback_url": url });
    let (status, created) = post(&server.api("/submissions"), &token, &body.to_string());
    assert_eq!(status, 201, "{created}");
    let key = std::fs::read(data.join("webhook-secret")).unwrap();
    let mut attempts = Vec::new();
    for _ in 0..3 {
        let got = received
            .recv_timeout(Duration::from_mins(2))
            .expect("a delivery");
        let payload: Value = serde_json::from_str(&got.body).unwrap();
        assert_eq!(payload["id"], created["id"]);
        assert_eq!(payload["status"], "done");
        assert_eq!(payload["report"]["verdict"], "AC");
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let delivery = got.header("x-judge-delivery").unwrap();
        assert_eq!(
            judge::service::webhook::verify(
                &key,
                got.header("x-judge-timestamp").unwrap(),
                delivery,
                got.body.as_bytes(),
                got.header("x-judge-signature").unwrap(),
                now,
            ),
            Ok(())
        );
        attempts.push((
            got.header("x-judge-attempt").unwrap().to_string(),
            delivery.to_string(),
        ));
    }
    let numbers: Vec<&str> = attempts.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(numbers, ["1", "2", "3"]);
    assert!(
        attempts.iter().all(|(_, d)| *d == attempts[0].1),
        "one delivery id for every attempt of one webhook: {attempts:?}"
    );
    // Delivered: nothing more is sent (the receiver would fail a fourth accept).
    let store = judge::service::store::Store::open(&data).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    let id = created["id"].as_i64().unwrap();
    while store.delivery_state(id).unwrap().is_some() {
        assert!(Instant::now() < deadline, "still owed after a 200");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_run_on_the_candidates_own_input_shows_both_answers() {
    let (_keep, data) = data_dir();
    let token = add_user(&data, "ada", "candidate");
    let server = Server::start(&data);
    let url = server.api("/submissions?wait=true");
    let input = json!({ "var": [1.0, 2.0, 4.0], "mu0": 1.5 });
    let body = json!({ "problem": "t-value", "source": source(T_VALUE_WA), "mode": "run", "input": input });
    let (status, done) = post(&url, &token, &body.to_string());
    assert_eq!(status, 201, "{done}");
    let report = &done["report"];
    assert_eq!(report["mode"], "input", "{done}");
    assert_eq!(report["case"]["verdict"], "WA", "{done}");
    assert!(
        report["answer"].is_number() && report["expected"].is_number(),
        "{done}"
    );
    assert_ne!(report["answer"], report["expected"]);
    assert_eq!(done["input"], input);
    // The input is checked against the problem before anything is stored.
    let bad = |input: Value, mode: &str| {
        let body = json!({ "problem": "t-value", "source": "x", "mode": mode, "input": input });
        post(&url, &token, &body.to_string())
    };
    let (status, e) = bad(json!({ "var": [1.0], "mu": 1.5 }), "run");
    assert_eq!((status, e["field"].as_str()), (400, Some("input")), "{e}");
    assert!(e["error"].as_str().unwrap().contains("`mu`"), "{e}");
    let (status, e) = bad(json!({ "var": "many", "mu0": 1.5 }), "run");
    assert_eq!((status, e["field"].as_str()), (400, Some("input")), "{e}");
    assert!(e["error"].as_str().unwrap().starts_with("input.var"), "{e}");
    let (status, e) = bad(json!({ "var": [1.0], "mu0": 1.5 }), "submit");
    assert_eq!((status, e["field"].as_str()), (400, Some("input")), "{e}");
}

#[test]
fn the_openapi_document_lists_every_route_as_it_answers() {
    let (_keep, data) = data_dir();
    let author = add_user(&data, "ann", "author");
    let server = Server::start(&data);
    let (status, doc) = answer(ureq::get(&server.api("/openapi.json")).call());
    assert_eq!(status, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."), "{doc}");
    let (_, made) = post(
        &server.api("/submissions?wait=true"),
        &author,
        &submission("t-value", &source(T_VALUE_AC)),
    );
    let id = made["id"].to_string();
    let paths = doc["paths"].as_object().unwrap();
    let mut seen = Vec::new();
    for (path, operations) in paths {
        for (method, operation) in operations.as_object().unwrap() {
            let url = format!(
                "{}{}",
                server.url,
                path.replace("/problems/{id}", "/problems/t-value")
                    .replace("{id}", &id)
            );
            let body = if path.ends_with("/batch") {
                json!({ "submissions": [{ "problem": "t-value", "source": source(T_VALUE_AC) }] })
                    .to_string()
            } else if path.ends_with("/submissions") {
                submission("t-value", &source(T_VALUE_AC))
            } else if path.ends_with("/draft") {
                json!({ "source": "// a draft" }).to_string()
            } else {
                String::new()
            };
            let request = match method.as_str() {
                "get" => ureq::get(&url),
                "post" => ureq::post(&url),
                "put" => ureq::put(&url),
                other => panic!("{other} {path}"),
            }
            .set("Authorization", &format!("Bearer {author}"));
            let status = match request.send_string(&body) {
                Ok(r) => r.status(),
                Err(ureq::Error::Status(code, _)) => code,
                Err(e) => panic!("{method} {path}: {e}"),
            };
            let documented = operation["responses"].as_object().unwrap();
            assert!(
                documented.contains_key(&status.to_string()),
                "{method} {path} answered {status}, which its document does not list: {:?}",
                documented.keys().collect::<Vec<_>>()
            );
            seen.push(format!("{} {path}", method.to_uppercase()));
        }
    }
    seen.sort();
    assert_eq!(
        seen,
        [
            "GET /api/v1/interviews/similarity",
            "GET /api/v1/problems",
            "GET /api/v1/problems/{id}",
            "GET /api/v1/problems/{id}/draft",
            "GET /api/v1/problems/{id}/similarity",
            "GET /api/v1/submissions",
            "GET /api/v1/submissions/{id}",
            "GET /api/v1/submissions/{id}/events",
            "GET /api/v1/workers",
            "GET /healthz",
            "GET /metrics",
            "POST /api/v1/problems/{id}/rejudge",
            "POST /api/v1/submissions",
            "POST /api/v1/submissions/batch",
            "PUT /api/v1/problems/{id}/draft",
        ]
    );
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

#[test]
fn sixty_submissions_survive_a_kill_of_the_server_with_three_workers() {
    let (_keep, data) = data_dir();
    let token = add_user(&data, "ada", "candidate");
    let flags = ["--rate", "1000000", "--max-queued", "100", "--workers", "3"];
    let server = Server::start_with(&data, &flags);
    let kinds = sixty_submissions();
    let batch = json!({
        "submissions": kinds.iter().map(|(_, s)| json!({"problem": "t-value", "source": s})).collect::<Vec<_>>()
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
    let deadline = Instant::now() + Duration::from_mins(3);
    loop {
        let (_, list) = get(&server.api("/submissions"), &token);
        let judging = list["submissions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["status"] == "judging");
        if judging {
            break;
        }
        assert!(Instant::now() < deadline, "nothing was ever judged: {list}");
        std::thread::sleep(Duration::from_millis(20));
    }
    server.kill();
    let server = Server::start_with(&data, &flags);
    for (id, (kind, _)) in ids.iter().zip(&kinds) {
        let done = finished(&server, &token, *id);
        assert_eq!(done["report"]["verdict"], *kind, "submission {id}: {done}");
    }
    let (_, list) = get(&server.api("/submissions"), &token);
    assert_eq!(
        list["submissions"].as_array().unwrap().len(),
        60,
        "none lost, none added"
    );
    let (_, health) = answer(ureq::get(&format!("{}/healthz", server.url)).call());
    assert_eq!(health["queued"], 0, "every job ended once");
}
