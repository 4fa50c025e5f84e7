//! The `Engine` and what a judging is of (`Request`, `Submission`): its settings, and the
//! ways a judging is asked for (a file, a source, a request with events and a cancel, or a
//! judging of its own on a thread). `judging.rs` does the judging.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::events::{Event, Judging, Observer, Signals};
use super::{runner, JudgeError};
use crate::build::toolchain::{CompileLimits, Toolchain};
use crate::cache::Cache;
use crate::languages::Languages;
use crate::problem::spec::{HiddenDetails, Problem};
use crate::report::{Mode, Report};
use judge_sandbox::Cancel;

/// How much longer than the problem's limit the reference may take when it computes answers
/// (it is held to the real limit by `judge verify`, not here, so a noisy machine never turns
/// into a judge error).
pub(super) const REFERENCE_TIME_SCALE: u64 = 10;

#[derive(Clone)]
pub struct Engine {
    pub(super) cache: Cache,
    pub(super) toolchain: Arc<Toolchain>,
    /// Boxes one batch of runs starts at once; `slots` bounds them over every judging.
    pub(super) jobs: usize,
    pub(super) slots: runner::Slots,
    pub(super) observer: Option<Observer>,
    /// Judge again even when a report for the same source and problem version is cached.
    pub(super) fresh: bool,
    /// Limits on compiling a solution.
    pub(super) compile_limits: CompileLimits,
    /// The most hidden cases may show, whatever each problem's own `[feedback] hidden` says
    /// (an interviewer's setting).
    pub(super) hidden_details: Option<HiddenDetails>,
    /// Python and its packages, found (or made) when a Python solution is first judged.
    pub(super) python: Arc<std::sync::Mutex<Option<Arc<crate::build::python::Python>>>>,
    /// The languages table a solution's language is chosen from and a package's programs
    /// are built and run by (built in, or the bank's).
    pub(super) languages: Arc<Languages>,
}

/// What one judging is of: every step of it (report key, cache, judging afresh) needs it all.
#[derive(Clone, Copy)]
pub struct Request<'a> {
    pub problem: &'a Problem,
    pub reference: &'a Path,
    pub source: &'a str,
    /// The file `source` is judged as: its name is the one the compiler's messages show.
    pub solution: &'a Path,
    pub mode: Mode,
    /// Stop starting cases after the first plain failure (verify's known submissions).
    pub stop_early: bool,
    /// The solution's language id (`--lang`); `None`: by its file's extension.
    pub lang: Option<&'a str>,
}

/// A `Request` that owns what it names, for a judging on a thread of its own.
#[derive(Debug, Clone)]
pub struct Submission {
    pub problem: Problem,
    pub reference: PathBuf,
    pub source: String,
    pub solution: PathBuf,
    pub mode: Mode,
}

impl Engine {
    /// An engine that runs at most `jobs` boxes at once, over all its judgings.
    pub fn new(cache: Cache, jobs: usize) -> Result<Engine, JudgeError> {
        let toolchain = Toolchain::open(&cache)?;
        Ok(Engine {
            cache,
            toolchain: Arc::new(toolchain),
            jobs: jobs.max(1),
            slots: runner::Slots::new(jobs),
            observer: None,
            fresh: false,
            compile_limits: CompileLimits::default(),
            hidden_details: None,
            python: Arc::default(),
            languages: Arc::new(Languages::builtin()),
        })
    }

    /// Shows hidden cases at most as `most` shows them, whatever each problem says (an
    /// interviewer's setting: `--verdicts-only` is `Verdict`).
    pub fn hidden_details_at_most(mut self, most: Option<HiddenDetails>) -> Engine {
        self.hidden_details = most;
        self
    }

    /// What hidden cases of `problem` show under this engine: the problem's level, capped by
    /// the engine's.
    pub fn hidden_details_of(&self, problem: &Problem) -> HiddenDetails {
        match self.hidden_details {
            Some(most) => problem.hidden_details.min(most),
            None => problem.hidden_details,
        }
    }

    /// Compiles solutions under `limits` (compile bombs get CE when they exceed them).
    pub fn compile_limits(mut self, limits: CompileLimits) -> Engine {
        self.compile_limits = limits;
        self
    }

    /// With `fresh`, reports are never taken from the cache (they are still stored).
    pub fn fresh(mut self, fresh: bool) -> Engine {
        self.fresh = fresh;
        self
    }

    /// Tells `observer` every event of every later judging (besides each judging's own
    /// stream).
    pub fn with_progress(mut self, observer: Observer) -> Engine {
        self.observer = Some(observer);
        self
    }

    /// Chooses solutions' languages from `languages` (a bank's own table), and builds and runs
    /// programs by it, instead of the built-in one.
    pub fn with_languages(mut self, languages: Languages) -> Engine {
        self.languages = Arc::new(languages);
        self
    }

    pub fn languages(&self) -> &Languages {
        &self.languages
    }

    pub fn toolchain(&self) -> &Toolchain {
        &self.toolchain
    }

    /// The cache this engine builds into and runs from.
    pub fn cache(&self) -> &Cache {
        &self.cache
    }

    /// How a batch of runs of this engine happens, stopped by `cancel`.
    pub(super) fn runs<'a>(&'a self, cancel: &'a Cancel) -> runner::Runs<'a> {
        runner::Runs {
            slots: &self.slots,
            jobs: self.jobs,
            cache: &self.cache,
            cancel,
        }
    }

    /// Judges `solution` on `problem`, in the language of its extension.
    pub fn judge(
        &self,
        problem: &Problem,
        reference: &Path,
        solution: &Path,
        mode: Mode,
    ) -> Result<Report, JudgeError> {
        self.judge_file(problem, reference, solution, mode, (false, None))
    }

    /// Judges `solution` on `problem` in the language `lang` (an id of the languages
    /// table), or of its extension when `None`.
    pub fn judge_in(
        &self,
        problem: &Problem,
        reference: &Path,
        solution: &Path,
        mode: Mode,
        lang: Option<&str>,
    ) -> Result<Report, JudgeError> {
        self.judge_file(problem, reference, solution, mode, (false, lang))
    }

    /// Judges `solution` only as far as its verdict needs: cases after the first failing one
    /// are not run (as Kattis judges). The verdict and first failure are exact; groups with
    /// cases that were not run are left out of the score.
    pub fn judge_until_failure(
        &self,
        problem: &Problem,
        reference: &Path,
        solution: &Path,
    ) -> Result<Report, JudgeError> {
        self.judge_file(problem, reference, solution, Mode::Submit, (true, None))
    }

    fn judge_file(
        &self,
        problem: &Problem,
        reference: &Path,
        solution: &Path,
        mode: Mode,
        (stop_early, lang): (bool, Option<&str>),
    ) -> Result<Report, JudgeError> {
        let source =
            std::fs::read_to_string(solution).map_err(|source| JudgeError::ReadSolution {
                path: solution.to_path_buf(),
                source,
            })?;
        let request = Request {
            problem,
            reference,
            source: &source,
            solution,
            mode,
            stop_early,
            lang,
        };
        self.judge_request(request, &|_| {}, &Cancel::default())
    }

    /// Judges `source` as if it were the file at `path` (whose name the compiler's messages
    /// show): for callers that keep the exact text they judged, like interview sessions.
    pub fn judge_source(
        &self,
        problem: &Problem,
        reference: &Path,
        source: &str,
        path: &Path,
        mode: Mode,
    ) -> Result<Report, JudgeError> {
        let request = Request {
            problem,
            reference,
            source,
            solution: path,
            mode,
            stop_early: false,
            lang: None,
        };
        self.judge_request(request, &|_| {}, &Cancel::default())
    }

    /// Judges `request` here and now, telling `events` each step; stops with
    /// `Err(Cancelled)` once `cancel` is set.
    pub fn judge_request(
        &self,
        request: Request<'_>,
        events: &(dyn Fn(&Event) + Sync),
        cancel: &Cancel,
    ) -> Result<Report, JudgeError> {
        let both = |e: &Event| {
            if let Some(observer) = &self.observer {
                observer(e);
            }
            events(e);
        };
        let signals = Signals {
            events: &both,
            cancel,
        };
        signals.tell(&Event::Queued);
        let report = self.judge_text(request, signals)?;
        // A cancel that came as the judging ended still ends it as cancelled: the caller
        // asked for no result.
        signals.check()?;
        signals.tell(&Event::Done {
            report: Box::new(report.clone()),
        });
        Ok(report)
    }

    /// Starts judging `submission` on a thread of its own; see `Judging`.
    pub fn start(&self, submission: Submission) -> Judging {
        let engine = self.clone();
        let cancel = Cancel::default();
        let stop = cancel.clone();
        Judging::spawn(cancel, move |events| {
            let request = Request {
                problem: &submission.problem,
                reference: &submission.reference,
                source: &submission.source,
                solution: &submission.solution,
                mode: submission.mode,
                stop_early: false,
                lang: None,
            };
            engine.judge_request(request, events, &stop)
        })
    }
}
