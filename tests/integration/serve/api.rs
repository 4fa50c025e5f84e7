//! The API's answers: submissions judged, kept and listed; tokens, roles and bad input;
//! batches, runs on a candidate's own input, rate limits and rejudging.

use std::time::Duration;

use serde_json::{json, Value};

use super::server::{
    add_user, answer, data_dir, eventually, finished, get, post, slow_ac, source, submission,
    Server, T_VALUE_AC, T_VALUE_WA,
};

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
