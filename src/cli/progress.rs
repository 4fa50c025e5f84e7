//! "cases done out of total" on the terminal while a judging runs.

use std::io::{IsTerminal, Write};

use crate::judge::Progress;

/// A progress line on stderr, redrawn in place; `None` when stderr is not a terminal and
/// `force` is off (logs and pipes get no carriage returns).
pub fn on_stderr(force: bool) -> Option<Progress> {
    if !force && !std::io::stderr().is_terminal() {
        return None;
    }
    Some(Box::new(|done, total| {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\rjudging: {done}/{total} cases");
        if done == total {
            // Cleared, so the report that follows starts on a clean line.
            let _ = write!(err, "\r{:width$}\r", "", width = 40);
        }
        let _ = err.flush();
    }))
}
