//! Where a run's cost comes from: the best counter this host has (`sandbox::counter`), else
//! the box's CPU account, with why a better one is not used.

use crate::report::complexity::Cost;
use judge_sandbox::counter::{self, Event};

/// Where a run's cost comes from, with why a better one is not used.
#[derive(Debug, Clone)]
pub(super) struct Source {
    pub(super) cost: Cost,
    pub(super) event: Option<Event>,
    pub(super) note: Option<String>,
}

/// The best cost this host gives: instructions, else the task clock, else the box's account.
pub(super) fn sources() -> Vec<Source> {
    let mut found = Vec::new();
    let mut why_not = Vec::new();
    for (event, cost) in [
        (Event::Instructions, Cost::Instructions),
        (Event::TaskClock, Cost::TaskClock),
    ] {
        match counter::probe(event) {
            Ok(()) => found.push(Source {
                cost,
                event: Some(event),
                note: None,
            }),
            Err(e) => why_not.push(e.to_string()),
        }
    }
    found.push(Source {
        cost: Cost::CpuTime,
        event: None,
        note: None,
    });
    if !why_not.is_empty() {
        let note = format!("{}; measured by CPU time instead", why_not.join("; "));
        for s in &mut found {
            if s.cost != Cost::Instructions {
                s.note = Some(note.clone());
            }
        }
    }
    found
}
