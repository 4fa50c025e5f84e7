//! The queue on PostgreSQL: workers on many connections claim each job once, webhooks owed
//! are taken once and settled under their lease, and queuing a job tells listening workers.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use judge::report::document::Document;
use judge::service::store::{NewSubmission, Role, Store};

use super::setup::{answering, cluster, new};
use crate::serve::{post, source, submission, T_VALUE_AC};

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
                        .finish(claim.submission, &me, "v", Ok(&accepted()))
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
    assert!(!store.finish(late, "w1", "v", Ok(&accepted())).unwrap());
    assert!(store.finish(late, "w2", "v", Ok(&accepted())).unwrap());
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
        assert!(store
            .finish(claim.submission, "w", "v", Ok(&accepted()))
            .unwrap());
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

/// An accepted submission's report, as a worker stores it.
fn accepted() -> Document<'static> {
    Document::parse(r#"{"schema":2,"problem":"t-value","mode":"submit","verdict":"AC","score":1,"max_score":1,"compile":{"ok":true,"time_ms":1,"cached":false,"stderr":""},"groups":[],"samples":[],"warnings":[],"cached":false}"#).unwrap()
}
