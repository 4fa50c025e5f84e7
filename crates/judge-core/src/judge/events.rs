//! What a judging tells while it runs, and the handle of a judging started in the
//! background: its stream of events, its result, and cancelling it.
//!
//! The same events feed the command line's progress line and a server's live view, so that
//! both show what the engine did, in the order it did it.

use std::sync::Arc;
use std::thread::JoinHandle;

use serde::Serialize;
use tokio::sync::mpsc;

use super::JudgeError;
use crate::report::json::JsonReport;
use crate::report::{CaseReport, GroupReport, Report, Verdict};
use judge_sandbox::Cancel;

/// One step of a judging. In order: `Queued` (waiting for a box slot of the engine),
/// `Compiling` (the compiler holds one), `Compiled`, then (when it compiled) `Running` and
/// each case's `CaseStarted` (its box holds a slot) and `CaseFinished` (cases run side by
/// side, so these interleave), each group's `GroupFinished`, and last `Done`. A report taken
/// from the cache replays the same steps without running anything.
///
/// Exceptions, each for a reason: with a custom checker, cases finish after all of them ran
/// (the checker judges them in one batch); a hidden case whose details are withheld
/// (`HiddenDetails::Verdict`) has no `CaseStarted` and finishes after every other case, since
/// when its events arrive would show the time its report hides; a judging that stops at the
/// first failure (verify's known submissions) finishes fewer cases than `Running` counted.
/// A cancelled judging tells nothing after the cancel but what was already on its way, and
/// never `Done`.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum Event {
    Queued,
    Compiling,
    Compiled {
        ok: bool,
        time_ms: u64,
        cached: bool,
    },
    /// The cases to judge, how many of them.
    Running {
        cases: usize,
    },
    CaseStarted {
        name: String,
    },
    /// What the report says of the case (hidden cases as much as they may show).
    CaseFinished {
        name: String,
        verdict: Verdict,
        time_ms: u64,
        memory_kb: u64,
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        withheld: bool,
    },
    GroupFinished {
        name: String,
        verdict: Verdict,
        score: u32,
        max_score: u32,
    },
    /// Serialized as the `--json` report (docs/report-schema.md), never as the record.
    Done {
        #[serde(serialize_with = "as_json_report")]
        report: Box<Report>,
    },
}

fn as_json_report<S: serde::Serializer>(report: &Report, out: S) -> Result<S::Ok, S::Error> {
    JsonReport::new(report).serialize(out)
}

impl Event {
    /// Its name: the `event` tag it is written with (`"case-finished"`).
    pub fn name(&self) -> &'static str {
        match self {
            Event::Queued => "queued",
            Event::Compiling => "compiling",
            Event::Compiled { .. } => "compiled",
            Event::Running { .. } => "running",
            Event::CaseStarted { .. } => "case-started",
            Event::CaseFinished { .. } => "case-finished",
            Event::GroupFinished { .. } => "group-finished",
            Event::Done { .. } => "done",
        }
    }

    pub fn case_finished(case: &CaseReport) -> Event {
        Event::CaseFinished {
            name: case.name.clone(),
            verdict: case.verdict,
            time_ms: case.time_ms,
            memory_kb: case.memory_kb,
            withheld: case.withheld,
        }
    }

    pub fn group_finished(group: &GroupReport) -> Event {
        Event::GroupFinished {
            name: group.name.clone(),
            verdict: group.verdict,
            score: group.score,
            max_score: group.max_score,
        }
    }
}

/// Told every event of every judging of an engine (the command line's progress line).
pub type Observer = Arc<dyn Fn(&Event) + Send + Sync>;

/// What one judging reports to and is stopped by.
#[derive(Clone, Copy)]
pub struct Signals<'a> {
    pub events: &'a (dyn Fn(&Event) + Sync),
    pub cancel: &'a Cancel,
}

impl Signals<'_> {
    pub fn tell(&self, event: &Event) {
        (self.events)(event);
    }

    /// `Err(Cancelled)` once the judging was cancelled: checked between steps, while each
    /// box watches the flag itself.
    pub fn check(&self) -> Result<(), JudgeError> {
        if self.cancel.is_cancelled() {
            Err(JudgeError::Cancelled)
        } else {
            Ok(())
        }
    }
}

/// A judging running on a thread of its own (`Engine::start`). Dropping it cancels the
/// judging: its boxes are killed within one watch period and nothing it started is left.
pub struct Judging {
    events: mpsc::UnboundedReceiver<Event>,
    cancel: Cancel,
    thread: Option<Result<JoinHandle<Result<Report, JudgeError>>, JudgeError>>,
}

/// Cancels a judging whose thread panics, so that its boxes (and the boxes still waiting for
/// a slot) stop with it instead of running to their limits.
struct CancelOnPanic(Cancel);

impl Drop for CancelOnPanic {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.cancel();
        }
    }
}

impl Judging {
    pub(super) fn spawn(
        cancel: Cancel,
        work: impl FnOnce(&(dyn Fn(&Event) + Sync)) -> Result<Report, JudgeError> + Send + 'static,
    ) -> Judging {
        Judging::spawn_observed(cancel, move |tell| work(&*tell))
    }

    /// As `spawn`, the events told through an `Observer` the work may keep (an engine's
    /// observer: the package path tells its events there).
    pub(super) fn spawn_observed(
        cancel: Cancel,
        work: impl FnOnce(Observer) -> Result<Report, JudgeError> + Send + 'static,
    ) -> Judging {
        let (send, events) = mpsc::unbounded_channel();
        let stop = CancelOnPanic(cancel.clone());
        let thread = std::thread::Builder::new()
            .name("judging".into())
            .spawn(move || {
                let _stop = stop;
                // A receiver that went away is a judging nobody listens to: it runs on
                // (unless cancelled) and its events are dropped.
                let tell: Observer = Arc::new(move |e: &Event| {
                    let _ = send.send(e.clone());
                });
                work(tell)
            })
            .map_err(JudgeError::Thread);
        Judging {
            events,
            cancel,
            thread: Some(thread),
        }
    }

    /// Stops the judging: no case starts after this, running boxes are killed, and the
    /// result is `Err(Cancelled)`.
    pub fn cancel(&self) {
        self.cancel.cancel();
    }

    /// A flag that cancels this judging from elsewhere (another task, a signal handler).
    pub fn canceller(&self) -> Cancel {
        self.cancel.clone()
    }

    /// The next event, `None` after the last one (`Done`, or the judging failed).
    pub async fn next(&mut self) -> Option<Event> {
        self.events.recv().await
    }

    /// `next` for a caller outside an async runtime.
    pub fn next_blocking(&mut self) -> Option<Event> {
        self.events.blocking_recv()
    }

    /// Waits for the judging to end and returns its report (events not yet read are
    /// dropped). Blocks: in async code, call it from `spawn_blocking`. A judging that
    /// panicked (a judge bug) is `Err(Panicked)`, its boxes cancelled.
    pub fn wait(mut self) -> Result<Report, JudgeError> {
        let thread = self.thread.take().expect("a judging is waited for once")?;
        thread.join().unwrap_or_else(|panic| {
            let why = panic
                .downcast_ref::<&str>()
                .map(ToString::to_string)
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(JudgeError::Panicked(why))
        })
    }
}

impl Drop for Judging {
    fn drop(&mut self) {
        if self.thread.is_some() {
            self.cancel.cancel();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_serialize_as_tagged_objects_and_done_as_the_json_report() {
        let queued = serde_json::to_value(Event::Queued).unwrap();
        assert_eq!(queued, serde_json::json!({"event": "queued"}));
        let finished = serde_json::to_value(Event::CaseFinished {
            name: "basic-1".into(),
            verdict: Verdict::WA,
            time_ms: 3,
            memory_kb: 2048,
            withheld: false,
        })
        .unwrap();
        assert_eq!(
            finished,
            serde_json::json!({"event": "case-finished", "name": "basic-1", "verdict": "WA", "time_ms": 3, "memory_kb": 2048})
        );
        let report: Report = serde_json::from_value(serde_json::json!({
            "problem": "p", "mode": "submit", "verdict": "AC", "score": 1, "max_score": 1,
            "compile": {"ok": true, "time_ms": 1, "cached": false, "stderr": ""},
            "groups": [], "samples": [], "warnings": []
        }))
        .unwrap();
        let done = serde_json::to_value(Event::Done {
            report: Box::new(report),
        })
        .unwrap();
        assert_eq!(done["event"], "done");
        assert_eq!(done["report"]["schema"], crate::report::SCHEMA_VERSION);
    }

    #[test]
    fn an_events_name_is_its_tag() {
        let case = CaseReport {
            name: "basic-1".into(),
            verdict: Verdict::AC,
            time_ms: 1,
            memory_kb: 2,
            message: None,
            diff: None,
            input: None,
            output: None,
            withheld: false,
            fault: None,
        };
        let group = GroupReport {
            name: "basic".into(),
            verdict: Verdict::AC,
            score: 1,
            max_score: 1,
            cases: vec![],
        };
        let events = [
            Event::Queued,
            Event::Compiling,
            Event::Compiled {
                ok: true,
                time_ms: 1,
                cached: false,
            },
            Event::Running { cases: 1 },
            Event::CaseStarted {
                name: "basic-1".into(),
            },
            Event::case_finished(&case),
            Event::group_finished(&group),
        ];
        for event in &events {
            assert_eq!(serde_json::to_value(event).unwrap()["event"], event.name());
        }
    }
}
