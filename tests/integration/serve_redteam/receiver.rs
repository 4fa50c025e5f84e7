//! A webhook receiver on loopback that records what it got, and the delivery error a
//! refused webhook leaves.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use super::client::now_ms;
use crate::serve::eventually;

/// One request a receiver got: when (Unix milliseconds), its headers (lowercase names) and
/// body.
pub(crate) struct Got {
    pub(crate) at_ms: i64,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: String,
}

impl Got {
    pub(crate) fn header(&self, name: &str) -> String {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

/// A listener on 127.0.0.1 (or `ip`) that counts connections and hands each request over;
/// it answers `reply` (a whole HTTP answer) or, when `None`, never answers.
pub(crate) struct Receiver {
    pub(crate) url: String,
    pub(crate) connections: Arc<AtomicUsize>,
    pub(crate) requests: mpsc::Receiver<Got>,
}

pub(crate) fn receiver(ip: &str, reply: Option<String>) -> Receiver {
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

pub(crate) fn read_request(stream: &TcpStream) -> Option<(Vec<(String, String)>, String)> {
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

pub(crate) const OK: &str = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

/// Waits for the webhook of submission `id` to have been tried and failed; its error.
pub(crate) fn delivery_error(data: &std::path::Path, id: i64) -> String {
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
