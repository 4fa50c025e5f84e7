//! Judging a whole Rust program (fn main reading stdin, writing stdout) on a Kattis
//! package: compiled by the same toolchain, flags, box and build cache as function
//! problems, run on each case's `.in` in a box of its own under the same limits, its verdict
//! decided by the same `verdict::run_failure`, its output checked by the default validator
//! or the package's output validator (run in a box too), interactive problems with the
//! validator and the program in two boxes joined by pipes, and the groups graded by the
//! format's default grader (`package_grade`).
//!
//! Cases run side by side, at most `jobs` at once, sharing the engine's box slots. When
//! every group breaks on a rejection (the format's default), no case is started after one
//! failed: the verdict is the first failure's, as Kattis judges.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

mod check;
mod program;
mod sources;
mod summary;
mod unjudged;

pub use sources::{
    allowed, include_files, language_of, program_source, submission_source, with_includes,
    ProgramSource,
};
pub use unjudged::Unjudged;

use check::{Check, Interaction, Scores, NO_SCORES};
pub(super) use summary::package_digest;
use summary::{compile_error, package_report};

use super::default_validator;
use super::events::Event;
use super::package_grade::{self, CaseResult, Graded};
use super::package_programs::{self, Built, Runnable, ValidatorCall};
use super::{compile, grade, runner, verdict, Engine, JudgeError};
use crate::problem::package::{Package, TestCase, TestGroup, VerdictMode};
use crate::problem::spec::{HiddenDetails, Limits};
use crate::report::{CaseReport, Fault, Mode, Report, Verdict};
use judge_sandbox::{self as sandbox, Cancel, Input, Outcome, RunLimits, Streams};

/// Why a package's custom grader gave no result for a group (the package's fault: JE).
#[derive(Debug, thiserror::Error)]
pub enum GraderError {
    #[error("cannot run it: {0}")]
    Run(#[source] std::io::Error),
    /// It ended otherwise than with 0 (`stderr`: what it said, cut short).
    #[error("it ended with {exit:?} (a grader exits with 0): {stderr}")]
    Exit { exit: sandbox::Exit, stderr: String },
    /// Its output, cut to 80 characters, is not one verdict and score.
    #[error("it printed {0:?}, not one `VERDICT score` line (AC, WA, TLE, RTE, MLE, OLE or JE)")]
    Output(String),
}

/// One judging of a whole program on a package.
#[derive(Clone, Copy)]
pub struct PackageRun<'a> {
    pub package: &'a Package,
    /// The program's language (`Languages::choose`): how it is built and run.
    pub language: &'a crate::languages::Language,
    pub source: &'a str,
    /// The file `source` is judged as (its name is the one the compiler's messages show).
    pub solution: &'a Path,
    /// The program's other files (name, text): a submission that is a folder (Rust's
    /// `mod` lines, C's headers, Python's modules), and the package's `include/<lang>/`.
    pub modules: &'a [(String, String)],
    pub mode: Mode,
    /// The CPU time limit per case (`Engine::package_time_limit`).
    pub time_ms: u64,
    /// Judge every case, even after one decided the verdict (verify checks what each
    /// case got).
    pub all_cases: bool,
}

/// A `PackageRun` that owns what it names, for a judging on a thread of its own
/// (`Engine::start_package`): the time limit is worked out there.
#[derive(Debug, Clone)]
pub struct PackageSubmission {
    pub package: Package,
    pub language: crate::languages::Language,
    pub source: String,
    pub solution: std::path::PathBuf,
    pub mode: Mode,
}

/// Most bytes of a visible case's input and output quoted in its report.
const SHOWN_BYTES: usize = 4096;

/// Where a case's run happens and how it is checked.
struct CaseContext<'a> {
    package: &'a Package,
    program: &'a program::Runnable,
    limits: Limits,
    run_limits: RunLimits,
    time_ms: u64,
    validator: Option<&'a Runnable>,
    mode: Mode,
    cancel: &'a Cancel,
}

/// The package's `include/<language>/` files a submission in that language is judged
/// with, as `judge submit` puts them beside the solution.
fn include_modules(submission: &PackageSubmission) -> Result<Vec<(String, String)>, JudgeError> {
    let includes = include_files(&submission.package, &submission.language)
        .map_err(|e| JudgeError::PackageIncludes(Box::new(e)))?;
    let entry = submission
        .solution
        .file_name()
        .unwrap_or_default()
        .to_string_lossy();
    let mut modules = Vec::new();
    with_includes(&mut modules, &entry, includes);
    Ok(modules)
}

impl Engine {
    /// Judges `run` (samples only for `Mode::Run`). A report for the same source, package
    /// contents, time limit and mode is taken from the report cache, as for function
    /// problems (and stored under the same rules: no judge errors, no wall-clock TLE).
    pub fn judge_package(
        &self,
        run: &PackageRun<'_>,
        cancel: &Cancel,
    ) -> Result<Report, JudgeError> {
        let key = self.package_report_key(run);
        if let Some(report) = self.cached_report(&key) {
            return Ok(self.finish(report));
        }
        let report = self.judge_package_afresh(run, cancel)?;
        self.store_report(&key, &report, run.time_ms);
        Ok(report)
    }

    /// Starts judging `submission` on a thread of its own (its time limit first, derived
    /// when the package gives none), with the package's `include/<language>/` files beside
    /// it; its events are the package path's (compiling, compiled, running, each case,
    /// each group, done), told besides this engine's own observer.
    pub fn start_package(&self, submission: PackageSubmission) -> super::Judging {
        let engine = self.clone();
        let cancel = Cancel::default();
        let stop = cancel.clone();
        super::Judging::spawn_observed(cancel, move |tell| {
            tell(&Event::Queued);
            // Derived before this judging's events are listened to: deriving judges the
            // accepted submissions, whose steps are not this submission's.
            let limit = engine.package_time_limit(&submission.package, &stop)?;
            let modules = include_modules(&submission)?;
            let mut engine = engine;
            let previous = engine.observer.take();
            engine.observer = Some(std::sync::Arc::new(move |e: &Event| {
                if let Some(previous) = &previous {
                    previous(e);
                }
                tell(e);
            }));
            let run = PackageRun {
                package: &submission.package,
                language: &submission.language,
                source: &submission.source,
                solution: &submission.solution,
                modules: &modules,
                mode: submission.mode,
                time_ms: limit.ms,
                all_cases: false,
            };
            engine.judge_package(&run, &stop)
        })
    }

    /// What decides a package's report: this judge, the toolchain, the source and the name
    /// it is compiled as, the package's contents, the time limit, the mode, what hidden
    /// cases may show, and the isolation missing here.
    fn package_report_key(&self, run: &PackageRun<'_>) -> String {
        let hidden = self.hidden_details.unwrap_or(HiddenDetails::Kind);
        crate::cache::digest(&[
            b"kattis-report-1",
            super::report_cache::judge_identity().as_bytes(),
            self.toolchain.key.as_bytes(),
            program::report_key(run.language).as_bytes(),
            run.source.as_bytes(),
            compile::box_file_name(run.solution).as_bytes(),
            format!("{:?}", run.modules).as_bytes(),
            package_digest(run.package).as_bytes(),
            &run.time_ms.to_le_bytes(),
            run.mode.name().as_bytes(),
            &[u8::from(run.all_cases)],
            hidden.name().as_bytes(),
            sandbox::layers::missing_isolation().join("\n").as_bytes(),
        ])
    }

    fn judge_package_afresh(
        &self,
        run: &PackageRun<'_>,
        cancel: &Cancel,
    ) -> Result<Report, JudgeError> {
        let package = run.package;
        self.tell(&Event::Compiling);
        let (compile, program) = self.build_submission(run, cancel)?;
        self.tell(&Event::Compiled {
            ok: compile.ok,
            time_ms: compile.time_ms,
            cached: compile.cached,
        });
        let Some(program) = program else {
            return Ok(self.finish(compile_error(package, run.mode, compile)));
        };
        let validator = self.ready_program(
            package,
            package.output_validator.as_ref(),
            "output validator",
            cancel,
        )?;
        let limits = Limits {
            time_ms: run.time_ms,
            memory_mb: package.limits.memory_mb,
            output_kb: package.limits.output_kb,
            disk_mb: Limits::default().disk_mb,
        };
        let cases: Vec<&TestCase> = match run.mode {
            Mode::Run => package.samples.cases(),
            Mode::Submit => package.cases(),
        };
        self.tell(&Event::Running { cases: cases.len() });
        let context = CaseContext {
            package,
            program: &program,
            limits,
            run_limits: program.limits(runner::run_limits(&limits, 1)),
            time_ms: run.time_ms,
            validator: validator.as_ref(),
            mode: run.mode,
            cancel,
        };
        let stop = run.mode == Mode::Submit && !run.all_cases && stops_at_first_failure(package);
        let judged = self.run_package_cases(&context, &cases, stop);
        if cancel.is_cancelled() {
            return Err(JudgeError::Cancelled);
        }
        let custom = self.ready_program(package, package.grader.as_ref(), "grader", cancel)?;
        let mut failures = Vec::new();
        let mut memo: HashMap<String, Graded> = HashMap::new();
        let mut grader = |group: &TestGroup, items: &[Graded]| -> Graded {
            let (Some(runnable), true) = (&custom, group.grading.custom_grader) else {
                return package_grade::aggregate(&group.grading, items);
            };
            *memo.entry(group.name.clone()).or_insert_with(|| {
                self.run_grader(runnable, &package.limits, (group, items), cancel)
                    .unwrap_or_else(|why| {
                        failures.push(format!("the grader failed on group {}: {why}", group.name));
                        Graded {
                            verdict: Verdict::JE,
                            score: 0.0,
                        }
                    })
            })
        };
        let mut report = package_report(package, run.mode, compile, judged, &mut grader);
        report.warnings.extend(failures);
        Ok(self.finish(report))
    }

    /// One of the package's own programs built, its failure to build the package's fault.
    fn ready_program(
        &self,
        package: &Package,
        program: Option<&crate::problem::package::Program>,
        what: &'static str,
        cancel: &Cancel,
    ) -> Result<Option<Runnable>, JudgeError> {
        let Some(program) = program else {
            return Ok(None);
        };
        match self.build_package_program(program, &package.constants, cancel)? {
            Built::Ready(r) => Ok(Some(r)),
            Built::Failed(stderr) => Err(JudgeError::ValidatorDoesNotCompile {
                what,
                path: program.path.clone(),
                stderr,
            }),
        }
    }

    /// The package's custom grader on one group's items: `VERDICT score` lines on its
    /// stdin, the group's `grader_flags` as its arguments, one `VERDICT score` line back
    /// (exit 0), as the legacy format says; anything else is the package's fault.
    fn run_grader(
        &self,
        grader: &Runnable,
        limits: &crate::problem::package::PackageLimits,
        (group, items): (&TestGroup, &[Graded]),
        cancel: &Cancel,
    ) -> Result<Graded, GraderError> {
        let nothing = Path::new("/dev/null");
        let call = ValidatorCall {
            runnable: grader,
            input: nothing,
            answer: nothing,
            args: &group.grading.grader_flags,
            stdin: Input::Bytes(package_grade::grader_input(items).into_bytes()),
            streams: Streams::default(),
            limits: package_programs::validator_limits(limits, 0),
        };
        let outcome = package_programs::run_input_validator(call, &self.cache, cancel)
            .map_err(GraderError::Run)?;
        if outcome.exit != sandbox::Exit::Code(0) {
            return Err(GraderError::Exit {
                exit: outcome.exit,
                stderr: shown(&outcome.stderr),
            });
        }
        let said = String::from_utf8_lossy(&outcome.stdout);
        package_grade::grader_output(&said)
            .ok_or_else(|| GraderError::Output(said.chars().take(80).collect()))
    }

    /// Tells the engine's observer (the progress line) one step.
    fn tell(&self, event: &Event) {
        if let Some(observer) = &self.observer {
            observer(event);
        }
    }

    fn finish(&self, report: Report) -> Report {
        for group in &report.groups {
            self.tell(&Event::group_finished(group));
        }
        self.tell(&Event::Done {
            report: Box::new(report.clone()),
        });
        report
    }

    /// Runs `cases` side by side; with `stop`, none is started after one failed.
    fn run_package_cases(
        &self,
        context: &CaseContext<'_>,
        cases: &[&TestCase],
        stop: bool,
    ) -> HashMap<String, (CaseResult, CaseReport)> {
        let next = AtomicUsize::new(0);
        let first_failure = AtomicUsize::new(usize::MAX);
        let judged = Mutex::new(HashMap::new());
        std::thread::scope(|scope| {
            for _ in 0..self.jobs.min(cases.len()).max(1) {
                scope.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= cases.len() || i > first_failure.load(Ordering::SeqCst) {
                        break;
                    }
                    let Some(slot) = self.slots.take(context.cancel) else {
                        break;
                    };
                    let case = cases[i];
                    self.tell(&Event::CaseStarted {
                        name: case.name.clone(),
                    });
                    let (result, report) = self.package_case(context, case);
                    drop(slot);
                    if context.cancel.is_cancelled() {
                        break;
                    }
                    if stop && result.verdict != Verdict::AC {
                        first_failure.fetch_min(i, Ordering::SeqCst);
                    }
                    self.tell(&Event::case_finished(&report));
                    judged
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .insert(i, (result, report));
                });
            }
        });
        // Cases after the first failure ran only because they ran beside it: judging one
        // at a time would not have run them, so they do not count (on an interactive problem
        // one may even fail differently, as its boxes race).
        let last = first_failure.into_inner();
        judged
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .into_iter()
            .filter(|(i, _)| *i <= last)
            .map(|(i, judged)| (cases[i].name.clone(), judged))
            .collect()
    }

    /// Runs one case and checks its output: the case's result and its report as the
    /// candidate may see it.
    fn package_case(&self, cx: &CaseContext<'_>, case: &TestCase) -> (CaseResult, CaseReport) {
        let visible = cx.mode == Mode::Run || case.name.starts_with("sample/");
        let mut report = CaseReport {
            name: case.name.clone(),
            verdict: Verdict::AC,
            time_ms: 0,
            memory_kb: 0,
            message: None,
            diff: None,
            input: None,
            output: None,
            withheld: false,
            fault: None,
        };
        let mut score = NO_SCORES;
        let judged = if cx.package.interactive {
            self.interact(cx, case)
        } else {
            self.run_whole_program(cx, case).map(|o| (o, None))
        };
        match judged {
            Err(e) => {
                report.verdict = Verdict::JE;
                report.fault = Some(Fault::Run);
                report.message = Some(format!("the judge could not run the case: {e}"));
            }
            Ok((outcome, validator)) => {
                report.time_ms = outcome.cpu_ms;
                report.memory_kb = verdict::peak_kb(&outcome);
                if visible && !cx.package.interactive {
                    report.input = Some(shown(&std::fs::read(&case.input).unwrap_or_default()));
                    let mut printed = shown(&outcome.answer);
                    if !outcome.stderr.is_empty() {
                        printed.push_str("\n(stderr)\n");
                        printed.push_str(&shown(&outcome.stderr));
                    }
                    report.output = Some(printed);
                }
                let check = Check {
                    cx,
                    case,
                    outcome: &outcome,
                    visible,
                };
                let (v, message, s) = match validator {
                    Some(interaction) => check.interactive(&interaction),
                    None => self.check_output(&check, &mut report),
                };
                report.verdict = v;
                report.message = message;
                score = s;
                if v == Verdict::JE {
                    report.fault = Some(Fault::Checker);
                }
            }
        }
        // Hidden cases show the kind of mismatch by default; an interviewer's cap may show
        // less: the outcome in words (no place in the output), or the verdict alone.
        let hidden_cap = self.hidden_details.unwrap_or(HiddenDetails::Kind);
        if !visible && hidden_cap == HiddenDetails::Outcome && report.verdict == Verdict::WA {
            report.message = Some(Verdict::WA.meaning().to_string());
        }
        if !visible && hidden_cap == HiddenDetails::Verdict {
            grade::withhold(&mut report);
        }
        (
            CaseResult {
                verdict: report.verdict,
                validator_score: score.0,
                score_multiplier: score.1,
            },
            report,
        )
    }

    /// The program on the case's input, its stdout kept whole (up to the output limit) as
    /// the answer.
    fn run_whole_program(&self, cx: &CaseContext<'_>, case: &TestCase) -> io::Result<Outcome> {
        let work = WorkDir::new(&self.cache)?;
        let args = cx.package.case_args(case).into_iter().map(Into::into);
        let job = cx
            .program
            .job(Input::File(case.input.clone()), &work.0, args.collect());
        let streams = Streams {
            stdout_is_answer: true,
            ..Streams::default()
        };
        sandbox::run_with_streams(&job, &cx.run_limits, cx.cancel, streams)
    }

    /// An interactive case: the validator and the program in two boxes, each one's stdout
    /// the other's stdin. The program's limits are the case's; the validator gets the
    /// program's wall clock and more, so a program that hangs ends first.
    fn interact(
        &self,
        cx: &CaseContext<'_>,
        case: &TestCase,
    ) -> io::Result<(Outcome, Option<Interaction>)> {
        let Some(validator) = cx.validator else {
            return Err(io::Error::other(
                "an interactive problem needs its validator",
            ));
        };
        let (to_program, from_validator) = sandbox::pipe()?;
        let (to_validator, from_program) = sandbox::pipe()?;
        let work = WorkDir::new(&self.cache)?;
        let args = cx.package.validator_args(case);
        std::thread::scope(|scope| {
            let validating = scope.spawn(|| {
                let call = ValidatorCall {
                    runnable: validator,
                    input: &case.input,
                    answer: &case.answer,
                    args: &args,
                    stdin: Input::default(),
                    streams: Streams {
                        stdin: Some(to_validator),
                        stdout: Some(from_validator),
                        stdout_is_answer: false,
                    },
                    limits: package_programs::validator_limits(
                        &cx.package.limits,
                        cx.run_limits.wall_ms + 5000,
                    ),
                };
                package_programs::run_validator(call, &self.cache, cx.cancel)
            });
            let args = cx.package.case_args(case).into_iter().map(Into::into);
            let job = cx.program.job(Input::default(), &work.0, args.collect());
            let streams = Streams {
                stdin: Some(to_program),
                stdout: Some(from_program),
                stdout_is_answer: false,
            };
            let outcome = sandbox::run_with_streams(&job, &cx.run_limits, cx.cancel, streams);
            let validated = validating
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("the validator's thread panicked")));
            outcome.map(|o| {
                // When each box's program was seen to end (each box's own pidfd): the one
                // that ended first made the other see the end of its input.
                let validator_ended = validated.as_ref().ok().and_then(|v| v.outcome.ended_at);
                let validator_first = matches!(
                    (validator_ended, o.ended_at),
                    (Some(v), Some(p)) if v < p
                );
                let interaction = Interaction {
                    validated,
                    validator_first,
                };
                (o, Some(interaction))
            })
        })
    }

    /// A non-interactive case's verdict: the run's failure, else the validator's word.
    fn check_output(
        &self,
        check: &Check<'_>,
        report: &mut CaseReport,
    ) -> (Verdict, Option<String>, Scores) {
        let Check {
            cx,
            case,
            outcome,
            visible,
        } = *check;
        if let Some((v, why)) = verdict::run_failure(&cx.limits, outcome, cx.time_ms) {
            return (v, Some(why), NO_SCORES);
        }
        let Some(validator) = cx.validator else {
            let answer = match std::fs::read(&case.answer) {
                Ok(a) => a,
                Err(e) => {
                    return (
                        Verdict::JE,
                        Some(format!("cannot read {}: {e}", case.answer.display())),
                        NO_SCORES,
                    )
                }
            };
            let flags = cx.package.default_flags(case);
            return match default_validator::validate(&answer, &outcome.answer, &flags) {
                Ok(()) => (Verdict::AC, None, NO_SCORES),
                Err(rejection) if visible => {
                    report.diff = Some(crate::report::diff(
                        &String::from_utf8_lossy(&answer),
                        &String::from_utf8_lossy(&outcome.answer),
                    ));
                    (
                        Verdict::WA,
                        Some(format!("wrong answer: {}", rejection.words)),
                        NO_SCORES,
                    )
                }
                Err(rejection) => (
                    Verdict::WA,
                    Some(format!("wrong answer: {}", rejection.kind)),
                    NO_SCORES,
                ),
            };
        };
        let call = ValidatorCall {
            runnable: validator,
            input: &case.input,
            answer: &case.answer,
            args: &cx.package.validator_args(case),
            stdin: Input::Bytes(outcome.answer.clone()),
            streams: Streams::default(),
            limits: package_programs::validator_limits(&cx.package.limits, 0),
        };
        let validated = package_programs::run_validator(call, &self.cache, cx.cancel);
        check.validator_word(&validated)
    }
}

/// A case's host work dir, removed without recursion (it stays empty when the box has a
/// disk of its own).
struct WorkDir(std::path::PathBuf);

impl WorkDir {
    fn new(cache: &crate::cache::Cache) -> io::Result<WorkDir> {
        Ok(WorkDir(cache.temp_dir()?.keep()))
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = sandbox::remove_tree(&self.0);
    }
}

/// At most `SHOWN_BYTES` of a text, marked where cut.
fn shown(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(SHOWN_BYTES)]);
    let mut text = text.trim_end().to_string();
    if bytes.len() > SHOWN_BYTES {
        let _ = write!(text, "\n… ({} bytes in all)", bytes.len());
    }
    text
}

/// Whether a failing case decides the whole judging: every group breaks on a rejection and
/// passes it up, so no later case can change the verdict or the score (under the
/// aggregation model: a pass-fail problem).
fn stops_at_first_failure(package: &Package) -> bool {
    if package.root_grading.model == crate::problem::package::Model::Aggregation {
        return !package.scoring;
    }
    // A custom grader may accept whatever its items were.
    if package.grader.is_some() {
        return false;
    }
    std::iter::once(&package.root_grading)
        .chain(package.groups().into_iter().map(|g| &g.grading))
        .all(|g| {
            g.on_reject_break
                && g.verdict_mode != VerdictMode::AlwaysAccept
                && !g.accept_if_any_accepted
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_breaking_groups_stop_at_the_first_failure() {
        use crate::problem::package::Grading;
        let dir = tempfile::tempdir().unwrap();
        for (p, t) in [
            ("problem.yaml", "name: X\ntype: scoring\n"),
            ("data/secret/a.in", ""),
            ("data/secret/a.ans", ""),
        ] {
            let path = dir.path().join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, t).unwrap();
        }
        let mut package = crate::problem::package::load(dir.path()).unwrap();
        assert!(stops_at_first_failure(&package));
        package.secret.grading = Grading {
            on_reject_break: false,
            ..Grading::default()
        };
        assert!(!stops_at_first_failure(&package));
    }
}
