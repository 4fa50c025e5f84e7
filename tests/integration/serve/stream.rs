//! A submission's server-sent events as a client reads them, whole or one at a time, and a
//! reader that drops its connection and comes back with `Last-Event-ID`.

use std::io::{BufRead, BufReader, Read};

use serde_json::Value;

/// The server-sent events of one submission, until the stream ends: (event, data) pairs.
pub(crate) fn events(url: &str, token: &str) -> Vec<(String, Value)> {
    let response = ureq::get(url)
        .set("Authorization", &format!("Bearer {token}"))
        .call()
        .unwrap();
    let mut text = String::new();
    response.into_reader().read_to_string(&mut text).unwrap();
    text.split("\n\n")
        .filter_map(|block| {
            let mut name = None;
            let mut data = None;
            for line in block.lines() {
                if let Some(n) = line.strip_prefix("event: ") {
                    name = Some(n.to_string());
                } else if let Some(d) = line.strip_prefix("data: ") {
                    data = serde_json::from_str(d).ok();
                }
            }
            Some((name?, data?))
        })
        .collect()
}

/// A server-sent event: its id (when it has one), name and data.
pub(crate) type Told = (Option<i64>, String, Value);

/// An open stream of server-sent events, read one event at a time.
pub(crate) struct Stream(BufReader<Box<dyn Read + Send + Sync>>);

impl Stream {
    /// Opens `url`'s events, after event `last` when given (`Last-Event-ID`).
    pub(crate) fn open(url: &str, token: &str, last: Option<i64>) -> Stream {
        let mut request = ureq::get(url).set("Authorization", &format!("Bearer {token}"));
        if let Some(last) = last {
            request = request.set("Last-Event-ID", &last.to_string());
        }
        Stream(BufReader::new(request.call().unwrap().into_reader()))
    }

    /// The next event, or None where the stream ends.
    pub(crate) fn next(&mut self) -> Option<Told> {
        let (mut id, mut name, mut data) = (None, None, None);
        loop {
            let mut line = String::new();
            if self.0.read_line(&mut line).unwrap_or(0) == 0 {
                return None;
            }
            let line = line.trim_end_matches(['\n', '\r']);
            if line.is_empty() {
                if let (Some(name), Some(data)) = (name.take(), data.take()) {
                    return Some((id, name, data));
                }
                id = None;
                continue;
            }
            if let Some(v) = line
                .strip_prefix("id: ")
                .or_else(|| line.strip_prefix("id:"))
            {
                id = v.trim().parse().ok();
            } else if let Some(v) = line.strip_prefix("event: ") {
                name = Some(v.to_string());
            } else if let Some(v) = line.strip_prefix("data: ") {
                data = serde_json::from_str(v).ok();
            }
        }
    }

    /// Every event to the end of the stream.
    pub(crate) fn rest(&mut self) -> Vec<Told> {
        std::iter::from_fn(|| self.next()).collect()
    }
}

/// Reads a submission's events up to its first finished case, drops the connection, and
/// connects again with the last id it got: the second stream starts right after it, and
/// the two together hold every case once, in order, ending with `done`.
pub(crate) fn reconnecting_reader_misses_nothing(events_url: &str, token: &str) -> Value {
    let mut first = Stream::open(events_url, token, None);
    let mut got = Vec::new();
    while let Some(told) = first.next() {
        let finished_a_case = told.1 == "case-finished";
        got.push(told);
        if finished_a_case {
            break;
        }
    }
    drop(first);
    let last = got.last().and_then(|t| t.0).expect("events carry ids");
    let rest = Stream::open(events_url, token, Some(last)).rest();
    assert!(
        rest.iter().all(|t| t.0.is_none_or(|id| id > last)),
        "only events after {last}: {rest:?}"
    );
    got.extend(rest);
    let names: Vec<&str> = got.iter().map(|t| t.1.as_str()).collect();
    assert_eq!(names.last(), Some(&"done"), "{names:?}");
    let ids: Vec<i64> = got.iter().filter_map(|t| t.0).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "ids grow: {ids:?}");
    let cases = got
        .iter()
        .find(|t| t.1 == "running")
        .and_then(|t| t.2["cases"].as_u64())
        .expect("a running event") as usize;
    let finished: Vec<&str> = got
        .iter()
        .filter(|t| t.1 == "case-finished")
        .map(|t| t.2["name"].as_str().unwrap())
        .collect();
    let mut unique = finished.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(
        (finished.len(), unique.len()),
        (cases, cases),
        "every case once: {names:?}"
    );
    got.pop().unwrap().2
}
