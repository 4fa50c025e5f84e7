//! "cases done out of total" on the terminal while a judging runs, drawn from the engine's
//! events.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::judge::{Event, Observer};

/// A progress line on stderr, redrawn in place; `None` when stderr is not a terminal and
/// `force` is off (logs and pipes get no carriage returns).
pub fn on_stderr(force: bool) -> Option<Observer> {
    if !force && !std::io::stderr().is_terminal() {
        return None;
    }
    let total = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    Some(Arc::new(move |event: &Event| match event {
        Event::Running { cases } => {
            total.store(*cases, Ordering::Relaxed);
            done.store(0, Ordering::Relaxed);
            draw(0, *cases);
        }
        Event::CaseFinished { .. } => {
            let total = total.load(Ordering::Relaxed);
            draw(done.fetch_add(1, Ordering::Relaxed) + 1, total);
        }
        _ => {}
    }))
}

fn draw(done: usize, total: usize) {
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "\rjudging: {done}/{total} cases");
    if done >= total {
        // Cleared, so the report that follows starts on a clean line.
        let _ = write!(err, "\r{:width$}\r", "", width = 40);
    }
    let _ = err.flush();
}
