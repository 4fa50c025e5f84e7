//! `judge worker` processes on other hosts: they share the queue, judge a problem their own
//! bank lacks, are watched live and counted, and start at once with a server on an empty
//! database.

use std::process::Command;
use std::time::Duration;

use judge::service::store::Store;

use super::setup::{answering, cluster, copy_tree, scrape, worker, worker_with};
use crate::serve::{
    add_user_with, finished, one_is_judging, post, slow_ac, source, submission, Server, T_VALUE_AC,
};

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
    one_is_judging(
        &server,
        &token,
        Duration::from_mins(2),
        "the first worker never judged",
    );
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
