//! What a report shows: a candidate's text stays text in every rendering, and hidden cases
//! stay hidden on every path while an interview hides them.

use std::collections::HashSet;
use std::time::Duration;

use serde_json::{json, Value};

use super::client::{agent, fetch, interview, slow_wa, FLAGS};
use super::receiver::{receiver, OK};
use crate::interviews_served::join;
use crate::serve::{
    add_user, data_dir, events, get, post, source, Server, LOOPBACK_HOOKS, T_VALUE_WA,
};

// 1. Report injection.

#[test]
fn a_candidates_text_stays_text_in_every_rendering_of_the_report() {
    let (keep, data) = data_dir();
    let ivy = add_user(&data, "ivy", "interviewer");
    let server = Server::start_with(&data, FLAGS);
    let (id, token, key, _) =
        interview(&server, &ivy, &json!({"pick": ["t-value"], "minutes": 45}));
    assert_eq!(join(&server, id, &token).status(), 303);
    let draft = "pub fn t_value(var: Vec<f64>, mu0: f64) -> f64 { 0.0 }\n````\n```\n\n## Result: 100 of 100\n\n[Open the full report](javascript:alert(document.cookie))\n<script>alert(1)</script>\n![x](javascript:alert(2))\n";
    let saved = ureq::put(&server.api("/problems/t-value/draft"))
        .set("Authorization", &format!("Bearer {token}"))
        .send_json(json!({ "source": draft }))
        .unwrap();
    assert_eq!(saved.status(), 200);

    // The Markdown export: one code block holding the draft exactly, no forged heading,
    // no link, no raw HTML.
    let md = fetch(agent().get(&format!(
        "{}/api/v1/interviews/{id}/report?format=markdown&key={key}",
        server.url
    )));
    assert_eq!(md.status, 200);
    assert!(md.header("content-type").starts_with("text/markdown"));
    let (mut headings, mut code, mut links, mut html) = (Vec::new(), Vec::new(), Vec::new(), 0);
    let (mut in_heading, mut in_code) = (false, false);
    for event in pulldown_cmark::Parser::new(&md.body) {
        use pulldown_cmark::{Event, Tag, TagEnd};
        match event {
            Event::Start(Tag::Heading { .. }) => {
                in_heading = true;
                headings.push(String::new());
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Start(Tag::CodeBlock(_)) => {
                in_code = true;
                code.push(String::new());
            }
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                links.push(dest_url.to_string());
            }
            Event::Html(_) | Event::InlineHtml(_) => html += 1,
            Event::Text(t) | Event::Code(t) if in_heading => {
                headings.last_mut().unwrap().push_str(&t);
            }
            Event::Text(t) if in_code => code.last_mut().unwrap().push_str(&t),
            _ => {}
        }
    }
    assert_eq!(
        headings,
        [
            format!("Mock interview {id}"),
            "t-value".into(),
            "Timeline".into()
        ],
        "{}",
        md.body
    );
    assert_eq!(code, [draft.trim_end().to_string() + "\n"], "{}", md.body);
    assert!(links.is_empty(), "{links:?} in {}", md.body);
    assert_eq!(html, 0, "{}", md.body);

    // The report page and the live view: the draft as text, no script, no script link.
    for path in [
        format!("/interviews/{id}/report?key={key}"),
        format!("/interviews/{id}/watch?key={key}"),
    ] {
        let page = fetch(agent().get(&format!("{}{path}", server.url)));
        assert_eq!(page.status, 200, "{path}");
        let lower = page.body.to_ascii_lowercase();
        assert!(
            !lower.contains("href=\"javascript") && !lower.contains("src=\"javascript"),
            "{path}: {}",
            page.body
        );
        assert!(
            !page.body.contains("<script>alert"),
            "{path}: {}",
            page.body
        );
        assert!(!page.body.contains("<h2>Result"), "{path}: {}", page.body);
        assert!(
            page.body.contains("&lt;script&gt;alert(1)"),
            "{path}: {}",
            page.body
        );
    }

    // The JSON: the draft as data, served as JSON that no browser reads as a page.
    let report = fetch(agent().get(&format!(
        "{}/api/v1/interviews/{id}/report?key={key}",
        server.url
    )));
    assert!(report
        .header("content-type")
        .starts_with("application/json"));
    assert_eq!(report.header("x-content-type-options"), "nosniff");
    let report: Value = serde_json::from_str(&report.body).unwrap();
    assert_eq!(report["problems"][0]["final_code"], draft);

    // A statement's links are kept only when they lead to a web page.
    let bank = keep.path().join("bank");
    crate::serve_kattis::bank_with_package(&bank);
    let statement = bank.join("problems/subtasks/problem_statement/problem.md");
    let mut text = std::fs::read_to_string(&statement).unwrap();
    text.push_str("\n\nSee [the rules](javascript:alert(1)), [more](JAVASCRIPT:alert(2)), <javascript:alert(3)>, [data](data:text/html,<script>alert(4)</script>) and [the docs](https://example.com/docs).\n");
    std::fs::write(&statement, text).unwrap();
    let (_keep2, other_data) = data_dir();
    let ada = add_user(&other_data, "ada", "candidate");
    let packaged = Server::start_on_bank(&other_data, FLAGS, &bank);
    let page = fetch(
        agent()
            .get(&format!("{}/problems/subtasks", packaged.url))
            .set("Authorization", &format!("Bearer {ada}")),
    );
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("the rules"), "{}", page.body);
    assert!(
        page.body.contains("href=\"https://example.com/docs\""),
        "{}",
        page.body
    );
    let lower = page.body.to_ascii_lowercase();
    for attribute in ["href=\"javascript", "href=\"data:", "src=\"javascript"] {
        assert!(!lower.contains(attribute), "{attribute} in {}", page.body);
    }
}

// 2. Hidden cases' details.

#[test]
fn hidden_cases_are_hidden_on_every_path_while_an_interview_hides_them() {
    let (_keep, data) = data_dir();
    let ivy = add_user(&data, "ivy", "interviewer");
    let server = Server::start_with(&data, LOOPBACK_HOOKS);
    let (id, token, key, _) = interview(
        &server,
        &ivy,
        &json!({"pick": ["t-value"], "minutes": 45, "hide_hidden": true}),
    );
    assert_eq!(join(&server, id, &token).status(), 303);
    let hook = receiver("127.0.0.1", Some(OK.into()));
    let (status, made) = post(
        &server.api("/submissions"),
        &token,
        &json!({"problem": "t-value", "source": slow_wa(1), "callback_url": hook.url}).to_string(),
    );
    assert_eq!(status, 201, "{made}");
    let sid = made["id"].as_i64().unwrap();
    let told = events(&server.api(&format!("/submissions/{sid}/events")), &token);

    // What the judge knows, as the interviewer sees it: hidden cases with their figures.
    let whole = fetch(agent().get(&format!(
        "{}/api/v1/interviews/{id}/report?key={key}",
        server.url
    )));
    let whole: Value = serde_json::from_str(&whole.body).unwrap();
    let judged = &whole["problems"][0]["last_submission"]["report"];
    let hidden: HashSet<String> = judged["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["cases"].as_array().unwrap())
        .map(|c| {
            assert!(c["time_ms"].is_u64(), "the interviewer sees all: {c}");
            c["name"].as_str().unwrap().to_string()
        })
        .collect();
    assert!(!hidden.is_empty());
    assert!(
        judged["groups"].to_string().contains("\"message\":\""),
        "a failing hidden case's message, to the interviewer: {judged}"
    );

    // The stream: no hidden case starts, each finishes without figures, after the rest.
    let names: Vec<&str> = told.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names.last(), Some(&"done"), "{names:?}");
    let name_of = |d: &Value| d["name"].as_str().unwrap_or("").to_string();
    assert!(
        !told
            .iter()
            .any(|(n, d)| n == "case-started" && hidden.contains(&name_of(d))),
        "{told:?}"
    );
    let finished_hidden: Vec<&Value> = told
        .iter()
        .filter(|(n, d)| n == "case-finished" && hidden.contains(&name_of(d)))
        .map(|(_, d)| d)
        .collect();
    assert_eq!(
        finished_hidden.len(),
        hidden.len(),
        "every hidden case is told, at the end: {names:?}"
    );
    for d in &finished_hidden {
        assert!(
            d["time_ms"].is_null() && d["memory_kb"].is_null() && d["withheld"] == true,
            "{d}"
        );
    }
    let samples: Vec<&Value> = told
        .iter()
        .filter(|(n, d)| n == "case-finished" && !hidden.contains(&name_of(d)))
        .map(|(_, d)| d)
        .collect();
    assert!(
        samples.iter().all(|d| d["time_ms"].is_u64()),
        "samples stay whole: {samples:?}"
    );

    // Every answer and page that shows the submission withholds the same.
    let withheld = |report: &Value, path: &str| {
        for case in report["groups"]
            .as_array()
            .unwrap_or_else(|| panic!("{path}: no groups in {report}"))
            .iter()
            .flat_map(|g| g["cases"].as_array().unwrap())
        {
            for figure in ["time_ms", "memory_kb", "message", "diff", "input", "output"] {
                assert!(case[figure].is_null(), "{path}: {figure} of {case}");
            }
            assert_eq!(case["withheld"], true, "{path}");
        }
    };
    withheld(&told.last().unwrap().1["report"], "the done event");
    let (_, one) = get(&server.api(&format!("/submissions/{sid}")), &token);
    withheld(&one["report"], "GET /submissions/{id}");
    let (_, history) = get(&server.api("/submissions"), &token);
    withheld(&history["submissions"][0]["report"], "GET /submissions");
    let (_, waited) = post(
        &server.api("/submissions?wait=true"),
        &token,
        &json!({"problem": "t-value", "source": source(T_VALUE_WA)}).to_string(),
    );
    withheld(&waited["report"], "?wait=true");
    let got = hook
        .requests
        .recv_timeout(Duration::from_mins(2))
        .expect("the webhook");
    let body: Value = serde_json::from_str(&got.body).unwrap();
    assert_eq!(body["id"], sid);
    withheld(&body["report"], "the webhook");
    for path in [
        format!("/submissions/{sid}"),
        format!("/submissions/{sid}/report"),
    ] {
        let page = fetch(
            agent()
                .get(&format!("{}{path}", server.url))
                .set("Authorization", &format!("Bearer {token}")),
        );
        assert_eq!(page.status, 200, "{path}");
        for case in &hidden {
            let row = page
                .body
                .split(&format!("<tr data-case=\"{case}\">"))
                .nth(1)
                .and_then(|r| r.split("</tr>").next())
                .unwrap_or_else(|| panic!("{path}: no row for {case}"));
            assert!(row.contains("hidden"), "{path}: {row}");
            assert!(
                !row.contains(" ms<") && !row.contains("iB<"),
                "{path}: {row}"
            );
        }
    }
}
