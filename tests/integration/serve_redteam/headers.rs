//! What every answer carries: security headers, links on the public URL (never the Host
//! header), and a request id for a failure whose details go to the log only.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};

use super::client::{agent, fetch, interview, raw, DOES_NOT_COMPILE, FLAGS};
use super::receiver::{receiver, OK};
use crate::interviews_served::join;
use crate::serve::{add_user, data_dir, eventually, get, post, Log, Server, LOOPBACK_HOOKS};

// 5. Security headers.

#[test]
fn every_page_and_answer_carries_the_security_headers() {
    let (_keep, data) = data_dir();
    let ivy = add_user(&data, "ivy", "interviewer");
    let ada = add_user(&data, "ada", "candidate");
    let server = Server::start_with(&data, FLAGS);
    let (id, token, key, _) =
        interview(&server, &ivy, &json!({"pick": ["t-value"], "minutes": 45}));
    let joined = join(&server, id, &token);
    let cookie = joined
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let with_cookie = |path: &str| {
        agent()
            .get(&format!("{}{path}", server.url))
            .set("Cookie", &cookie)
    };
    let plain = |path: &str| agent().get(&format!("{}{path}", server.url));
    let bearer = |path: &str| {
        agent()
            .get(&format!("{}{path}", server.url))
            .set("Authorization", &format!("Bearer {ada}"))
    };
    let pages = [
        ("/", plain("/")),
        ("/problems", bearer("/problems")),
        ("/problems/t-value", bearer("/problems/t-value")),
        ("/history", bearer("/history")),
        (
            "join",
            plain(&format!("/interviews/{id}/join?token={token}")),
        ),
        (
            "candidate",
            with_cookie(&format!("/interviews/{id}/candidate")),
        ),
        ("watch", plain(&format!("/interviews/{id}/watch?key={key}"))),
        (
            "playback",
            plain(&format!("/interviews/{id}/playback?key={key}")),
        ),
        (
            "report",
            plain(&format!("/interviews/{id}/report?key={key}")),
        ),
        (
            "unknown link",
            plain(&format!("/interviews/{id}/join?token=wrong")),
        ),
        ("no page", plain("/no/such/page")),
        (
            "markdown",
            plain(&format!(
                "/api/v1/interviews/{id}/report?format=markdown&key={key}"
            )),
        ),
        (
            "json",
            plain(&format!("/api/v1/interviews/{id}/report?key={key}")),
        ),
        ("api", bearer("/api/v1/problems")),
        ("api error", plain("/api/v1/problems")),
    ];
    for (what, request) in pages {
        let page = fetch(request);
        let csp = page.header("content-security-policy");
        let script = csp
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap_or("");
        assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp:?}");
        assert!(
            script.contains("'self'") && !script.contains("unsafe"),
            "{what}: {csp:?}"
        );
        assert_eq!(page.header("x-content-type-options"), "nosniff", "{what}");
        assert_eq!(page.header("referrer-policy"), "no-referrer", "{what}");
        assert_eq!(page.header("x-frame-options"), "DENY", "{what}");
        assert_eq!(page.header("cache-control"), "no-store", "{what}");
        if page.header("content-type").starts_with("text/html") {
            for tag in page.body.split("<script").skip(1) {
                let tag = &tag[..tag.find('>').unwrap()];
                assert!(
                    tag.contains(" src="),
                    "{what}: an inline script: <script{tag}>"
                );
            }
        }
    }
}

// 9. Absolute links.

#[test]
fn links_are_built_on_the_public_url_never_on_the_host_header() {
    let (_keep, data) = data_dir();
    let ivy = add_user(&data, "ivy", "interviewer");
    let create = |server: &Server| {
        let body = json!({"pick": ["t-value"], "minutes": 30}).to_string();
        let made = raw(
            server,
            "127.0.0.1",
            &format!(
                "POST /api/v1/interviews HTTP/1.1\r\nHost: evil.example\r\nAuthorization: Bearer {ivy}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            ),
        );
        assert_eq!(made.status, 201, "{}", made.body);
        assert!(!made.body.contains("evil.example"), "{}", made.body);
        serde_json::from_str::<Value>(&made.body).unwrap()
    };
    {
        let server = Server::start_with(&data, FLAGS);
        let made = create(&server);
        assert_eq!(made["candidate_url"], Value::Null, "{made}");
        assert!(made["candidate_path"]
            .as_str()
            .unwrap()
            .starts_with("/interviews/"));
        assert!(
            made["links"].as_str().unwrap().contains("--public-url"),
            "{made}"
        );
    }
    let flags = [
        LOOPBACK_HOOKS,
        &["--public-url", "https://judge.example.org/"][..],
    ]
    .concat();
    let server = Server::start_with(&data, &flags);
    let made = create(&server);
    let link = made["candidate_url"].as_str().unwrap();
    assert!(
        link.starts_with("https://judge.example.org/interviews/"),
        "{made}"
    );
    assert!(link.ends_with(made["candidate_path"].as_str().unwrap()));
    // A webhook's link to the submission is on the public URL too.
    let ada = add_user(&data, "ada", "candidate");
    let hook = receiver("127.0.0.1", Some(OK.into()));
    let (_, sent) = post(
        &server.api("/submissions"),
        &ada,
        &json!({"problem": "t-value", "source": DOES_NOT_COMPILE, "callback_url": hook.url})
            .to_string(),
    );
    let got = hook
        .requests
        .recv_timeout(Duration::from_mins(2))
        .expect("the webhook");
    let body: Value = serde_json::from_str(&got.body).unwrap();
    assert_eq!(
        body["url"],
        format!("https://judge.example.org/submissions/{}", sent["id"])
    );
}

// 11. Failures of the service itself.

#[test]
fn a_failure_tells_the_client_a_request_id_and_the_log_the_details() {
    let (_keep, data) = data_dir();
    let ada = add_user(&data, "ada", "candidate");
    let log: Log = Arc::new(Mutex::new(String::new()));
    let server = Server::start_logged(&data, FLAGS, log.clone());
    // The database loses tables under the running server.
    let db = rusqlite::Connection::open(data.join("judge.db")).unwrap();
    db.busy_timeout(Duration::from_secs(30)).unwrap();
    db.execute_batch("DROP TABLE drafts").unwrap();
    let (status, failed) = get(&server.api("/problems/t-value/draft"), &ada);
    assert_eq!(status, 500, "{failed}");
    let id = failed["request_id"].as_str().unwrap().to_string();
    assert!(
        id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit()),
        "{failed}"
    );
    let said = failed["error"].as_str().unwrap();
    assert!(said.contains(&id), "{failed}");
    for secret in ["drafts", "table", "SQL", "sqlite", "judge.db", "/"] {
        assert!(
            !said.contains(secret),
            "{secret} told to the client: {failed}"
        );
    }
    db.execute_batch("ALTER TABLE submissions RENAME TO gone")
        .unwrap();
    let page = fetch(
        agent()
            .get(&format!("{}/history", server.url))
            .set("Authorization", &format!("Bearer {ada}")),
    );
    assert_eq!(page.status, 500);
    assert!(
        !page.body.contains("no such table") && !page.body.contains("submissions"),
        "{}",
        page.body
    );
    let Some(shown) = page.body.split("request id ").nth(1) else {
        panic!("no request id in {}", page.body);
    };
    let page_id = shown[..16].to_string();
    // The details are in the log, under each id.
    let (api, page) = eventually(Duration::from_secs(30), "not logged", |last| {
        *last = log.lock().unwrap().clone();
        let line = |id: &str| last.lines().find(|l| l.contains(id)).map(str::to_string);
        line(&id).zip(line(&page_id))
    });
    assert!(api.contains("no such table: drafts"), "{api}");
    assert!(page.contains("no such table: submissions"), "{page}");
}
