//! The service attacked as a hostile candidate and a hostile account holder would: one test
//! per class of hole a security review found, each against the real `judge serve` on
//! 127.0.0.1 over real HTTP, each failing if its hole opens again. Only loopback addresses
//! are ever connected to (127.0.0.2 stands for "another client").

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use judge::service::webhook::SignatureError;
use serde_json::{json, Value};

use crate::interviews_served::join;
use crate::serve::{
    add_user, data_dir, events, eventually, finished, get, post, source, Log, Server,
    LOOPBACK_HOOKS, T_VALUE_AC, T_VALUE_WA,
};

/// Flags that keep the rate limit out of a test's way.
const FLAGS: &[&str] = &["--rate", "1000000", "--workers", "2"];

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// An interview made over the API: (id, candidate token, interviewer key, the answer).
fn interview(server: &Server, interviewer: &str, body: &Value) -> (i64, String, String, Value) {
    let (status, made) = post(&server.api("/interviews"), interviewer, &body.to_string());
    assert_eq!(status, 201, "{made}");
    let path = made["candidate_path"].as_str().unwrap();
    let token = path.split("token=").nth(1).unwrap().to_string();
    let watch = made["interviewer_path"].as_str().unwrap();
    let key = watch.split("key=").nth(1).unwrap().to_string();
    (made["id"].as_i64().unwrap(), token, key, made)
}

/// A page or document fetched with ureq: status, headers (lowercase names) and body.
struct Fetched {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Fetched {
    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

fn fetch(request: ureq::Request) -> Fetched {
    let response = match request.call() {
        Ok(r) | Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("no answer: {e}"),
    };
    let headers = response
        .headers_names()
        .into_iter()
        .map(|n| {
            let v = response.header(&n).unwrap_or("").to_string();
            (n.to_ascii_lowercase(), v)
        })
        .collect();
    Fetched {
        status: response.status(),
        headers,
        body: response.into_string().unwrap(),
    }
}

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new().redirects(0).build()
}

/// One HTTP/1.1 exchange on a connection made from `from` (a loopback address), written
/// by hand so that any header (a forged `Host`) goes as written: status, headers, body.
fn raw(server: &Server, from: &str, request: &str) -> Fetched {
    let to: SocketAddr = server.url.trim_start_matches("http://").parse().unwrap();
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    let local: SocketAddr = format!("{from}:0").parse().unwrap();
    socket.bind(&local.into()).unwrap();
    socket.connect(&to.into()).unwrap();
    let mut stream: TcpStream = socket.into();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(n, v)| (n.to_ascii_lowercase(), v.to_string()))
        .collect();
    Fetched {
        status,
        headers,
        body: body.to_string(),
    }
}

/// A form POST written by hand, from `from`.
fn form_from(
    server: &Server,
    from: &str,
    path: &str,
    fields: &[(&str, &str)],
    extra: &str,
) -> Fetched {
    let body = fields
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let host = server.url.trim_start_matches("http://");
    raw(
        server,
        from,
        &format!(
            "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n{extra}\r\n{body}",
            body.len()
        ),
    )
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A source that fails t-value's cases after burning CPU on each: slow enough that its
/// events can be followed live; its own text each time, so no cached report stands in.
fn slow_wa(n: usize) -> String {
    format!(
        "// red-team {n} {}\nmod wrong {{\n{}\n}}\npub fn t_value(var: Vec<f64>, mu0: f64) -> f64 {{\n    let mut x = 0u64;\n    for _ in 0..100_000_000u64 {{ x = std::hint::black_box(x + 1); }}\n    wrong::t_value(var, mu0)\n}}\n",
        now_ms(),
        source(T_VALUE_WA)
    )
}

/// A source that does not compile: judged in a moment.
const DOES_NOT_COMPILE: &str = "pub fn t_value() -> f64 { not rust }";

/// One request a receiver got: when (Unix milliseconds), its headers (lowercase names) and
/// body.
struct Got {
    at_ms: i64,
    headers: Vec<(String, String)>,
    body: String,
}

impl Got {
    fn header(&self, name: &str) -> String {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

/// A listener on 127.0.0.1 (or `ip`) that counts connections and hands each request over;
/// it answers `reply` (a whole HTTP answer) or, when `None`, never answers.
struct Receiver {
    url: String,
    connections: Arc<AtomicUsize>,
    requests: mpsc::Receiver<Got>,
}

fn receiver(ip: &str, reply: Option<String>) -> Receiver {
    let listener = TcpListener::bind(format!("{ip}:0")).unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let (tell, requests) = mpsc::channel();
    let counted = connections.clone();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            counted.fetch_add(1, Ordering::SeqCst);
            let Some(reply) = reply.clone() else {
                // A tarpit: the connection is kept open and never answered.
                held.push(stream);
                continue;
            };
            let tell = tell.clone();
            std::thread::spawn(move || {
                let Some((headers, body)) = read_request(&stream) else {
                    return;
                };
                let at_ms = now_ms();
                let _ = (&stream).write_all(reply.as_bytes());
                let _ = tell.send(Got {
                    at_ms,
                    headers,
                    body,
                });
            });
        }
    });
    Receiver {
        url,
        connections,
        requests,
    }
}

fn read_request(stream: &TcpStream) -> Option<(Vec<(String, String)>, String)> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut headers = Vec::new();
    loop {
        line.clear();
        reader.read_line(&mut line).ok()?;
        let Some((name, value)) = line.trim_end().split_once(": ") else {
            break;
        };
        headers.push((name.to_ascii_lowercase(), value.to_string()));
    }
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .map_or(0, |(_, v)| v.parse().unwrap_or(0));
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some((headers, String::from_utf8_lossy(&body).into_owned()))
}

const OK: &str = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

/// Waits for the webhook of submission `id` to have been tried and failed; its error.
fn delivery_error(data: &std::path::Path, id: i64) -> String {
    let store = judge::service::store::Store::open(data).unwrap();
    eventually(
        Duration::from_mins(3),
        &format!("no delivery of {id} was ever tried"),
        |_| match store.delivery_state(id).unwrap() {
            Some((attempts, Some(error))) if attempts >= 1 => Some(error),
            _ => None,
        },
    )
}

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

// 3. Webhook targets.

#[test]
fn a_webhook_reaches_no_loopback_private_or_link_local_address_and_follows_no_redirect() {
    let (_keep, data) = data_dir();
    let ada = add_user(&data, "ada", "candidate");
    let server = Server::start_with(&data, FLAGS);
    let inside = receiver("127.0.0.1", Some(OK.into()));
    let port = inside
        .url
        .rsplit(':')
        .next()
        .unwrap()
        .trim_end_matches("/hook")
        .to_string();
    let submit = |url: &str| {
        let body = json!({"problem": "t-value", "source": DOES_NOT_COMPILE, "callback_url": url});
        post(&server.api("/submissions"), &ada, &body.to_string())
    };
    for host in [
        "127.0.0.1",
        "127.1",
        "2130706433",
        "0x7f000001",
        "0177.0.0.1",
        "[::1]",
        "[::ffff:127.0.0.1]",
        "0.0.0.0",
        "user@127.0.0.1",
        "10.0.0.1",
        "172.16.0.1",
        "192.168.0.1",
        "169.254.169.254",
        "100.64.0.1",
        "[fc00::1]",
        "[fd00:ec2::254]",
        "[fe80::1]",
    ] {
        let url = format!("http://{host}:{port}/hook");
        let (status, refused) = submit(&url);
        assert_eq!(status, 400, "{url}: {refused}");
        assert_eq!(refused["field"], "callback_url", "{url}: {refused}");
    }
    // A name is judged by what it resolves to, when delivering.
    let (status, made) = submit(&format!("http://localhost:{port}/hook"));
    assert_eq!(status, 201, "{made}");
    let error = delivery_error(&data, made["id"].as_i64().unwrap());
    assert!(error.contains("this machine"), "{error}");
    assert_eq!(
        inside.connections.load(Ordering::SeqCst),
        0,
        "nothing reached the inside"
    );

    // Allowed to reach 127.0.0.1 only: a redirect to another address is not followed.
    let (_keep2, data2) = data_dir();
    let bob = add_user(&data2, "bob", "candidate");
    let allowed = Server::start_with(&data2, LOOPBACK_HOOKS);
    let beyond = receiver("127.0.0.2", Some(OK.into()));
    let redirect = format!(
        "HTTP/1.1 302 Found\r\nLocation: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        beyond.url
    );
    let bouncer = receiver("127.0.0.1", Some(redirect));
    let body =
        json!({"problem": "t-value", "source": DOES_NOT_COMPILE, "callback_url": bouncer.url});
    let (status, made) = post(&allowed.api("/submissions"), &bob, &body.to_string());
    assert_eq!(status, 201, "{made}");
    bouncer
        .requests
        .recv_timeout(Duration::from_mins(2))
        .expect("the allowed receiver is called");
    let error = delivery_error(&data2, made["id"].as_i64().unwrap());
    assert!(
        error.contains("302") && error.contains("not followed"),
        "{error}"
    );
    assert_eq!(
        beyond.connections.load(Ordering::SeqCst),
        0,
        "the redirect was followed"
    );
    let (status, refused) = post(
        &allowed.api("/submissions"),
        &bob,
        &json!({"problem": "t-value", "source": "x", "callback_url": beyond.url}).to_string(),
    );
    assert_eq!(
        (status, &refused["field"]),
        (400, &json!("callback_url")),
        "{refused}"
    );
}

// 4. A receiver that never answers.

#[test]
fn a_receiver_that_never_answers_delays_no_one_elses_webhook() {
    let (_keep, data) = data_dir();
    let slow = add_user(&data, "slow", "candidate");
    let quick = add_user(&data, "quick", "candidate");
    let server = Server::start_with(&data, LOOPBACK_HOOKS);
    let tarpit = receiver("127.0.0.1", None);
    let hook = receiver("127.0.0.1", Some(OK.into()));
    let batch = json!({ "submissions": (0..6).map(|_| json!({
        "problem": "t-value", "source": DOES_NOT_COMPILE, "callback_url": tarpit.url
    })).collect::<Vec<_>>() });
    let (status, made) = post(&server.api("/submissions/batch"), &slow, &batch.to_string());
    assert_eq!(status, 201, "{made}");
    for id in made["ids"].as_array().unwrap() {
        finished(&server, &slow, id.as_i64().unwrap());
    }
    // The tarpit holds the deliverer's calls to it (as many as it lets one receiver have).
    eventually(
        Duration::from_mins(1),
        "the tarpit was never called",
        |_| (tarpit.connections.load(Ordering::SeqCst) >= 4).then_some(()),
    );
    let (status, done) = post(
        &server.api("/submissions?wait=true"),
        &quick,
        &json!({"problem": "t-value", "source": DOES_NOT_COMPILE, "callback_url": hook.url})
            .to_string(),
    );
    assert_eq!((status, &done["status"]), (201, &json!("done")), "{done}");
    let got = hook
        .requests
        .recv_timeout(Duration::from_mins(1))
        .expect("the other user's webhook");
    assert_eq!(
        serde_json::from_str::<Value>(&got.body).unwrap()["id"],
        done["id"]
    );
    let late = got.at_ms - done["finished_ms"].as_i64().unwrap();
    assert!(
        late < 1000,
        "delivered {late} ms after the judging ended, behind the tarpit"
    );
}

/// A webhook to an `https://` address is delivered over TLS: the receiver's first bytes are
/// a TLS handshake (a client built without TLS never connected, and the delivery's error
/// said it had no TLS backend).
#[test]
fn an_https_webhook_speaks_tls() {
    let (_keep, data) = data_dir();
    let ada = add_user(&data, "ada", "candidate");
    let server = Server::start_with(&data, LOOPBACK_HOOKS);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("https://{}/hook", listener.local_addr().unwrap());
    let (tell, first) = mpsc::channel();
    std::thread::spawn(move || {
        let Ok((mut stream, _)) = listener.accept() else {
            return;
        };
        let mut head = [0u8; 3];
        if stream.read_exact(&mut head).is_ok() {
            let _ = tell.send(head);
        }
    });
    let (status, made) = post(
        &server.api("/submissions"),
        &ada,
        &json!({"problem": "t-value", "source": DOES_NOT_COMPILE, "callback_url": url}).to_string(),
    );
    assert_eq!(status, 201, "{made}");
    let head = first
        .recv_timeout(Duration::from_mins(2))
        .expect("the receiver was never connected to");
    // A TLS record of type handshake (22), version 3.x.
    assert_eq!((head[0], head[1]), (22, 3), "not a TLS handshake: {head:?}");
    let error = delivery_error(&data, made["id"].as_i64().unwrap());
    assert!(!error.contains("TLS backend"), "{error}");
}

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

// 6. Joining an interview.

#[test]
fn an_interview_link_starts_nothing_until_its_own_page_posts_it() {
    let (_keep, data) = data_dir();
    let ivy = add_user(&data, "ivy", "interviewer");
    let server = Server::start_with(&data, FLAGS);
    let (id, token, key, _) =
        interview(&server, &ivy, &json!({"pick": ["t-value"], "minutes": 45}));
    let state = || {
        let page = fetch(agent().get(&format!("{}/api/v1/interviews/{id}?key={key}", server.url)));
        serde_json::from_str::<Value>(&page.body).unwrap()
    };
    // Opened, previewed, prefetched: a page with a button, no session, no clock.
    for _ in 0..2 {
        let page = fetch(agent().get(&format!(
            "{}/interviews/{id}/join?token={token}",
            server.url
        )));
        assert_eq!(page.status, 200);
        assert_eq!(page.header("set-cookie"), "");
        assert!(page.body.contains("Start the interview"), "{}", page.body);
    }
    assert_eq!(state()["started_ms"], Value::Null);
    // Another site's form, posting the link's token: refused, nothing starts.
    let path = format!("/interviews/{id}/join");
    for forged in [
        "Sec-Fetch-Site: cross-site\r\nOrigin: https://evil.example\r\n",
        "Origin: https://evil.example\r\n",
        "Origin: null\r\n",
    ] {
        let refused = form_from(&server, "127.0.0.1", &path, &[("token", &token)], forged);
        assert_eq!(refused.status, 403, "{forged}: {}", refused.body);
        assert_eq!(refused.header("set-cookie"), "", "{forged}");
    }
    assert_eq!(state()["started_ms"], Value::Null);
    // The page's own button: signed in, the clock runs.
    let host = server.url.trim_start_matches("http://");
    let mine = format!("Sec-Fetch-Site: same-origin\r\nOrigin: http://{host}\r\n");
    let joined = form_from(&server, "127.0.0.1", &path, &[("token", &token)], &mine);
    assert_eq!(joined.status, 303, "{}", joined.body);
    assert!(joined.header("set-cookie").contains("judge_session="));
    assert!(state()["started_ms"].is_i64());
}

// 7. Guessing passwords.

fn add_with_password(data: &std::path::Path, name: &str, password: &str) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_judge"))
        .args(["user", "add", name, "--password-stdin", "--data"])
        .arg(data)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{password}\n").as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
}

#[test]
fn a_guesser_slows_only_itself_and_never_locks_the_user_out() {
    let (_keep, data) = data_dir();
    add_with_password(&data, "ada", "correct horse battery");
    let server = Server::start_with(&data, FLAGS);
    let sign_in = |from: &str, password: &str| {
        form_from(
            &server,
            from,
            "/signin",
            &[("name", "ada"), ("password", password)],
            "",
        )
    };
    let mut statuses = Vec::new();
    let mut waits = Vec::new();
    for n in 0..12 {
        let tried = sign_in("127.0.0.1", &format!("guess {n}"));
        statuses.push(tried.status);
        if tried.status == 429 {
            assert!(
                tried.body.contains("Too many wrong passwords"),
                "{}",
                tried.body
            );
            waits.push(tried.header("retry-after").parse::<u64>().unwrap());
        }
    }
    assert_eq!(statuses[..5], [401; 5], "{statuses:?}");
    assert!(
        statuses[5..].iter().all(|s| *s == 429),
        "slowed after five: {statuses:?}"
    );
    assert!(
        waits.iter().all(|w| (1..=60).contains(w)),
        "a bounded wait: {waits:?}"
    );
    // The right password from the guesser's address waits too...
    assert_eq!(sign_in("127.0.0.1", "correct horse battery").status, 429);
    // ...but the user, from its own address, signs in at once.
    let user = sign_in("127.0.0.2", "correct horse battery");
    assert_eq!(user.status, 303, "{}", user.body);
    assert!(user.header("set-cookie").contains("judge_session="));
}

// 8. Event streams per account.

#[test]
fn one_account_holds_a_bounded_number_of_event_streams() {
    let (_keep, data) = data_dir();
    let ada = add_user(&data, "ada", "candidate");
    let ann = add_user(&data, "ann", "author");
    let server = Server::start_with(&data, &["--rate", "1000000", "--workers", "1"]);
    // One worker busy for a long while, and a submission waiting behind it.
    let hog =
        "pub fn t_value(var: Vec<f64>, mu0: f64) -> f64 { loop { std::hint::black_box(&var); } }";
    let (status, _) = post(
        &server.api("/submissions"),
        &ada,
        &json!({"problem": "t-value", "source": format!("// {}\n{hog}", now_ms())}).to_string(),
    );
    assert_eq!(status, 201);
    let (_, waiting) = post(
        &server.api("/submissions"),
        &ada,
        &json!({"problem": "t-value", "source": source(T_VALUE_AC)}).to_string(),
    );
    let url = server.api(&format!("/submissions/{}/events", waiting["id"]));
    // The answer whatever its status; its body is not read, so a stream stays open.
    let open = |token: &str| match ureq::get(&url)
        .set("Authorization", &format!("Bearer {token}"))
        .call()
    {
        Ok(r) | Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("no answer: {e}"),
    };
    let mut held = Vec::new();
    for n in 0..16 {
        let stream = open(&ada);
        assert_eq!(stream.status(), 200, "stream {n}");
        held.push(stream);
    }
    let refused = open(&ada);
    assert_eq!(refused.status(), 429, "a 17th stream was opened");
    assert!(refused.header("retry-after").is_some());
    let said: Value = refused.into_json().unwrap();
    assert!(
        said["error"]
            .as_str()
            .unwrap()
            .contains("event streams open"),
        "{said}"
    );
    assert_eq!(
        get(
            &server.api(&format!("/submissions/{}", waiting["id"])),
            &ada
        )
        .1["status"],
        "queued",
        "the streams were all open together"
    );
    // Per account: another holds its own.
    assert_eq!(open(&ann).status(), 200);
    // A closed stream gives its place back.
    drop(held.pop());
    let again = eventually(
        Duration::from_mins(1),
        "a closed stream kept its place",
        |_| {
            let again = open(&ada);
            (again.status() == 200).then_some(again)
        },
    );
    held.push(again);
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

// 10. Replayed webhooks.

#[test]
fn a_webhooks_signature_binds_its_time_and_delivery_so_a_capture_cannot_be_replayed() {
    let (_keep, data) = data_dir();
    let ada = add_user(&data, "ada", "candidate");
    let server = Server::start_with(&data, LOOPBACK_HOOKS);
    let hook = receiver("127.0.0.1", Some(OK.into()));
    let key = || std::fs::read(data.join("webhook-secret")).unwrap();
    let mut captured = Vec::new();
    for _ in 0..2 {
        let body =
            json!({"problem": "t-value", "source": DOES_NOT_COMPILE, "callback_url": hook.url});
        assert_eq!(
            post(&server.api("/submissions"), &ada, &body.to_string()).0,
            201
        );
        let got = hook
            .requests
            .recv_timeout(Duration::from_mins(2))
            .expect("a webhook");
        captured.push((
            got.header("x-judge-timestamp"),
            got.header("x-judge-delivery"),
            got.header("x-judge-signature"),
            got.body,
        ));
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let verify = |(timestamp, delivery, signed, body): &(String, String, String, String),
                  now: u64| {
        judge::service::webhook::verify(&key(), timestamp, delivery, body.as_bytes(), signed, now)
    };
    for delivery in &captured {
        assert_eq!(verify(delivery, now), Ok(()), "{delivery:?}");
        // Replayed later: stale.
        assert!(matches!(
            verify(delivery, now + 600),
            Err(SignatureError::Stale(_))
        ));
        // Replayed now with a fresh timestamp or another id: the signature no longer fits.
        let (t, d, s, b) = delivery.clone();
        let fresh = (now.to_string(), d.clone(), s.clone(), b.clone());
        if t != fresh.0 {
            assert_eq!(verify(&fresh, now), Err(SignatureError::Mismatch));
        }
        assert_eq!(
            verify(&(t, format!("{d}x"), s, b), now),
            Err(SignatureError::Mismatch)
        );
    }
    assert_ne!(
        captured[0].1, captured[1].1,
        "each webhook has an id of its own"
    );
    // A signature over the body alone (the old scheme) is not what is sent.
    let (_, _, signed, body) = &captured[0];
    let mut mac = <hmac::Hmac<sha2::Sha256> as hmac::Mac>::new_from_slice(&key()).unwrap();
    hmac::Mac::update(&mut mac, body.as_bytes());
    let body_only = format!(
        "sha256={}",
        judge::cache::hex(&hmac::Mac::finalize(mac).into_bytes())
    );
    assert_ne!(*signed, body_only);
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
