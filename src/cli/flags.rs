//! What the shared flags settle to (`--bank`, `--jobs`, `--progress`, `--fresh`,
//! `--compile-seconds`), and a judging's exit code: used by every family of commands.

use std::path::PathBuf;

use crate::cache::Cache;
use crate::judge::{Engine, JudgeError};
use crate::problem::bank::{Bank, BankError};
use crate::report::Verdict;

/// `--bank` as given: the bank is located only by the commands that read it, when they do,
/// so a bad `--bank` fails only those.
pub(super) struct BankChoice(pub(super) Option<PathBuf>);

impl BankChoice {
    pub(super) fn locate(&self) -> Result<Bank, BankError> {
        Bank::locate(self.0.as_deref())
    }

    /// Where `judge new` writes: `--bank`, else `$JUDGE_BANK`, else the current folder (a
    /// new problem goes where the author is, never into the judge's own bank).
    pub(super) fn for_new(self) -> PathBuf {
        self.0
            .or_else(|| std::env::var_os("JUDGE_BANK").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("."))
    }
}

/// The flags that shape a judging (`--progress`, `--fresh`, `--compile-seconds`), the same
/// for every command that takes them.
#[derive(Clone, Copy)]
pub(super) struct JudgingFlags {
    pub(super) progress: bool,
    pub(super) fresh: bool,
    pub(super) compile_seconds: u64,
}

impl JudgingFlags {
    /// An engine as the flags ask: the compile limit, `--fresh`, and the progress line when
    /// `progress_line` (only where one judging at a time is on the terminal).
    pub(super) fn engine(
        self,
        cache: &Cache,
        jobs: usize,
        progress_line: bool,
    ) -> Result<Engine, JudgeError> {
        let limits = crate::build::toolchain::CompileLimits {
            wall_ms: self.compile_seconds.max(1) * 1000,
            ..Default::default()
        };
        let engine = Engine::new(cache.clone(), jobs)?
            .fresh(self.fresh)
            .compile_limits(limits);
        let progress = progress_line
            .then(|| super::progress::on_stderr(self.progress))
            .flatten();
        Ok(match progress {
            Some(p) => engine.with_progress(p),
            None => engine,
        })
    }
}

/// The default of `--jobs`: the number of CPUs.
pub(super) fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(2, std::num::NonZero::get)
}

/// What a command that takes none of the judging flags gets where the code below asks.
pub(super) fn no_flags() -> JudgingFlags {
    JudgingFlags {
        progress: false,
        fresh: false,
        compile_seconds: 60,
    }
}

/// A judging's exit code (`submit`, `run`, and the interview's): 0 accepted (or the samples
/// passed), 2 the judge could not judge (JE), 1 judged and not accepted.
pub(super) fn verdict_code(verdict: Verdict) -> i32 {
    match verdict {
        Verdict::AC => 0,
        Verdict::JE => 2,
        _ => 1,
    }
}
