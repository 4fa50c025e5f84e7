//! What every interview command shares: its caller's `Context`, the session rebuilt from
//! the journal (`open`) and appended to (`append`), and the session's cap on what hidden
//! cases show.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use super::session::{Event, Picked, Session};
use super::{journal, workspace, InterviewError};
use crate::cache::Cache;
use crate::judge::{Engine, JudgeError};
use crate::problem::bank::Bank;

/// What every interview command needs from its caller.
pub struct Context<'a> {
    pub bank: &'a Bank,
    pub cache: &'a Cache,
    pub jobs: usize,
    /// The workspace, when given; else found from the current folder.
    pub dir: Option<PathBuf>,
    /// Makes the engine of a judging as the caller's settings ask (compile limit, a fresh
    /// judging, ...); called with `true` where a progress line may be shown, which is where
    /// one judging at a time has the terminal.
    pub engine: &'a dyn Fn(bool) -> Result<Engine, JudgeError>,
}

/// How `status` shows the session.
#[derive(Clone, Copy)]
pub enum Show {
    Once,
    /// Shown again until the session closes: every second over a cleared screen on a
    /// terminal, else once a minute, one after another (a log).
    Countdown {
        terminal: bool,
    },
}

/// Text for the caller cannot be written: the reader's failure, not the session's.
pub(super) fn output_error(e: std::io::Error) -> InterviewError {
    InterviewError::Output(e)
}

pub(super) fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

pub(super) fn json_error(e: serde_json::Error) -> InterviewError {
    InterviewError::Judge(JudgeError::Encode {
        what: "a session event",
        source: e,
    })
}

/// The workspace and its session, rebuilt from the journal.
pub(super) fn open(ctx: &Context) -> Result<(PathBuf, Session), InterviewError> {
    let dir = if let Some(d) = &ctx.dir {
        d.clone()
    } else {
        let here = std::env::current_dir().map_err(InterviewError::CurrentDir)?;
        workspace::find(&here).ok_or(InterviewError::NoWorkspace { from: here })?
    };
    let path = workspace::journal_path(&dir);
    if !path.is_file() {
        return Err(InterviewError::NotAWorkspace(dir));
    }
    let loaded = journal::load(&path)?;
    if !loaded.dropped.is_empty() {
        eprintln!(
            "note: the session record {} had unreadable line(s) {:?} (an interrupted write); they were left out",
            path.display(),
            loaded.dropped
        );
    }
    let session = Session::from_events(loaded.events)
        .map_err(|source| InterviewError::Record { path, source })?;
    Ok((dir, session))
}

pub(super) fn append(dir: &Path, event: Event) -> Result<(), InterviewError> {
    let value = serde_json::to_value(event).map_err(json_error)?;
    journal::append(&workspace::journal_path(dir), &value)
}

pub(super) fn problem_of<'s>(session: &'s Session, id: &str) -> Result<&'s Picked, InterviewError> {
    session.picked(id).ok_or_else(|| {
        let problems = session
            .start
            .problems
            .iter()
            .map(|p| p.id.clone())
            .collect();
        InterviewError::NotInSession {
            id: id.to_string(),
            problems,
        }
    })
}

/// The most hidden cases show in this session: their verdicts alone under `--verdicts-only`;
/// never a hidden case's data (`first-failure`) when the interviewer hides hidden details
/// (`--hide-hidden`), not even in the report once the session is over; else what each
/// problem says.
pub(super) fn hidden_cap(session: &Session) -> Option<crate::problem::spec::HiddenDetails> {
    hidden_cap_of(session.start.hide_hidden, session.start.verdicts_only)
}

pub(super) fn hidden_cap_of(
    hide_hidden: bool,
    verdicts_only: bool,
) -> Option<crate::problem::spec::HiddenDetails> {
    use crate::problem::spec::HiddenDetails;
    if verdicts_only {
        Some(HiddenDetails::Verdict)
    } else if hide_hidden {
        Some(HiddenDetails::Kind)
    } else {
        None
    }
}
