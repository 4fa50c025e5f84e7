//! A submission's live events: in order, ending with the report, and none missed by a client
//! that connects again.

use std::time::Instant;

use super::server::{
    add_user, answer, data_dir, post, slower_ac, source, submission, Server, T_VALUE_AC,
};
use super::stream::{events, reconnecting_reader_misses_nothing};

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
