//! Failures on PostgreSQL: a server or workers killed, a connection lost, a worker cut off
//! from the database, a killed worker shown gone then pruned.

use std::process::Command;
use std::time::{Duration, Instant};

use judge::service::store::Store;

use super::setup::{
    a_busy_worker, answering, cluster, end_connections, scrape, served, stored, worker, Worker,
};
use crate::serve::{
    add_user_with, finished, post, post_batch, slow_ac, source, submission, Server, T_VALUE_AC,
};

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

#[test]
fn three_workers_judge_sixty_submissions_through_a_kill_and_a_lost_connection() {
    let Some(fleet) = served(&["--max-queued", "100", "--workers", "0"]) else {
        return;
    };
    let (url, token, server) = (&fleet.url, &fleet.token, &fleet.server);
    // Sixty: a few slow ones (a kill lands mid-case), the rest right, wrong or not compiling.
    let kinds = crate::serve::sixty_submissions();
    let ids = post_batch(server, token, &kinds);
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
