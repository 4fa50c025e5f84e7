//! Webhooks: retried until delivered, and signed.

use std::io::{BufRead, BufReader, Read};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::server::{add_user, data_dir, post, source, Server, LOOPBACK_HOOKS, T_VALUE_AC};

/// One request a webhook receiver got: its headers (lowercased names) and body.
struct Received {
    headers: Vec<(String, String)>,
    body: String,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A receiver on a free loopback port that answers each request with the next status of
/// `answers`, and hands over what it got; stops after the last.
fn webhook_receiver(answers: Vec<u16>) -> (String, std::sync::mpsc::Receiver<Received>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let (got, received) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for status in answers {
            let (mut stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut headers = Vec::new();
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            loop {
                line.clear();
                reader.read_line(&mut line).unwrap();
                let Some((name, value)) = line.trim_end().split_once(": ") else {
                    break;
                };
                headers.push((name.to_ascii_lowercase(), value.to_string()));
            }
            let length: usize = headers
                .iter()
                .find(|(n, _)| n == "content-length")
                .map_or(0, |(_, v)| v.parse().unwrap());
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let reply =
                format!("HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            std::io::Write::write_all(&mut stream, reply.as_bytes()).unwrap();
            let body = String::from_utf8(body).unwrap();
            if got.send(Received { headers, body }).is_err() {
                return;
            }
        }
    });
    (url, received)
}

#[test]
fn a_webhook_is_retried_until_delivered_and_signed() {
    let (_keep, data) = data_dir();
    let token = add_user(&data, "ada", "candidate");
    // The receiver is on loopback, which webhooks reach only when the operator allows it.
    let server = Server::start_with(&data, LOOPBACK_HOOKS);
    let (url, received) = webhook_receiver(vec![500, 503, 200]);
    let bad = json!({ "problem": "t-value", "source": "x", "callback_url": "file:///etc/passwd" });
    let (status, e) = post(&server.api("/submissions"), &token, &bad.to_string());
    assert_eq!(
        (status, e["field"].as_str()),
        (400, Some("callback_url")),
        "{e}"
    );
    let body = json!({ "problem": "t-value", "source": source(T_VALUE_AC), "callback_url": url });
    let (status, created) = post(&server.api("/submissions"), &token, &body.to_string());
    assert_eq!(status, 201, "{created}");
    let key = std::fs::read(data.join("webhook-secret")).unwrap();
    let mut attempts = Vec::new();
    for _ in 0..3 {
        let got = received
            .recv_timeout(Duration::from_mins(2))
            .expect("a delivery");
        let payload: Value = serde_json::from_str(&got.body).unwrap();
        assert_eq!(payload["id"], created["id"]);
        assert_eq!(payload["status"], "done");
        assert_eq!(payload["report"]["verdict"], "AC");
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let delivery = got.header("x-judge-delivery").unwrap();
        assert_eq!(
            judge::service::webhook::verify(
                &key,
                got.header("x-judge-timestamp").unwrap(),
                delivery,
                got.body.as_bytes(),
                got.header("x-judge-signature").unwrap(),
                now,
            ),
            Ok(())
        );
        attempts.push((
            got.header("x-judge-attempt").unwrap().to_string(),
            delivery.to_string(),
        ));
    }
    let numbers: Vec<&str> = attempts.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(numbers, ["1", "2", "3"]);
    assert!(
        attempts.iter().all(|(_, d)| *d == attempts[0].1),
        "one delivery id for every attempt of one webhook: {attempts:?}"
    );
    // Delivered: nothing more is sent (the receiver would fail a fourth accept).
    let store = judge::service::store::Store::open(&data).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    let id = created["id"].as_i64().unwrap();
    while store.delivery_state(id).unwrap().is_some() {
        assert!(Instant::now() < deadline, "still owed after a 200");
        std::thread::sleep(Duration::from_millis(20));
    }
}
