//! The judging engine: compile a solution, get each case's expected answer (stored, or the
//! reference's, computed once per problem version and cached), run the cases, check them,
//! score the groups, and fill a `Report`, telling each step as an `Event` on the way.
//!
//! One `Engine` serves many judgings at once (it is cheap to clone, and Send + Sync): they
//! share its box slots (`runner::Slots`), so side by side they take turns for the cores.
//! A judging is either called and waited for (`judge`, `judge_source`, `judge_request`) or
//! started in the background (`start`), with a stream of events and a cancel.
//!
//! Files: `verdict` (a run's verdict, pure), `grade` (a case's report, pure), `checker`
//! (the built-in comparisons), `runner` (boxes side by side), `compile`, `answers`,
//! `generate`, `custom` (the problem's checker), `report_cache`, `trial` (stress inputs),
//! `events`, `error`, `history` (the user's own record per problem, for `judge list`).
//!
//! Invariant: the engine never prints; the CLI (or any other front end) renders its reports.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::build::launch::Launch;
use crate::build::toolchain::{CompileLimits, Toolchain};
use crate::cache::Cache;
use crate::languages::Languages;
use crate::problem::spec::{Case, CheckerKind, HiddenDetails, Problem};
pub use crate::report::Mode;
use crate::report::{CaseReport, GroupReport, Report, Verdict};
use judge_sandbox::{Cancel, Exit, Outcome};

mod answers;
pub mod checker;
mod compile;
pub mod complexity;
mod custom;
pub mod default_validator;
mod error;
mod events;
mod generate;
pub mod grade;
pub mod history;
pub mod package;
pub mod package_grade;
pub mod package_programs;
pub mod package_scripts;
pub mod package_time;
mod report_cache;
pub mod runner;
mod streamed;
mod trial;
pub mod verdict;

pub use answers::{sample_answers, Answers};
pub use compile::GENERATOR_FILE;
pub use error::JudgeError;
pub use events::{Event, Judging, Observer, Signals};
pub use trial::{Contestants, Trial};

use answers::drop_overlong_answer;
use compile::{compile_error_report, compile_report};
use grade::{grade, plainly_failed, score_group, withhold, CheckerResult, Judged, Shown};

/// How much longer than the problem's limit the reference may take when it computes answers
/// (it is held to the real limit by `judge verify`, not here, so a noisy machine never turns
/// into a judge error).
const REFERENCE_TIME_SCALE: u64 = 10;

#[derive(Clone)]
pub struct Engine {
    cache: Cache,
    toolchain: Arc<Toolchain>,
    /// Boxes one batch of runs starts at once; `slots` bounds them over every judging.
    jobs: usize,
    slots: runner::Slots,
    observer: Option<Observer>,
    /// Judge again even when a report for the same source and problem version is cached.
    fresh: bool,
    /// Limits on compiling a solution.
    compile_limits: CompileLimits,
    /// The most hidden cases may show, whatever each problem's own `[feedback] hidden` says
    /// (an interviewer's setting).
    hidden_details: Option<HiddenDetails>,
    /// Python and its packages, found (or made) when a Python solution is first judged.
    python: Arc<std::sync::Mutex<Option<Arc<crate::build::python::Python>>>>,
    /// The languages table a solution's language is chosen from and a package's programs
    /// are built and run by (built in, or the bank's).
    languages: Arc<Languages>,
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
    fn runs<'a>(&'a self, cancel: &'a Cancel) -> runner::Runs<'a> {
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

    fn judge_text(&self, request: Request<'_>, signals: Signals<'_>) -> Result<Report, JudgeError> {
        // A judging that stops early is partial, and cached apart from whole ones.
        let key = self.report_key(&request);
        if let Some(key) = &key {
            if let Some(report) = self.cached_report(key) {
                replay(&report, signals);
                return Ok(report);
            }
        }
        let report = self.judge_afresh(request, signals)?;
        if let Some(key) = &key {
            self.store_report(key, &report, request.problem.limits.time_ms);
        }
        Ok(report)
    }

    fn judge_afresh(
        &self,
        request: Request<'_>,
        signals: Signals<'_>,
    ) -> Result<Report, JudgeError> {
        let Request {
            problem,
            reference,
            source,
            solution,
            mode,
            stop_early,
            lang,
        } = request;
        let compiling = || signals.tell(&Event::Compiling);
        let language = self.language_of(lang, solution)?;
        let build = self.build_as(
            problem,
            source,
            solution,
            language,
            signals.cancel,
            &compiling,
        )?;
        let compile = compile_report(&build);
        signals.tell(&Event::Compiled {
            ok: compile.ok,
            time_ms: compile.time_ms,
            cached: compile.cached,
        });
        let Some(program) = build.program else {
            let report = compile_error_report(problem, mode, compile);
            report
                .groups
                .iter()
                .for_each(|g| signals.tell(&Event::group_finished(g)));
            return Ok(report);
        };
        signals.check()?;
        // Practice runs need the samples only: hidden cases are neither made nor answered.
        let samples_only;
        let problem = match mode {
            Mode::Run => {
                samples_only = Problem {
                    groups: Vec::new(),
                    ..problem.clone()
                };
                &samples_only
            }
            Mode::Submit => problem,
        };
        let problem = &*self.prepare_with(problem, signals.cancel)?;
        let (answers, reference_runs) =
            self.answers_and_runs(problem, reference, signals.cancel)?;
        signals.check()?;
        let launch = self.launch_as(problem, solution, language, &program.path)?;
        // The solution's language has its own limits (Python's time is scaled): grading
        // and the boxes use them from here on; the answers above were the reference's.
        let problem = &*compile::limits_for(problem, &launch);
        let cases: Vec<&Case> = match mode {
            Mode::Submit => problem.cases().collect(),
            Mode::Run => problem.samples.iter().collect(),
        };
        signals.tell(&Event::Running { cases: cases.len() });
        // Judging the reference right after it made the answers (verify): its runs are
        // graded again instead of repeated. They had a larger CPU budget, but grading
        // compares the CPU used with the real limit.
        let reused = reference_runs
            .filter(|runs| runs.binary == program.path && !stop_early)
            .map(|runs| runs.outcomes)
            .unwrap_or_default();
        let judging = CaseJudging {
            problem,
            mode,
            answers: &answers,
            stop_early,
            signals,
            hidden_details: self.hidden_details_of(problem),
            first_failure: FirstFailure::new(problem),
        };
        let mut graded = self.judge_cases(&judging, &launch, &cases, reused)?;
        signals.check()?;
        let samples: Vec<CaseReport> = problem
            .samples
            .iter()
            .filter_map(|c| graded.remove(&c.name))
            .collect();
        let groups: Vec<GroupReport> = match mode {
            Mode::Run => Vec::new(),
            Mode::Submit => problem
                .groups
                .iter()
                .map(|g| {
                    let cases = g.cases.iter().filter_map(|c| graded.remove(&c.name));
                    let group = score_group(g, cases.collect());
                    signals.tell(&Event::group_finished(&group));
                    group
                })
                .collect(),
        };
        Ok(Report {
            problem: problem.id.clone(),
            mode,
            verdict: Report::overall(&samples, &groups),
            score: groups.iter().map(|g| g.score).sum(),
            max_score: if mode == Mode::Submit {
                problem.max_score()
            } else {
                0
            },
            compile,
            groups,
            samples,
            warnings: judge_sandbox::layers::missing_isolation(),
            cached: false,
        })
    }

    /// Every case's report, by name: each case run (or its outcome taken from `reused`),
    /// graded, and told as it finishes. With `stop_early`, cases after a plain failure are
    /// neither run nor reported.
    fn judge_cases<'c>(
        &self,
        judging: &CaseJudging<'_>,
        launch: &Launch,
        cases: &[&'c Case],
        mut reused: HashMap<String, Outcome>,
    ) -> Result<HashMap<String, CaseReport>, JudgeError> {
        let CaseJudging {
            problem,
            answers,
            stop_early,
            signals,
            ..
        } = *judging;
        // With the built-in checker a case is graded the moment its run ends (and its output
        // let go); a custom checker judges every answer in one batch afterwards.
        let on_arrival = problem.checker.kind != CheckerKind::Custom;
        let mut graded = HashMap::new();
        let mut outcomes: Vec<(&'c Case, io::Result<Outcome>)> = Vec::new();
        // Withheld cases are told at the end, together: their events' timing would show
        // what their reports hide.
        let mut withheld: Vec<Event> = Vec::new();
        let mut finish = |case: &'c Case, outcome: io::Result<Outcome>| {
            if on_arrival {
                let report = judging.grade(case, &outcome, None);
                judging.tell_finished(case, &report, &mut withheld);
                graded.insert(case.name.clone(), report);
            } else {
                outcomes.push((case, outcome));
            }
        };
        let start = |case: &Case| {
            if judging.times_shown(case) {
                signals.tell(&Event::CaseStarted {
                    name: case.name.clone(),
                });
            }
        };
        let pending: Vec<&'c Case> = cases
            .iter()
            .copied()
            .filter(|c| !reused.contains_key(&c.name))
            .collect();
        for case in cases {
            if let Some(outcome) = reused.remove(&case.name) {
                start(case);
                finish(case, Ok(outcome));
            }
        }
        // A compiled binary's own size (an interpreter's is not the solution's).
        let statics = (launch.args.is_empty())
            .then(|| static_bytes(&launch.program))
            .flatten()
            .filter(|b| *b > problem.limits.memory_mb << 20);
        if let Some(bytes) = statics {
            // It cannot even be loaded within the limit: every case is MLE, unrun.
            for case in &pending {
                start(case);
                finish(case, Ok(unloadable(bytes)));
            }
        } else {
            let inputs = pending.iter().map(|c| runner::case_input(c)).collect();
            let limits = runner::run_limits(&problem.limits, 1);
            let started = |i: usize| start(pending[i]);
            let not_run = runner::run_until(
                launch,
                inputs,
                limits,
                self.runs(signals.cancel),
                started,
                |i, outcome| {
                    if signals.cancel.is_cancelled() {
                        // Killed by the cancel, not judged: told as nothing.
                        return false;
                    }
                    let case = pending[i];
                    if let Ok(o) = outcome.as_mut() {
                        drop_overlong_answer(o, answers.longest(problem, &case.name));
                    }
                    let failed = stop_early
                        && plainly_failed(problem, &answers.expected(&case.name), outcome);
                    let taken = std::mem::replace(outcome, Err(io::Error::other("taken")));
                    finish(case, taken);
                    failed
                },
            );
            signals.check()?;
            for (case, ran) in pending.iter().zip(not_run) {
                if ran.is_none() && !stop_early {
                    finish(case, Err(io::Error::other("the case was not run")));
                }
            }
        }
        if !on_arrival {
            let (cases, outcomes): (Vec<&Case>, Vec<io::Result<Outcome>>) =
                outcomes.into_iter().unzip();
            let mut custom =
                self.custom_check(problem, &cases, &outcomes, answers, signals.cancel)?;
            signals.check()?;
            for (case, outcome) in cases.into_iter().zip(outcomes) {
                let report = judging.grade(case, &outcome, custom.remove(&case.name));
                judging.tell_finished(case, &report, &mut withheld);
                graded.insert(case.name.clone(), report);
            }
        }
        for event in &withheld {
            signals.tell(event);
        }
        judging.first_failure.settle(&mut graded);
        Ok(graded)
    }
}

/// What grading the cases of one judging needs.
struct CaseJudging<'a> {
    problem: &'a Problem,
    mode: Mode,
    answers: &'a Answers,
    stop_early: bool,
    signals: Signals<'a>,
    hidden_details: HiddenDetails,
    /// Under `FirstFailure`: the first failing hidden case, in case order, is shown whole.
    first_failure: FirstFailure,
}

/// Which hidden case is the first to fail is known only once all have run (they run side by
/// side), so under `HiddenDetails::FirstFailure` a failing hidden case is graded whole unless
/// an earlier one already failed, with its `Kind` report kept to stand in for it if an
/// earlier one fails later (`settle`).
#[derive(Default)]
struct FirstFailure {
    /// Each hidden case's place in case order.
    places: HashMap<String, usize>,
    /// The earliest place of a hidden case seen failing so far.
    earliest: std::sync::atomic::AtomicUsize,
    /// The `Kind` reports of failing hidden cases graded whole.
    stand_ins: std::sync::Mutex<HashMap<String, CaseReport>>,
}

impl FirstFailure {
    fn new(problem: &Problem) -> FirstFailure {
        let places = problem
            .groups
            .iter()
            .flat_map(|g| &g.cases)
            .enumerate()
            .map(|(i, c)| (c.name.clone(), i))
            .collect();
        FirstFailure {
            places,
            earliest: usize::MAX.into(),
            stand_ins: std::sync::Mutex::default(),
        }
    }

    fn place(&self, case: &Case) -> usize {
        self.places.get(&case.name).copied().unwrap_or(usize::MAX)
    }

    /// Whether `case` may still be the first failing hidden case.
    fn may_be_first(&self, case: &Case) -> bool {
        self.place(case) <= self.earliest.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// `case` failed; `stand_in` is its report without data.
    fn failed(&self, case: &Case, stand_in: CaseReport) {
        self.earliest
            .fetch_min(self.place(case), std::sync::atomic::Ordering::Relaxed);
        self.stand_ins
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(case.name.clone(), stand_in);
    }

    /// Every case graded whole but the first failing one gets its stand-in.
    fn settle(&self, graded: &mut HashMap<String, CaseReport>) {
        let first = self.earliest.load(std::sync::atomic::Ordering::Relaxed);
        let stand_ins = std::mem::take(
            &mut *self
                .stand_ins
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        for (name, stand_in) in stand_ins {
            if self.places.get(&name) != Some(&first) {
                graded.insert(name, stand_in);
            }
        }
    }
}

impl CaseJudging<'_> {
    fn visible(&self, case: &Case) -> bool {
        self.mode == Mode::Run
            || self.problem.reveal_hidden
            || self.problem.samples.iter().any(|s| s.name == case.name)
    }

    /// How much a hidden case's report shows at this judging's level.
    fn shown(&self, case: &Case) -> Shown {
        if self.visible(case) {
            return Shown::All;
        }
        match self.hidden_details {
            HiddenDetails::Verdict | HiddenDetails::Outcome => Shown::Words,
            HiddenDetails::FirstFailure if self.first_failure.may_be_first(case) => Shown::All,
            HiddenDetails::Kind | HiddenDetails::FirstFailure => Shown::Kind,
        }
    }

    /// Whether the case's time may show, in its report and so in when its events arrive.
    fn times_shown(&self, case: &Case) -> bool {
        self.visible(case) || self.hidden_details != HiddenDetails::Verdict
    }

    /// Tells that `case` finished now, or keeps the event in `withheld` for the end.
    fn tell_finished(&self, case: &Case, report: &CaseReport, withheld: &mut Vec<Event>) {
        let event = Event::case_finished(report);
        if self.times_shown(case) {
            self.signals.tell(&event);
        } else {
            withheld.push(event);
        }
    }

    /// A case's report as the candidate may see it: everything for samples and practice
    /// runs, less for hidden cases (`HiddenDetails`).
    fn grade(
        &self,
        case: &Case,
        outcome: &io::Result<Outcome>,
        custom: Option<CheckerResult>,
    ) -> CaseReport {
        let problem = self.problem;
        let shown = self.shown(case);
        let expected = self.answers.expected(&case.name);
        let judged = |custom| Judged {
            expected: &expected,
            outcome,
            custom,
        };
        let hidden = !self.visible(case);
        let mut report = grade(problem, case, judged(custom.clone()), shown);
        if hidden && shown == Shown::All && report.verdict != Verdict::AC {
            let stand_in = grade(problem, case, judged(custom), Shown::Kind);
            self.first_failure.failed(case, stand_in);
        }
        if hidden && self.hidden_details == HiddenDetails::Verdict {
            withhold(&mut report);
        }
        report
    }
}

/// The events of a judging whose report came from the cache: the same steps, nothing run
/// (withheld cases last, as when judged).
fn replay(report: &Report, signals: Signals<'_>) {
    signals.tell(&Event::Compiling);
    signals.tell(&Event::Compiled {
        ok: report.compile.ok,
        time_ms: report.compile.time_ms,
        cached: true,
    });
    if !report.compile.ok {
        for group in &report.groups {
            signals.tell(&Event::group_finished(group));
        }
        return;
    }
    signals.tell(&Event::Running {
        cases: report.cases().count(),
    });
    for case in report.cases().filter(|c| !c.withheld) {
        signals.tell(&Event::CaseStarted {
            name: case.name.clone(),
        });
        signals.tell(&Event::case_finished(case));
    }
    for case in report.cases().filter(|c| c.withheld) {
        signals.tell(&Event::case_finished(case));
    }
    for group in &report.groups {
        signals.tell(&Event::group_finished(group));
    }
}

/// Bytes the program's loadable segments take in memory (code, data and zero-filled
/// statics). A program needing more than the memory limit cannot run at all: the kernel
/// fails its exec past the point of no return and kills it with SIGSEGV, which would read as
/// a crash. `None` when the file is not an ELF the judge can read.
fn static_bytes(binary: &Path) -> Option<u64> {
    use object::{Object, ObjectSegment};
    let data = std::fs::read(binary).ok()?;
    let file = object::File::parse(&*data).ok()?;
    Some(file.segments().map(|s| s.size()).sum())
}

/// The outcome of a case whose program is too large to load: killed for memory.
fn unloadable(bytes: u64) -> Outcome {
    Outcome {
        exit: Exit::Signal(libc::SIGKILL),
        cpu_ms: 0,
        wall_ms: 0,
        stdout: Vec::new(),
        stderr: Vec::new(),
        answer: Vec::new(),
        output_exceeded: false,
        wall_exceeded: false,
        cgroup_peak_bytes: Some(bytes),
        memory_exceeded: true,
        answer_bytes: 0,
        disk_full: false,
        ended_at: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_engine_is_shared_across_threads() {
        fn shared<T: Send + Sync + Clone>() {}
        fn sendable<T: Send>() {}
        shared::<Engine>();
        sendable::<Judging>();
    }
}
