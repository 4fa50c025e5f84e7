//! What survives: a backup taken while the server runs, a server killed mid-judging (one
//! worker or three), SIGTERM, one server per data dir, a job that keeps killing its worker.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::server::{
    add_user, answer, data_dir, finished, get, one_is_judging, post, post_batch, sixty_submissions,
    slow_ac, source, submission, Server, T_VALUE_AC,
};
use crate::{repo, shared_cache, shared_data_home};

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
fn sixty_submissions_survive_a_kill_of_the_server_with_three_workers() {
    let (_keep, data) = data_dir();
    let token = add_user(&data, "ada", "candidate");
    let flags = ["--rate", "1000000", "--max-queued", "100", "--workers", "3"];
    let server = Server::start_with(&data, &flags);
    let kinds = sixty_submissions();
    let ids = post_batch(&server, &token, &kinds);
    one_is_judging(
        &server,
        &token,
        Duration::from_mins(3),
        "nothing was ever judged",
    );
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
