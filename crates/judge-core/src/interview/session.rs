//! A session's events and the state they add up to. Pure: time is passed in.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::report::{Report, Verdict};

/// Bumped when an event's fields change meaning; older journals are refused with a message.
pub const SESSION_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    Start(Start),
    /// A practice run on the samples.
    Run {
        problem: String,
        at_ms: u64,
        verdict: Verdict,
        passed: usize,
        samples: usize,
    },
    Submit(Box<Attempt>),
    /// The candidate (or interviewer) ended the session before its deadline.
    End {
        at_ms: u64,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Start {
    pub version: u32,
    pub problems: Vec<Picked>,
    pub started_ms: u64,
    pub deadline_ms: u64,
    pub seed: u64,
    /// Interviewer's flag: hidden cases' details stay hidden until the session ends.
    pub hide_hidden: bool,
    /// Interviewer's flag: hidden cases show their verdicts only, never their time or
    /// memory (which a solution can modulate to carry data out), even in the report.
    #[serde(default)]
    pub verdicts_only: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Picked {
    pub id: String,
    /// The problem's folder, where later commands load it from.
    pub dir: PathBuf,
    pub title: String,
    pub max_score: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Attempt {
    pub problem: String,
    pub at_ms: u64,
    pub verdict: Verdict,
    pub score: u32,
    pub max_score: u32,
    /// The exact text judged.
    pub code: String,
    /// The report as the candidate saw it (hidden cases left out when they were withheld).
    pub report: Report,
    /// True when `report` had its hidden cases removed.
    pub withheld: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    NotStarted,
    Attempted,
    Solved,
}

impl State {
    pub fn word(self) -> &'static str {
        match self {
            State::NotStarted => "not started",
            State::Attempted => "attempted",
            State::Solved => "solved",
        }
    }
}

/// One problem's standing in a session.
pub struct Standing<'s> {
    pub picked: &'s Picked,
    pub state: State,
    pub best_score: u32,
    pub runs: usize,
    pub attempts: Vec<&'s Attempt>,
    /// Milliseconds from the start to the first accepted submission.
    pub first_ac_ms: Option<u64>,
}

/// Why a journal's intact events do not make a session.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// The `entry`th intact event (1-based) is not one this judge knows.
    #[error("entry {entry} is not a session event: {source}")]
    NotAnEvent {
        entry: usize,
        source: serde_json::Error,
    },
    #[error("the record does not begin with the session's start")]
    NoStart,
    #[error("the session was recorded by a judge with record version {found} (this judge reads {SESSION_VERSION})")]
    Version { found: u32 },
}

#[derive(Debug)]
pub struct Session {
    pub start: Start,
    pub events: Vec<Event>,
}

impl Session {
    /// Rebuilds a session from its journal's events; the first must be the start.
    pub fn from_events(raw: Vec<serde_json::Value>) -> Result<Session, RecordError> {
        let mut events = Vec::with_capacity(raw.len());
        for (i, e) in raw.into_iter().enumerate() {
            let event: Event =
                serde_json::from_value(e).map_err(|source| RecordError::NotAnEvent {
                    entry: i + 1,
                    source,
                })?;
            events.push(event);
        }
        let start = match events.first() {
            Some(Event::Start(s)) => s.clone(),
            _ => return Err(RecordError::NoStart),
        };
        if start.version != SESSION_VERSION {
            return Err(RecordError::Version {
                found: start.version,
            });
        }
        Ok(Session { start, events })
    }

    /// When submissions close: the deadline, or an earlier `end`.
    pub fn closes_ms(&self) -> u64 {
        self.events
            .iter()
            .filter_map(|e| match e {
                Event::End { at_ms } => Some(*at_ms),
                _ => None,
            })
            .fold(self.start.deadline_ms, u64::min)
    }

    pub fn is_over(&self, now_ms: u64) -> bool {
        now_ms >= self.closes_ms()
    }

    pub fn picked(&self, id: &str) -> Option<&Picked> {
        self.start.problems.iter().find(|p| p.id == id)
    }

    pub fn attempts(&self) -> impl Iterator<Item = &Attempt> {
        self.events.iter().filter_map(|e| match e {
            Event::Submit(a) => Some(&**a),
            _ => None,
        })
    }

    pub fn standing<'s>(&'s self, picked: &'s Picked) -> Standing<'s> {
        let attempts: Vec<&Attempt> = self.attempts().filter(|a| a.problem == picked.id).collect();
        let runs = self
            .events
            .iter()
            .filter(|e| matches!(e, Event::Run { problem, .. } if *problem == picked.id))
            .count();
        let solved = attempts.iter().any(|a| a.verdict == Verdict::AC);
        let state = if solved {
            State::Solved
        } else if attempts.is_empty() && runs == 0 {
            State::NotStarted
        } else {
            State::Attempted
        };
        Standing {
            picked,
            state,
            best_score: attempts.iter().map(|a| a.score).max().unwrap_or(0),
            runs,
            first_ac_ms: attempts
                .iter()
                .find(|a| a.verdict == Verdict::AC)
                .map(|a| a.at_ms.saturating_sub(self.start.started_ms)),
            attempts,
        }
    }

    pub fn standings(&self) -> Vec<Standing<'_>> {
        self.start
            .problems
            .iter()
            .map(|p| self.standing(p))
            .collect()
    }

    /// (score, max score) over the session: each problem's best submission.
    pub fn total(&self) -> (u32, u32) {
        self.standings().iter().fold((0, 0), |(s, m), st| {
            (s + st.best_score, m + st.picked.max_score)
        })
    }

    /// Time used: from the start to the last submission, or to the close if it has passed.
    pub fn used_ms(&self, now_ms: u64) -> u64 {
        now_ms
            .min(self.closes_ms())
            .saturating_sub(self.start.started_ms)
    }
}

/// `mm:ss` (or `h:mm:ss`) for a span of milliseconds.
pub fn span(ms: u64) -> String {
    let s = ms / 1000;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{:02}:{:02}", s / 60, s % 60)
    }
}

/// Wall-clock time of day, UTC, for a Unix time in milliseconds.
pub fn clock(unix_ms: u64) -> String {
    let s = unix_ms / 1000 % 86_400;
    format!("{:02}:{:02}:{:02} UTC", s / 3600, s / 60 % 60, s % 60)
}

/// Picks `count` of `ids` in a order fixed by `seed`. SplitMix64 and a Fisher-Yates shuffle
/// are written out here because a seed must pick the same problems in every judge version,
/// which general-purpose RNG crates do not promise for their seeded generators.
pub fn pick(ids: &[String], count: usize, seed: u64) -> Vec<String> {
    let mut state = seed;
    let mut next = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let mut ids = ids.to_vec();
    for i in (1..ids.len()).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        ids.swap(i, j);
    }
    ids.truncate(count);
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("p{i}")).collect()
    }

    #[test]
    fn a_seed_picks_the_same_problems_every_time() {
        assert_eq!(pick(&ids(21), 3, 7), pick(&ids(21), 3, 7));
        assert_ne!(pick(&ids(21), 3, 7), pick(&ids(21), 3, 8));
        let mut all = pick(&ids(5), 5, 1);
        all.sort();
        assert_eq!(all, ids(5));
    }

    #[test]
    fn spans_and_clocks() {
        assert_eq!(span(61_500), "01:01");
        assert_eq!(span(3_723_000), "1:02:03");
        assert_eq!(clock(86_400_000 + 3_723_000), "01:02:03 UTC");
    }

    fn start() -> serde_json::Value {
        serde_json::json!({"event": "start", "version": SESSION_VERSION, 
            "problems": [{"id": "a", "dir": "/b/a", "title": "A", "max_score": 100}, {"id": "b", "dir": "/b/b", "title": "B", "max_score": 50}],
            "started_ms": 1000, "deadline_ms": 61000, "seed": 1, "hide_hidden": false})
    }

    #[test]
    fn standings_follow_the_events() {
        let report = serde_json::json!({"schema": 1, "problem": "a", "mode": "submit", "verdict": "WA",
            "score": 40, "max_score": 100, "compile": {"ok": true, "time_ms": 1, "cached": false, "stderr": ""},
            "groups": [], "samples": [], "warnings": []});
        let mut ac = report.clone();
        ac["verdict"] = "AC".into();
        let submit = |at: u64, verdict: &str, score: u32, r: &serde_json::Value| {
            serde_json::json!({"event": "submit", "problem": "a", "at_ms": at, "verdict": verdict,
                "score": score, "max_score": 100, "code": "fn x() {}", "report": r, "withheld": false})
        };
        let events = vec![
            start(),
            serde_json::json!({"event": "run", "problem": "b", "at_ms": 2000, "verdict": "WA", "passed": 1, "samples": 2}),
            submit(3000, "WA", 40, &report),
            submit(9000, "AC", 100, &ac),
            submit(12000, "WA", 40, &report),
        ];
        let s = Session::from_events(events).unwrap();
        let st = s.standings();
        assert_eq!(st[0].state, State::Solved);
        assert_eq!(st[0].best_score, 100);
        assert_eq!(st[0].attempts.len(), 3);
        assert_eq!(st[0].first_ac_ms, Some(8000));
        assert_eq!(st[1].state, State::Attempted);
        assert_eq!(s.total(), (100, 150));
        assert!(!s.is_over(60_999));
        assert!(s.is_over(61_000));
    }

    #[test]
    fn an_end_closes_the_session_early() {
        let s = Session::from_events(vec![
            start(),
            serde_json::json!({"event": "end", "at_ms": 5000}),
        ])
        .unwrap();
        assert_eq!(s.closes_ms(), 5000);
        assert!(s.is_over(5000));
        assert_eq!(s.used_ms(99_000), 4000);
    }

    #[test]
    fn a_record_without_a_start_is_refused() {
        let e = Session::from_events(vec![serde_json::json!({"event": "end", "at_ms": 5})]);
        assert!(matches!(e, Err(RecordError::NoStart)));
        assert_eq!(
            e.unwrap_err().to_string(),
            "the record does not begin with the session's start"
        );
    }
}
