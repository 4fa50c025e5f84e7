//! Mock interviews on the service, over real HTTP: `judge interview create --serve` prints
//! the two links; the candidate's token reaches its own session only; drafts, runs and
//! submissions are recorded; the deadline is the server's; hidden details wait for the end;
//! the interviewer's view, playback and report are built from the record, which survives a
//! kill.

use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::serve::{add_user, data_dir, get, post, source, Server, T_VALUE_AC, T_VALUE_WA};

/// `judge interview create` against the server; returns (candidate token, interviewer key,
/// id, its output).
fn create(server: &Server, token: &str, extra: &[&str]) -> (String, String, i64, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_judge"))
        .args([
            "interview",
            "create",
            "--serve",
            &server.url,
            "--token",
            token,
        ])
        .args(extra)
        .env("JUDGE_BANK", crate::repo())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = |prefix: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(prefix))
            .unwrap_or_else(|| panic!("no {prefix} line in {text}"))
            .trim()
            .to_string()
    };
    let candidate = line("candidate: ");
    let interviewer = line("interviewer: ");
    let token = candidate.split("token=").nth(1).unwrap().to_string();
    let key = interviewer.split("key=").nth(1).unwrap().to_string();
    let id = candidate
        .split("/interviews/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    (token, key, id, text)
}

fn put_draft(server: &Server, token: &str, problem: &str, code: &str) -> (u16, Value) {
    let response = ureq::put(&server.api(&format!("/problems/{problem}/draft")))
        .set("Authorization", &format!("Bearer {token}"))
        .send_json(json!({ "source": code }));
    match response {
        Ok(r) | Err(ureq::Error::Status(_, r)) => {
            (r.status(), r.into_json().unwrap_or(Value::Null))
        }
        Err(e) => panic!("{e}"),
    }
}

fn state(server: &Server, id: i64, key: &str) -> Value {
    let url = format!("{}/api/v1/interviews/{id}?key={key}", server.url);
    ureq::get(&url).call().unwrap().into_json().unwrap()
}

/// The candidate link as a browser follows it: the page (which starts nothing), then its
/// button (a POST of the link's token). The button's answer, not followed.
pub(crate) fn join(server: &Server, id: i64, token: &str) -> ureq::Response {
    let agent = ureq::AgentBuilder::new().redirects(0).build();
    let link = format!("{}/interviews/{id}/join?token={token}", server.url);
    let shown = agent.get(&link).call().unwrap();
    assert_eq!(shown.status(), 200);
    assert!(
        shown.header("set-cookie").is_none(),
        "opening the link signs nothing in"
    );
    let body = shown.into_string().unwrap();
    assert!(
        body.contains(&format!("action=\"/interviews/{id}/join\"")),
        "{body}"
    );
    match agent
        .post(&format!("{}/interviews/{id}/join", server.url))
        .send_form(&[("token", token)])
    {
        Ok(r) | Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{e}"),
    }
}

fn page(url: &str) -> (u16, String) {
    match ureq::get(url).call() {
        Ok(r) | Err(ureq::Error::Status(_, r)) => (r.status(), r.into_string().unwrap()),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn an_interview_is_taken_watched_recorded_and_reported() {
    let (_keep, data) = data_dir();
    let ivy = add_user(&data, "ivy", "interviewer");
    let cara = add_user(&data, "cara", "candidate");
    let server = Server::start(&data);
    let (token, key, id, said) = create(
        &server,
        &ivy,
        &["--pick", "t-value,median-rainfall", "--minutes", "45"],
    );
    assert!(said.contains("over t-value, median-rainfall"), "{said}");
    // A plain candidate creates no interviews.
    let (status, refused) = post(&server.api("/interviews"), &cara, r#"{"minutes": 10}"#);
    assert_eq!(status, 403, "{refused}");

    // The candidate link's page starts nothing; its button signs the browser in and shows
    // the session.
    assert_eq!(state(&server, id, &key)["started_ms"], Value::Null);
    let joined = join(&server, id, &token);
    assert_eq!(joined.status(), 303);
    assert!(joined
        .header("set-cookie")
        .unwrap()
        .contains("judge_session="));
    assert_eq!(state(&server, id, &key)["timeline"][0]["kind"], "start");

    // It sees its session's problems only, and works on them.
    let (_, listed) = get(&server.api("/problems"), &token);
    let ids: Vec<&str> = listed["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["median-rainfall", "t-value"]);
    assert_eq!(get(&server.api("/problems/knn"), &token).0, 404);
    assert_eq!(
        put_draft(&server, &token, "t-value", "// first draft\n").0,
        200
    );
    assert_eq!(put_draft(&server, &token, "knn", "// elsewhere\n").0, 403);
    let (status, run) = post(
        &server.api("/submissions?wait=true"),
        &token,
        &json!({"problem": "t-value", "source": source(T_VALUE_AC), "mode": "run"}).to_string(),
    );
    assert_eq!(status, 201, "{run}");
    assert_eq!(
        put_draft(&server, &token, "t-value", &source(T_VALUE_AC)).0,
        200
    );
    let (status, submitted) = post(
        &server.api("/submissions?wait=true"),
        &token,
        &json!({"problem": "t-value", "source": source(T_VALUE_AC)}).to_string(),
    );
    assert_eq!(status, 201, "{submitted}");
    assert_eq!(submitted["report"]["verdict"], "AC");
    let elsewhere = json!({"problem": "knn", "source": "fn main() {}"}).to_string();
    let (status, refused) = post(&server.api("/submissions"), &token, &elsewhere);
    assert_eq!(status, 403, "{refused}");
    assert!(refused["error"]
        .as_str()
        .unwrap()
        .contains("not a problem of this interview"));
    let batch = json!({"submissions": [{"problem": "t-value", "source": "x"}]}).to_string();
    assert_eq!(
        post(&server.api("/submissions/batch"), &token, &batch).0,
        403
    );

    // The candidate's token opens no interviewer view.
    assert_eq!(
        get(&server.api(&format!("/interviews/{id}")), &token).0,
        404
    );
    let watch_as_candidate = ureq::get(&format!("{}/interviews/{id}/watch", server.url))
        .set("Authorization", &format!("Bearer {token}"))
        .call();
    assert!(matches!(
        watch_as_candidate,
        Err(ureq::Error::Status(404, _))
    ));
    assert_eq!(
        page(&format!("{}/interviews/{id}/watch?key=wrong", server.url)).0,
        404
    );

    // The interviewer sees it all, adds a note, plays back the first draft.
    let now = state(&server, id, &key);
    let kinds: Vec<&str> = now["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["start", "draft", "run", "draft", "submit"]);
    assert_eq!(now["problems"][0]["score"], 100, "{now}");
    assert_eq!(now["problems"][0]["runs"], 1);
    assert!(now["problems"][0]["first_ac_ms"].is_i64());
    let (status, watched) = page(&format!("{}/interviews/{id}/watch?key={key}", server.url));
    assert_eq!(status, 200);
    assert!(
        watched.contains("(mean - mu0)"),
        "the latest code: {watched}"
    );
    let note = ureq::post(&format!(
        "{}/api/v1/interviews/{id}/notes?key={key}",
        server.url
    ))
    .send_json(json!({"text": "tested the edge case first"}))
    .unwrap();
    assert_eq!(note.status(), 200);
    let (_, played) = page(&format!(
        "{}/interviews/{id}/playback?key={key}&problem=t-value&at=1",
        server.url
    ));
    assert!(played.contains("// first draft"), "{played}");
    assert!(played.contains("Draft 1 of 2"), "{played}");
    let (_, md) = page(&format!(
        "{}/api/v1/interviews/{id}/report?format=markdown&key={key}",
        server.url
    ));
    for part in [
        "Score: 100 of 200",
        "1 run, 1 submission",
        "tested the edge case first",
        "group basic: 40 / 40: basic-1 AC",
        "```rust",
    ] {
        assert!(md.contains(part), "{part} missing in:\n{md}");
    }

    // Another session's links open nothing with this candidate's token or key.
    let (other_token, other_key, other, _) =
        create(&server, &ivy, &["--pick", "knn", "--minutes", "45"]);
    let crossed = ureq::get(&format!(
        "{}/interviews/{other}/join?token={token}",
        server.url
    ))
    .call();
    assert!(
        matches!(crossed, Err(ureq::Error::Status(404, _))),
        "{crossed:?}"
    );
    assert_eq!(
        page(&format!(
            "{}/interviews/{other}/watch?key={key}",
            server.url
        ))
        .0,
        404
    );
    assert_eq!(
        page(&format!(
            "{}/interviews/{id}/watch?key={other_key}",
            server.url
        ))
        .0,
        404
    );
    assert_eq!(
        put_draft(&server, &other_token, "t-value", "// not mine").0,
        403
    );

    // Killed and started again: every acknowledged draft is still in the record.
    server.kill();
    let server = Server::start(&data);
    let after = state(&server, id, &key);
    assert_eq!(after["timeline"], now["timeline"]);
}

#[test]
fn the_deadline_is_the_servers_and_hidden_details_wait_for_it() {
    let (_keep, data) = data_dir();
    let ivy = add_user(&data, "ivy", "interviewer");
    let server = Server::start(&data);
    let (token, key, id, _) = create(
        &server,
        &ivy,
        &["--pick", "t-value", "--minutes", "0.1", "--hide-hidden"],
    );
    // Joining starts the clock (six seconds).
    assert_eq!(join(&server, id, &token).status(), 303);
    let (wrong_status, wrong) = post(
        &server.api("/submissions?wait=true"),
        &token,
        &json!({"problem": "t-value", "source": source(T_VALUE_WA)}).to_string(),
    );
    if wrong_status == 201 {
        // While the session runs, hidden cases show their verdicts only.
        let hidden: Vec<&Value> = wrong["report"]["groups"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|g| g["cases"].as_array().unwrap())
            .collect();
        if state(&server, id, &key)["over"] == false {
            assert!(
                hidden
                    .iter()
                    .all(|c| c["withheld"] == true && c["message"].is_null()),
                "{wrong}"
            );
        }
    } else {
        assert_eq!(
            wrong_status, 403,
            "only the deadline may refuse it: {wrong}"
        );
    }
    let deadline = Instant::now() + Duration::from_mins(1);
    while state(&server, id, &key)["over"] != true {
        assert!(Instant::now() < deadline, "the session never ended");
        std::thread::sleep(Duration::from_millis(50));
    }
    let (status, refused) = post(
        &server.api("/submissions"),
        &token,
        &json!({"problem": "t-value", "source": source(T_VALUE_AC)}).to_string(),
    );
    assert_eq!(status, 403, "{refused}");
    assert!(refused["error"]
        .as_str()
        .unwrap()
        .contains("the interview is over"));
    assert_eq!(put_draft(&server, &token, "t-value", "// late").0, 403);
    // Over: the submission shows its hidden cases whole, to the candidate too.
    if wrong_status == 201 {
        let (_, shown) = get(
            &server.api(&format!("/submissions/{}", wrong["id"])),
            &token,
        );
        let first_hidden = &shown["report"]["groups"][0]["cases"][0];
        assert_eq!(first_hidden["withheld"], false, "{shown}");
    }
}

/// An interview in Python: the report's final code is fenced as Python, and the
/// interviewer's view names the language.
#[test]
fn an_interviews_final_code_is_shown_in_its_language() {
    if !crate::kattis_languages::installed(
        &["python"],
        "an_interviews_final_code_is_shown_in_its_language",
    ) {
        return;
    }
    let (_keep, data) = data_dir();
    let ivy = add_user(&data, "ivy", "interviewer");
    let server = Server::start(&data);
    let (token, key, id, _) = create(&server, &ivy, &["--pick", "t-value", "--minutes", "45"]);
    assert_eq!(join(&server, id, &token).status(), 303);
    let code = source("problems/t-value/submissions/AC/numpy_std.py");
    let draft = ureq::put(&server.api("/problems/t-value/draft"))
        .set("Authorization", &format!("Bearer {token}"))
        .send_json(json!({ "source": code, "language": "python" }))
        .unwrap();
    assert_eq!(draft.status(), 200);
    let body = json!({"problem": "t-value", "source": code, "language": "python"}).to_string();
    let (status, submitted) = post(&server.api("/submissions?wait=true"), &token, &body);
    assert_eq!(status, 201, "{submitted}");
    assert_eq!(submitted["report"]["verdict"], "AC", "{submitted}");
    let now = state(&server, id, &key);
    assert_eq!(now["problems"][0]["final_code_language"], "python", "{now}");
    assert_eq!(now["problems"][0]["last_submission"]["language"], "python");
    let (_, md) = page(&format!(
        "{}/api/v1/interviews/{id}/report?format=markdown&key={key}",
        server.url
    ));
    assert!(md.contains("```python\nimport numpy as np"), "{md}");
    assert!(!md.contains("```rust"), "{md}");
    let (_, watched) = page(&format!("{}/interviews/{id}/watch?key={key}", server.url));
    assert!(watched.contains("Final code, in Python 3:"), "{watched}");
}
