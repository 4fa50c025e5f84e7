//! The store's own tests: the queue's claims and leases, rejudges, events, counters and
//! workers, on a fresh SQLite database each.

use super::*;
use judge_core::report::document::Document;

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    (dir, store)
}

fn user(store: &Store) -> User {
    let id = store.add_user("ada", Role::Candidate, "hash").unwrap();
    User {
        id,
        name: "ada".into(),
        role: Role::Candidate,
    }
}

/// A submission accepted, as a worker stores it.
const ACCEPTED: &str = r#"{"schema":2,"problem":"knn","mode":"submit","verdict":"AC","score":1,"max_score":1,"compile":{"ok":true,"time_ms":1,"cached":false,"stderr":""},"groups":[],"samples":[],"warnings":[],"cached":false}"#;

fn report(text: &str) -> Document<'static> {
    Document::parse(text).unwrap()
}

/// A report as a worker stores it: a run whose samples passed.
const RUN: &str = r#"{"schema":2,"problem":"knn","mode":"run","result":"samples-passed","compile":{"ok":true,"time_ms":1,"cached":false,"stderr":""},"samples":[],"warnings":[],"cached":false}"#;

#[test]
fn a_job_is_claimed_once_until_its_lease_expires() {
    let (_d, store) = store();
    let ada = user(&store);
    let id = store.submit(&ada, &new("fn x() {}")).unwrap();
    let claim = store.claim("w1", 60_000).unwrap().unwrap();
    assert_eq!((claim.submission, claim.attempts), (id, 1));
    assert!(store.claim("w2", 60_000).unwrap().is_none(), "held by w1");
    // An expired lease returns the job to the queue, counting the attempt.
    store.heartbeat(id, "w1", -1).unwrap();
    let again = store.claim("w2", 60_000).unwrap().unwrap();
    assert_eq!(again.attempts, 2);
    // The first worker, back from the dead, cannot write a result any more.
    assert!(!store.finish(id, "w1", "v", Ok(&report(RUN))).unwrap());
    assert!(store.finish(id, "w2", "v", Ok(&report(RUN))).unwrap());
    assert!(
        !store.finish(id, "w2", "v", Ok(&report(RUN))).unwrap(),
        "one result only"
    );
    let s = store.submission(id).unwrap().unwrap();
    assert_eq!(
        (s.status, s.report.as_ref().and_then(Document::outcome)),
        (Status::Done, Some("samples-passed"))
    );
    assert_eq!(store.queue_depth().unwrap(), 0);
}

#[test]
fn reopening_keeps_everything_and_release_all_requeues() {
    let (dir, store) = store();
    let ada = user(&store);
    let id = store.submit(&ada, &new("src")).unwrap();
    store.claim("w1", 60_000).unwrap().unwrap();
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    assert!(store.claim("w2", 60_000).unwrap().is_none(), "still leased");
    assert_eq!(store.release_all().unwrap(), 1);
    assert_eq!(store.claim("w2", 60_000).unwrap().unwrap().submission, id);
    assert_eq!(store.user_by_token("hash").unwrap().unwrap().name, "ada");
    assert!(store.user_by_token("other").unwrap().is_none());
}

fn new(source: &str) -> NewSubmission {
    NewSubmission {
        problem: "knn".into(),
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
fn a_rejudge_queues_each_judged_submission_once() {
    let (_d, store) = store();
    let ada = user(&store);
    let ids = store.submit_many(&ada, &[new("a"), new("b")]).unwrap();
    assert_eq!(store.queued_for(&ada).unwrap(), 2);
    for _ in &ids {
        let claim = store.claim("w", 60_000).unwrap().unwrap();
        store
            .finish(claim.submission, "w", "v1", Ok(&report(ACCEPTED)))
            .unwrap();
    }
    assert_eq!(store.verdict_counts().unwrap(), [("AC".to_string(), 2)]);
    assert_eq!(store.requeue_problem("knn", None).unwrap(), 2);
    assert_eq!(
        store.requeue_problem("knn", None).unwrap(),
        0,
        "already queued"
    );
    assert_eq!(
        store.submission(ids[0]).unwrap().unwrap().status,
        Status::Queued
    );
    assert_eq!(store.queued_for(&ada).unwrap(), 2);
}

#[test]
fn events_are_kept_while_the_job_is_held_then_replaced_by_done() {
    let (_d, store) = store();
    let ada = user(&store);
    let id = store.submit(&ada, &new("src")).unwrap();
    let queued = store.events_after(id, 0, 100).unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].name, "queued");
    let event = |name: &str| (name.to_string(), format!("{{\"event\":\"{name}\"}}"));
    // Nobody holds the job: nothing is written.
    assert!(!store
        .add_events(id, "w/0", &[event("compiling")], Some(Status::Compiling))
        .unwrap());
    store.claim("w/0", 60_000).unwrap().unwrap();
    assert!(store
        .add_events(
            id,
            "w/0",
            &[event("compiling"), event("compiled")],
            Some(Status::Compiling)
        )
        .unwrap());
    assert!(
        !store
            .add_events(id, "w2/0", &[event("running")], None)
            .unwrap(),
        "not its job"
    );
    assert_eq!(
        store.submission(id).unwrap().unwrap().status,
        Status::Compiling
    );
    let all = store.events_after(id, 0, 100).unwrap();
    let names: Vec<&str> = all.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["queued", "compiling", "compiled"]);
    assert!(all.windows(2).all(|w| w[0].seq < w[1].seq));
    // After an id, only what came later.
    let later = store.events_after(id, all[0].seq, 100).unwrap();
    assert_eq!(later, all[1..]);
    assert!(store.finish(id, "w/0", "v", Ok(&report(ACCEPTED))).unwrap());
    let done = store.events_after(id, all[2].seq, 100).unwrap();
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].name, "done");
    assert_eq!(
        store.events_after(id, 0, 100).unwrap(),
        done,
        "the rest went"
    );
}

#[test]
fn claims_expiries_results_and_times_are_counted_in_the_store() {
    let (_d, store) = store();
    let ada = user(&store);
    let id = store.submit(&ada, &new("a")).unwrap();
    store.claim("p1/0", -1).unwrap().unwrap();
    // The lease ran out: p2 takes it, and that is an expiry and a second attempt.
    let again = store.claim("p2/0", 60_000).unwrap().unwrap();
    assert_eq!((again.submission, again.attempts), (id, 2));
    assert!(store
        .finish(id, "p2/0", "v", Err("judge error: x"))
        .unwrap());
    let counters: std::collections::BTreeMap<String, i64> =
        store.counters().unwrap().into_iter().collect();
    assert_eq!(counters["claims"], 2);
    assert_eq!(counters["lease_expiries"], 1);
    assert_eq!(counters["judge_errors"], 1);
    assert_eq!(counters["judged:JE"], 1);
    assert_eq!(counters["latency_count"], 1);
    assert_eq!(counters["latency_le_300000"], 1);
    let s = store.submission(id).unwrap().unwrap();
    assert_eq!(s.status, Status::Done);
    assert_eq!(store.queue_stats().unwrap(), QueueStats::default());
}

#[test]
fn a_claim_finds_its_own_job_again_without_counting_it_twice() {
    let (_d, store) = store();
    let ada = user(&store);
    let first = store.submit(&ada, &new("a")).unwrap();
    store.submit(&ada, &new("b")).unwrap();
    assert_eq!(
        store.claim("p/0", 60_000).unwrap().unwrap().submission,
        first
    );
    // Its answer was lost with the connection: claiming again finds the same job.
    let again = store.claim("p/0", 60_000).unwrap().unwrap();
    assert_eq!((again.submission, again.attempts), (first, 1));
    let stats = store.queue_stats().unwrap();
    assert_eq!((stats.waiting, stats.running), (1, 1));
}

#[test]
fn a_lease_lost_to_a_lost_connection_is_not_a_failed_attempt() {
    let (_d, store) = store();
    let ada = user(&store);
    let id = store.submit(&ada, &new("a")).unwrap();
    store.claim("p1/0", -1).unwrap().unwrap();
    assert_eq!(store.claim("p2/0", 60_000).unwrap().unwrap().attempts, 2);
    // p1 was alive, cut off from the database: its heartbeat finds the job taken.
    assert!(!store.heartbeat(id, "p1/0", 60_000).unwrap());
    store.lease_lost(id, "p1/0").unwrap();
    assert!(!store.finish(id, "p1/0", "v", Ok(&report(RUN))).unwrap());
    assert!(store.finish(id, "p2/0", "v", Ok(&report(RUN))).unwrap());
    assert!(store.finished_by(id, "p2/0").unwrap());
    assert!(!store.finished_by(id, "p1/0").unwrap());
    let attempts = store
        .db
        .with(|c| {
            c.query_one(
                "SELECT attempts FROM submissions WHERE id = $1",
                &[id.into()],
            )
        })
        .unwrap();
    assert_eq!(
        attempts.unwrap().int(0).unwrap(),
        1,
        "one attempt that counts"
    );
}

#[test]
fn workers_show_what_they_hold_and_go_gone_then_pruned() {
    let (_d, store) = store();
    let ada = user(&store);
    let info = |name: &str| WorkerInfo {
        name: name.into(),
        host: "h".into(),
        pid: 7,
        version: "0".into(),
        toolchain: "rustc".into(),
        isolation: "complete".into(),
        jobs: 2,
        in_flight: 0,
        judged: 0,
        listen: None,
        started_ms: now_ms(),
        heartbeat_ms: now_ms(),
        state: WorkerState::Alive,
        current: Vec::new(),
    };
    store.register_worker(&info("h-aaaa")).unwrap();
    store.register_worker(&info("h-bbbb")).unwrap();
    let id = store.submit(&ada, &new("a")).unwrap();
    store.claim("h-aaaa/1", 60_000).unwrap().unwrap();
    let listed = store.workers().unwrap();
    assert_eq!(listed[0].current, [id]);
    assert!(listed[1].current.is_empty());
    store.finish(id, "h-aaaa/1", "v", Ok(&report(RUN))).unwrap();
    // h-bbbb stops beating.
    store
        .db
        .with(|c| {
            c.exec(
                "UPDATE workers SET heartbeat_ms = 0 WHERE name = 'h-bbbb'",
                &[],
            )
        })
        .unwrap();
    let listed = store.workers().unwrap();
    assert_eq!((listed[0].judged, listed[0].state), (1, WorkerState::Alive));
    assert_eq!(listed[1].state, WorkerState::Gone);
    assert_eq!(store.prune_workers(60_000).unwrap(), 1);
    assert_eq!(store.workers().unwrap().len(), 1);
    assert!(
        !store.worker_heartbeat("h-bbbb", 0).unwrap(),
        "pruned: registers again"
    );
}

#[test]
fn history_filters_by_problem_and_user() {
    let (_d, store) = store();
    let ada = user(&store);
    store.submit(&ada, &new("a")).unwrap();
    store
        .submit(
            &ada,
            &NewSubmission {
                problem: "t-value".into(),
                ..new("b")
            },
        )
        .unwrap();
    assert_eq!(store.submissions(Some("knn"), None, 10).unwrap().len(), 1);
    assert_eq!(store.submissions(None, Some("ada"), 10).unwrap().len(), 2);
    assert_eq!(store.submissions(None, Some("bob"), 10).unwrap().len(), 0);
}

#[test]
fn a_role_this_judge_does_not_know_is_an_error_naming_the_column() {
    let (_d, store) = store();
    user(&store);
    store
        .db
        .with(|c| c.exec("UPDATE users SET role = 'owner'", &[]))
        .unwrap();
    // Not "no such user": the token is right, the row is not.
    let e = store.user_by_token("hash").unwrap_err();
    assert!(
        e.to_string().contains("column users.role holds \"owner\""),
        "{e}"
    );
}

#[test]
fn a_damaged_problem_list_is_an_error_naming_the_column() {
    let (_d, store) = store();
    let ada = user(&store);
    let problems = ["knn".to_string()];
    let id = store
        .create_interview(&NewInterview {
            interviewer: &ada,
            problems: &problems,
            seconds: 60,
            hide_hidden: false,
            complexity: false,
            seed: 1,
            candidate_name: "candidate",
            candidate_token_hash: "candidate-hash",
            watch_hash: "watch-hash",
        })
        .unwrap();
    assert_eq!(store.interview(id).unwrap().unwrap().problems, problems);
    store
        .db
        .with(|c| c.exec("UPDATE interviews SET problems = '[\"knn\"'", &[]))
        .unwrap();
    // Not a session without problems: the row is damaged.
    let e = store.interview(id).unwrap_err();
    assert!(
        e.to_string()
            .contains("column interviews.problems holds \"[\\\"knn\\\"\""),
        "{e}"
    );
    assert!(store.interviews_by(ada.id).is_err());
}
