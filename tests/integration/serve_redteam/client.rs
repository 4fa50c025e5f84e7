//! Requests as an attacker sends them (raw bytes, forms, no redirects followed), interviews
//! made over the API, and the sources the attacks submit.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value;

use crate::serve::{post, source, Server, T_VALUE_WA};

/// Flags that keep the rate limit out of a test's way.
pub(crate) const FLAGS: &[&str] = &["--rate", "1000000", "--workers", "2"];

pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// An interview made over the API: (id, candidate token, interviewer key, the answer).
pub(crate) fn interview(
    server: &Server,
    interviewer: &str,
    body: &Value,
) -> (i64, String, String, Value) {
    let (status, made) = post(&server.api("/interviews"), interviewer, &body.to_string());
    assert_eq!(status, 201, "{made}");
    let path = made["candidate_path"].as_str().unwrap();
    let token = path.split("token=").nth(1).unwrap().to_string();
    let watch = made["interviewer_path"].as_str().unwrap();
    let key = watch.split("key=").nth(1).unwrap().to_string();
    (made["id"].as_i64().unwrap(), token, key, made)
}

/// A page or document fetched with ureq: status, headers (lowercase names) and body.
pub(crate) struct Fetched {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: String,
}

impl Fetched {
    pub(crate) fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

pub(crate) fn fetch(request: ureq::Request) -> Fetched {
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

pub(crate) fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new().redirects(0).build()
}

/// One HTTP/1.1 exchange on a connection made from `from` (a loopback address), written
/// by hand so that any header (a forged `Host`) goes as written: status, headers, body.
pub(crate) fn raw(server: &Server, from: &str, request: &str) -> Fetched {
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
pub(crate) fn form_from(
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

pub(crate) fn encode(text: &str) -> String {
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
pub(crate) fn slow_wa(n: usize) -> String {
    format!(
        "// red-team {n} {}\nmod wrong {{\n{}\n}}\npub fn t_value(var: Vec<f64>, mu0: f64) -> f64 {{\n    let mut x = 0u64;\n    for _ in 0..100_000_000u64 {{ x = std::hint::black_box(x + 1); }}\n    wrong::t_value(var, mu0)\n}}\n",
        now_ms(),
        source(T_VALUE_WA)
    )
}

/// A source that does not compile: judged in a moment.
pub(crate) const DOES_NOT_COMPILE: &str = "pub fn t_value() -> f64 { not rust }";

/// Adds a user whose password is `password` (given on stdin, as `--password-stdin` reads it).
pub(crate) fn add_with_password(data: &std::path::Path, name: &str, password: &str) {
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
