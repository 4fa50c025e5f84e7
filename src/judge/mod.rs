//! The judging engine: compile a solution, get each case's expected answer (stored, or the
//! reference's, computed once per problem version and cached), run the cases, check them,
//! score the groups, and fill a `Report`.
//!
//! Invariant: the engine never prints; the CLI (or any other front end) renders its reports.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::value::RawValue;
use serde_json::Value as Json;

use crate::build::harness::{self, Entry};
use crate::build::toolchain::{Build, CompileLimits, Program, Toolchain};
use crate::cache::{digest, Cache};
use crate::error::Error;
use crate::problem::spec::{Case, CheckerKind, Generate, HiddenDetails, Problem, CHECKER_FILE};
use crate::problem::value;
use crate::report::{CaseReport, CompileReport, GroupReport, Report, Verdict};
use crate::sandbox::{Exit, Input, Outcome, RunLimits};

pub mod checker;
pub mod runner;
mod trial;

pub use trial::{Contestants, Trial};

/// Expected answers by case name, kept as JSON text: a parsed tree of a large answer costs
/// ten times its size, and a judging holds every case's answer at once. Each is parsed when
/// its case is graded, then dropped.
#[derive(Default)]
pub struct Answers(HashMap<String, Box<RawValue>>);

impl Answers {
    /// The answer of `case`, when there is one.
    pub fn get(&self, case: &str) -> Option<Json> {
        self.0
            .get(case)
            .and_then(|raw| serde_json::from_str(raw.get()).ok())
    }

    /// The answer of a case being judged (every judged case has one).
    pub fn expected(&self, case: &str) -> Json {
        self.get(case).unwrap_or(Json::Null)
    }

    /// The most bytes a right answer to `case` can take, where the built-in checker makes
    /// that known (see `longest_right_answer`).
    fn longest(&self, problem: &Problem, case: &str) -> Option<usize> {
        let len = self.0.get(case)?.get().len();
        longest_right_answer(problem, len)
    }

    fn insert(&mut self, case: String, answer: &Json) {
        if let Ok(raw) = serde_json::value::to_raw_value(answer) {
            self.0.insert(case, raw);
        }
    }
}

/// How much longer than the problem's limit the reference may take when it computes answers
/// (it is held to the real limit by `judge verify`, not here, so a noisy machine never turns
/// into a judge error).
const REFERENCE_TIME_SCALE: u64 = 10;
/// How much of a solution's output a report keeps for a visible case.
const SHOWN_OUTPUT_BYTES: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Samples and hidden cases, scored.
    Submit,
    /// Samples only, everything shown.
    Run,
}

/// Told (cases finished, cases to run) each time a case of a judging finishes.
pub type Progress = Box<dyn Fn(usize, usize) + Send + Sync>;

pub struct Engine {
    cache: Cache,
    toolchain: Toolchain,
    jobs: usize,
    progress: Option<Progress>,
    /// Judge again even when a report for the same source and problem version is cached.
    fresh: bool,
    /// Limits on compiling a solution.
    compile_limits: CompileLimits,
    /// What hidden cases show, over each problem's own `[feedback] hidden`.
    hidden_details: Option<HiddenDetails>,
}

impl Engine {
    pub fn new(cache: Cache, jobs: usize) -> Result<Engine, Error> {
        let toolchain = Toolchain::open(&cache)?;
        Ok(Engine {
            cache,
            toolchain,
            jobs,
            progress: None,
            fresh: false,
            compile_limits: CompileLimits::default(),
            hidden_details: None,
        })
    }

    /// Shows hidden cases as `details` whatever each problem says (an interviewer's
    /// setting).
    pub fn hidden_details(mut self, details: Option<HiddenDetails>) -> Engine {
        self.hidden_details = details;
        self
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

    /// Reports each finished case of every later judging to `progress`.
    pub fn with_progress(mut self, progress: Progress) -> Engine {
        self.progress = Some(progress);
        self
    }

    pub fn toolchain(&self) -> &Toolchain {
        &self.toolchain
    }

    /// Judges `solution` on `problem`.
    pub fn judge(
        &self,
        problem: &Problem,
        reference: &Path,
        solution: &Path,
        mode: Mode,
    ) -> Result<Report, Error> {
        self.judge_with(problem, reference, solution, mode, false)
    }

    /// Judges `solution` only as far as its verdict needs: cases after the first failing one
    /// are not run (as Kattis judges). The verdict and first failure are exact; groups with
    /// cases that were not run are left out of the score.
    pub fn judge_until_failure(
        &self,
        problem: &Problem,
        reference: &Path,
        solution: &Path,
    ) -> Result<Report, Error> {
        self.judge_with(problem, reference, solution, Mode::Submit, true)
    }

    fn judge_with(
        &self,
        problem: &Problem,
        reference: &Path,
        solution: &Path,
        mode: Mode,
        stop_early: bool,
    ) -> Result<Report, Error> {
        let source = std::fs::read_to_string(solution).map_err(|e| {
            Error::Input(format!("cannot read solution {}: {e}", solution.display()))
        })?;
        self.judge_text(&Judging {
            problem,
            reference,
            source: &source,
            solution,
            mode,
            stop_early,
        })
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
    ) -> Result<Report, Error> {
        self.judge_text(&Judging {
            problem,
            reference,
            source,
            solution: path,
            mode,
            stop_early: false,
        })
    }

    fn judge_text(&self, judging: &Judging) -> Result<Report, Error> {
        // A judging that stops early is partial, and cached apart from whole ones.
        let key = self.report_key(judging);
        if let Some(key) = &key {
            if let Some(report) = self.cached_report(key) {
                return Ok(report);
            }
        }
        let report = self.judge_afresh(judging)?;
        if let Some(key) = &key {
            self.store_report(key, &report, judging.problem.limits.time_ms);
        }
        Ok(report)
    }

    /// What decides a report: the toolchain and box, the harness and the source, every file
    /// of the problem that shapes cases and answers, the mode, and which isolation layers
    /// are missing here. `None` when a file cannot be read (then nothing is cached).
    fn report_key(&self, judging: &Judging) -> Option<String> {
        let Judging {
            problem,
            reference,
            source,
            solution,
            mode,
            stop_early,
        } = *judging;
        let (root, _) = entry_root(problem, Entry::Solution, source, &box_file_name(solution));
        let reference = std::fs::read(reference).ok()?;
        let optional = |name: &str| std::fs::read(problem.dir.join(name)).unwrap_or_default();
        let warnings = crate::sandbox::layers::missing_isolation().join("\n");
        Some(digest(&[
            judge_identity().as_bytes(),
            self.toolchain.key.as_bytes(),
            root.as_bytes(),
            source.as_bytes(),
            problem.id.as_bytes(),
            &problem.source_digest_input,
            &reference,
            &optional(GENERATOR_FILE),
            &optional(CHECKER_FILE),
            mode_name(mode).as_bytes(),
            &[u8::from(stop_early)],
            format!("{:?}", self.hidden_details).as_bytes(),
            warnings.as_bytes(),
        ]))
    }

    fn cached_report(&self, key: &str) -> Option<Report> {
        if self.fresh {
            return None;
        }
        let bytes = self.cache.read(&format!("reports/{key}.json"))?;
        let mut report: Report = serde_json::from_slice(&bytes).ok()?;
        report.cached = true;
        report.compile.cached = true;
        report.compile.time_ms = 0;
        Some(report)
    }

    /// Keeps a report for the next judging of the same source, unless the judge failed
    /// somewhere in it (a judge error may not happen again), it did not compile (a compile
    /// stopped by its limits may pass with others; the build cache keeps real errors), or a
    /// case was stopped by the wall clock within its CPU budget (`time_ms`): that depends on
    /// how loaded the machine was.
    fn store_report(&self, key: &str, report: &Report, time_ms: u64) {
        let judge_failed = report.verdict == Verdict::JE
            || !report.compile.ok
            || report.cases().any(|c| c.verdict == Verdict::JE);
        let stopped_by_wall_clock = report
            .cases()
            .any(|c| c.verdict == Verdict::TLE && c.time_ms <= time_ms);
        if judge_failed || stopped_by_wall_clock {
            return;
        }
        if let Ok(bytes) = serde_json::to_vec(report) {
            // A report that cannot be cached is only judged again next time.
            let _ = self.cache.write(&format!("reports/{key}.json"), &bytes);
        }
    }

    fn judge_afresh(&self, judging: &Judging) -> Result<Report, Error> {
        let Judging {
            problem,
            reference,
            source,
            solution,
            mode,
            stop_early,
        } = *judging;
        let build = self.build(problem, source, solution)?;
        let compile = compile_report(&build);
        let Some(program) = build.program else {
            return Ok(compile_error_report(problem, mode, compile));
        };
        let binary = &program.path;
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
        let problem = &*self.prepare(problem)?;
        let (answers, reference_runs) = self.answers_and_runs(problem, reference)?;
        let cases: Vec<&Case> = match mode {
            Mode::Submit => problem.cases().collect(),
            Mode::Run => problem.samples.iter().collect(),
        };
        // Judging the reference right after it made the answers (verify): its runs are
        // graded again instead of repeated. They had a larger CPU budget, but grading
        // compares the CPU used with the real limit.
        let reused = reference_runs
            .filter(|runs| runs.binary == *binary && !stop_early)
            .map(|runs| runs.outcomes)
            .unwrap_or_default();
        let outcomes = self.run_cases(problem, binary, &cases, &answers, reused, stop_early);
        let outcomes: Vec<Option<std::io::Result<Outcome>>> = outcomes
            .into_iter()
            .map(|o| {
                o.or_else(|| {
                    (!stop_early).then(|| Err(std::io::Error::other("the case was not run")))
                })
            })
            .collect();
        let (cases, outcomes): (Vec<&Case>, Vec<std::io::Result<Outcome>>) = cases
            .into_iter()
            .zip(outcomes)
            .filter_map(|(c, o)| o.map(|o| (c, o)))
            .unzip();
        let mut custom = if problem.checker.kind == CheckerKind::Custom {
            self.custom_check(problem, &cases, &outcomes, &answers)?
        } else {
            HashMap::new()
        };
        let mut graded: HashMap<String, CaseReport> = HashMap::new();
        for (case, outcome) in cases.iter().zip(outcomes) {
            let visible = mode == Mode::Run
                || problem.reveal_hidden
                || problem.samples.iter().any(|s| s.name == case.name);
            let expected = answers.expected(&case.name);
            let judged = Judged {
                expected: &expected,
                outcome,
                custom: custom.remove(&case.name),
            };
            let mut report = grade(problem, case, judged, visible);
            if !visible
                && self.hidden_details.unwrap_or(problem.hidden_details) == HiddenDetails::Verdict
            {
                withhold(&mut report);
            }
            graded.insert(case.name.clone(), report);
        }
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
                    let cases: Vec<CaseReport> = g
                        .cases
                        .iter()
                        .filter_map(|c| graded.remove(&c.name))
                        .collect();
                    let verdict = Report::overall(&cases, &[]);
                    let complete = cases.len() == g.cases.len();
                    let score = if verdict == Verdict::AC && complete {
                        g.points
                    } else {
                        0
                    };
                    GroupReport {
                        name: g.name.clone(),
                        verdict,
                        score,
                        max_score: g.points,
                        cases,
                    }
                })
                .collect(),
        };
        let verdict = Report::overall(&samples, &groups);
        Ok(Report {
            schema: crate::report::SCHEMA_VERSION,
            problem: problem.id.clone(),
            mode: mode_name(mode).to_string(),
            verdict,
            score: groups.iter().map(|g| g.score).sum(),
            max_score: if mode == Mode::Submit {
                problem.max_score()
            } else {
                0
            },
            compile,
            groups,
            samples,
            warnings: crate::sandbox::layers::missing_isolation(),
            cached: false,
        })
    }

    /// Each case's outcome, in order: from `reused` where it holds the case, else run (in
    /// parallel; with `stop_early`, cases after a plain failure are not started: `None`).
    fn run_cases(
        &self,
        problem: &Problem,
        binary: &Path,
        cases: &[&Case],
        answers: &Answers,
        mut reused: HashMap<String, Outcome>,
        stop_early: bool,
    ) -> Vec<Option<std::io::Result<Outcome>>> {
        let pending: Vec<&Case> = cases
            .iter()
            .copied()
            .filter(|c| !reused.contains_key(&c.name))
            .collect();
        let total = cases.len();
        let finished = std::sync::atomic::AtomicUsize::new(total - pending.len());
        let statics = static_bytes(binary).filter(|b| *b > problem.limits.memory_mb << 20);
        let ran = if let Some(bytes) = statics {
            // It cannot even be loaded within the limit: every case is MLE, unrun.
            pending
                .iter()
                .map(|_| Some(Ok(unloadable(bytes))))
                .collect()
        } else {
            let inputs = pending.iter().map(|c| runner::case_input(c)).collect();
            let limits = runner::run_limits(&problem.limits, 1);
            runner::run_until(binary, inputs, limits, self.jobs, &self.cache, |i, o| {
                let done = finished.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                if let Some(progress) = &self.progress {
                    progress(done, total);
                }
                let longest = answers.longest(problem, &pending[i].name);
                if let Ok(o) = o {
                    drop_overlong_answer(o, longest);
                }
                stop_early && plainly_failed(problem, &answers.expected(&pending[i].name), o)
            })
        };
        let mut ran = ran.into_iter();
        cases
            .iter()
            .map(|c| match reused.remove(&c.name) {
                Some(outcome) => Some(Ok(outcome)),
                None => ran.next().flatten(),
            })
            .collect()
    }

    fn build(&self, problem: &Problem, source: &str, path: &Path) -> Result<Build, Error> {
        let file_name = box_file_name(path);
        let mut build = self.compile_entry(
            problem,
            Entry::Solution,
            source,
            &file_name,
            &self.compile_limits,
        )?;
        if build.program.is_none() && build.stderr.contains(harness::HARNESS_FILE) {
            build.stderr.push_str(&format!(
                "\nnote: the judge calls your function as `{}`; check that it is defined with exactly this name and signature (a solution must not define `main`).\n",
                problem.signature
            ));
        }
        Ok(build)
    }

    /// The expected answer of every case, keyed by case name.
    pub fn answers(&self, problem: &Problem, reference: &Path) -> Result<Answers, Error> {
        self.answers_and_runs(problem, reference)
            .map(|(answers, _)| answers)
    }

    /// The expected answers, and the reference's runs when it had to make them just now.
    fn answers_and_runs(
        &self,
        problem: &Problem,
        reference: &Path,
    ) -> Result<(Answers, Option<ReferenceRuns>), Error> {
        let all: Vec<&Case> = problem.cases().collect();
        let mut answers = Answers::default();
        for case in &all {
            if let Some(e) = &case.expected {
                answers.insert(case.name.clone(), e);
            }
        }
        let missing: Vec<&Case> = all
            .iter()
            .copied()
            .filter(|c| c.expected.is_none())
            .collect();
        if missing.is_empty() {
            return Ok((answers, None));
        }
        let source = std::fs::read_to_string(reference).map_err(|e| {
            Error::Judge(format!(
                "cannot read the reference {}: {e}",
                reference.display()
            ))
        })?;
        let key = digest(&[
            &problem.source_digest_input,
            source.as_bytes(),
            self.toolchain.key.as_bytes(),
        ]);
        let entry = format!("answers/{}-{}.json", problem.id, &key[..24]);
        if let Some(cached) = self
            .cache
            .read(&entry)
            .and_then(|b| serde_json::from_slice::<HashMap<String, Box<RawValue>>>(&b).ok())
        {
            if missing.iter().all(|c| cached.contains_key(&c.name)) {
                answers.0.extend(cached);
                return Ok((answers, None));
            }
        }
        let (computed, runs) = self.reference_answers(problem, reference, &source, &missing)?;
        let bytes = serde_json::to_vec(&computed.0).map_err(|e| Error::Judge(e.to_string()))?;
        self.cache
            .write(&entry, &bytes)
            .map_err(|e| Error::Judge(format!("cannot write the answer cache: {e}")))?;
        answers.0.extend(computed.0);
        Ok((answers, Some(runs)))
    }

    /// The reference's program; that it does not compile is the problem's fault.
    fn reference_binary(
        &self,
        problem: &Problem,
        path: &Path,
        source: &str,
    ) -> Result<Program, Error> {
        let build = self.build(problem, source, path)?;
        build.program.ok_or_else(|| {
            Error::Judge(format!(
                "the reference {} does not compile:\n{}",
                path.display(),
                build.stderr
            ))
        })
    }

    fn reference_answers(
        &self,
        problem: &Problem,
        path: &Path,
        source: &str,
        cases: &[&Case],
    ) -> Result<(Answers, ReferenceRuns), Error> {
        let program = self.reference_binary(problem, path, source)?;
        let binary = program.path.clone();
        let outcomes = runner::run_all(
            &binary,
            cases.iter().map(|c| runner::case_input(c)).collect(),
            runner::run_limits(&problem.limits, REFERENCE_TIME_SCALE),
            self.jobs,
            &self.cache,
        );
        let mut answers = Answers::default();
        let mut runs = HashMap::new();
        for (case, outcome) in cases.iter().zip(outcomes) {
            let fail = |why: String| {
                Error::Judge(format!(
                    "the reference failed on case {} ({}:{}): {why}",
                    case.name,
                    case.origin.file.display(),
                    case.origin.line
                ))
            };
            let outcome = outcome.map_err(|e| fail(e.to_string()))?;
            let answer = read_answer(
                problem,
                &outcome,
                problem.limits.time_ms * REFERENCE_TIME_SCALE,
            )
            .map_err(|(v, why)| fail(format!("{}: {why}", v.code())))?;
            answers.insert(case.name.clone(), &answer);
            runs.insert(case.name.clone(), outcome);
        }
        Ok((
            answers,
            ReferenceRuns {
                binary,
                outcomes: runs,
            },
        ))
    }
}

impl Engine {
    /// Runs the problem's custom checker on every case that produced a well-formed answer.
    /// Per case: `Ok(None)` accepted, `Ok(Some(why))` rejected, `Err(why)` the checker failed.
    fn custom_check(
        &self,
        problem: &Problem,
        cases: &[&Case],
        outcomes: &[std::io::Result<Outcome>],
        answers: &Answers,
    ) -> Result<HashMap<String, CheckerResult>, Error> {
        let mut names = Vec::new();
        let mut inputs = Vec::new();
        for (case, outcome) in cases.iter().zip(outcomes) {
            let Some(answer) = outcome
                .as_ref()
                .ok()
                .and_then(|o| read_answer(problem, o, problem.limits.time_ms).ok())
            else {
                continue;
            };
            let mut args = case.arguments().map_err(|e| {
                Error::Judge(format!("cannot read the input of {}: {e}", case.name))
            })?;
            args.push(answer);
            args.push(answers.expected(&case.name));
            names.push(case.name.clone());
            inputs.push(Input::Bytes(
                serde_json::to_vec(&args).map_err(|e| Error::Judge(e.to_string()))?,
            ));
        }
        if inputs.is_empty() {
            return Ok(HashMap::new());
        }
        let checker = self.checker_binary(problem)?;
        let outcomes = runner::run_all(
            &checker.path,
            inputs,
            runner::run_limits(&problem.limits, REFERENCE_TIME_SCALE),
            self.jobs,
            &self.cache,
        );
        Ok(names
            .into_iter()
            .zip(outcomes)
            .map(|(name, o)| (name, checker_result(o)))
            .collect())
    }

    fn checker_binary(&self, problem: &Problem) -> Result<Program, Error> {
        let (path, build) = self.build_problem_file(problem, Entry::Checker, CHECKER_FILE)?;
        build.program.ok_or_else(|| {
            Error::Judge(format!(
                "the checker {} does not compile (it must define `{}`):\n{}",
                path.display(),
                crate::problem::types::checker_signature(&problem.signature),
                build.stderr
            ))
        })
    }

    /// Builds the problem's own `file` (its generator or checker) as `entry`.
    fn build_problem_file(
        &self,
        problem: &Problem,
        entry: Entry,
        file: &str,
    ) -> Result<(PathBuf, Build), Error> {
        let path = problem.dir.join(file);
        let source = read_problem_file(&path)?;
        let build = self.compile_entry(problem, entry, &source, file, &CompileLimits::default())?;
        Ok((path, build))
    }

    /// Compiles `source`, `entry` of `problem`, against the problem's harness library when
    /// the source allows it (`harness::links_library`), else as one whole crate.
    fn compile_entry(
        &self,
        problem: &Problem,
        entry: Entry,
        source: &str,
        file_name: &str,
        limits: &CompileLimits,
    ) -> Result<Build, Error> {
        let (root, linked) = entry_root(problem, entry, source, file_name);
        let library = if linked {
            Some(self.toolchain.library(&library_source(problem))?)
        } else {
            None
        };
        Ok(self
            .toolchain
            .compile(&root, source, file_name, limits, library.as_deref())?)
    }
}

/// What a report says of a build.
fn compile_report(build: &Build) -> CompileReport {
    CompileReport {
        ok: build.program.is_some(),
        time_ms: build.time_ms,
        cached: build.cached,
        stderr: build.stderr.clone(),
    }
}

/// What one judging is of: every step of it (report key, cache, judging afresh) needs it all.
#[derive(Clone, Copy)]
struct Judging<'a> {
    problem: &'a Problem,
    reference: &'a Path,
    source: &'a str,
    /// The file `source` is judged as: its name is the one the compiler's messages show.
    solution: &'a Path,
    mode: Mode,
    /// Stop starting cases after the first plain failure (verify's known submissions).
    stop_early: bool,
}

/// The runs in which the reference made the answers: its binary and each case's outcome.
struct ReferenceRuns {
    binary: PathBuf,
    outcomes: HashMap<String, Outcome>,
}

/// Whether a run failed in a way seen without the custom checker (which runs in a batch
/// afterwards): no answer, or an answer the built-in checker rejects.
fn plainly_failed(problem: &Problem, expected: &Json, outcome: &std::io::Result<Outcome>) -> bool {
    let Ok(o) = outcome else {
        return true;
    };
    match read_answer(problem, o, problem.limits.time_ms) {
        Err(_) => true,
        Ok(answer) => {
            problem.checker.kind != CheckerKind::Custom
                && checker::compare(expected, &answer, &problem.checker).is_err()
        }
    }
}

/// What a custom checker said of one answer; see `Engine::custom_check`.
type CheckerResult = Result<Option<String>, String>;

fn checker_result(outcome: std::io::Result<Outcome>) -> CheckerResult {
    let o = outcome.map_err(|e| e.to_string())?;
    let stderr = String::from_utf8_lossy(&o.stderr);
    if o.exit != Exit::Code(0) || o.wall_exceeded || o.output_exceeded {
        let why = panic_message(&o.stderr).unwrap_or_else(|| stderr.trim().to_string());
        return Err(format!("{:?}: {why}", o.exit));
    }
    match serde_json::from_slice::<Json>(&o.answer) {
        Ok(Json::Null) => Ok(None),
        Ok(Json::String(why)) => Ok(Some(why)),
        _ => Err("it wrote no verdict".into()),
    }
}

/// One case's run, its expected answer, and the custom checker's word if there is one.
struct Judged<'a> {
    expected: &'a Json,
    outcome: std::io::Result<Outcome>,
    custom: Option<CheckerResult>,
}

impl Engine {
    /// The problem with every generated case's arguments filled in (made once per
    /// generator version, seed and size, then read from the cache).
    pub fn prepare<'p>(&self, problem: &'p Problem) -> Result<Cow<'p, Problem>, Error> {
        let pending = || {
            problem
                .cases()
                .filter(|c| c.generate.is_some() && c.input.is_none())
        };
        if pending().next().is_none() {
            return Ok(Cow::Borrowed(problem));
        }
        let source = read_problem_file(&problem.dir.join(GENERATOR_FILE))?;
        let signature = Entry::Generator.signature(&problem.signature);
        let key = digest(&[
            source.as_bytes(),
            self.toolchain.key.as_bytes(),
            signature.to_string().as_bytes(),
        ]);
        let entry = |g: &Generate| {
            format!(
                "inputs/{}-{}/{}-{}.stdin",
                problem.id,
                &key[..24],
                g.seed,
                g.size
            )
        };
        let mut todo: Vec<Generate> = Vec::new();
        for g in pending().filter_map(|c| c.generate) {
            if !self.cache.hit(&entry(&g)) && !todo.contains(&g) {
                todo.push(g);
            }
        }
        if !todo.is_empty() {
            let outputs = self.run_generator(problem, &todo)?;
            for (g, stdin) in todo.iter().zip(outputs) {
                self.cache
                    .write(&entry(g), &stdin)
                    .map_err(|e| Error::Judge(format!("cannot write the input cache: {e}")))?;
            }
        }
        let mut filled = problem.clone();
        for case in filled.cases_mut() {
            if let Some(g) = case.generate {
                case.input = Some(self.cache.path(&entry(&g)));
            }
        }
        Ok(Cow::Owned(filled))
    }

    /// Runs the problem's generator once per entry of `todo` (not cached); each output is
    /// checked to be JSON and returned as a case's stdin (a JSON array of the arguments).
    fn run_generator(&self, problem: &Problem, todo: &[Generate]) -> Result<Vec<Vec<u8>>, Error> {
        let (path, build) = self.build_problem_file(problem, Entry::Generator, GENERATOR_FILE)?;
        let generator = build.program.ok_or_else(|| {
            Error::Judge(format!(
                "{} does not compile:\n{}",
                path.display(),
                build.stderr
            ))
        })?;
        let inputs = todo
            .iter()
            .map(|g| Input::Bytes(serde_json::to_vec(&[g.seed, g.size]).unwrap_or_default()))
            .collect();
        let limits = RunLimits {
            cpu_ms: 20_000,
            wall_ms: 60_000,
            address_space: 4 << 30,
            output_bytes: 1 << 30,
            file_bytes: 0,
            memory_bytes: 4 << 30,
            processes: runner::BOX_PROCESSES,
            disk: Some(runner::disk(16)),
        };
        let outcomes = runner::run_all(&generator.path, inputs, limits, self.jobs, &self.cache);
        let mut made = Vec::with_capacity(todo.len());
        for (g, outcome) in todo.iter().zip(outcomes) {
            let fail = |why: String| {
                Error::Judge(format!(
                    "{} failed for seed {} size {}: {why}",
                    path.display(),
                    g.seed,
                    g.size
                ))
            };
            let o = outcome.map_err(|e| fail(e.to_string()))?;
            if o.exit != Exit::Code(0) {
                let why = panic_message(&o.stderr)
                    .unwrap_or_else(|| String::from_utf8_lossy(&o.stderr).trim().to_string());
                return Err(fail(format!("{:?}: {why}", o.exit)));
            }
            let bytes = &o.answer[..];
            // The harness wrote it from a value of the arguments' exact types (a generator of
            // any other type does not compile), so being JSON is all there is to check; a
            // parsed tree of a large case would cost the judge ten times its size.
            serde_json::from_slice::<serde::de::IgnoredAny>(bytes)
                .map_err(|e| fail(format!("its output is not JSON: {e}")))?;
            // One argument: the output is that argument, and stdin is the list of it.
            made.push(if problem.signature.args.len() == 1 {
                [b"[", bytes, b"]"].concat()
            } else {
                bytes.to_vec()
            });
        }
        Ok(made)
    }

    /// Generates the arguments of ad-hoc cases (for stress testing): not cached.
    pub fn generate(&self, problem: &Problem, todo: &[Generate]) -> Result<Vec<Vec<Json>>, Error> {
        self.run_generator(problem, todo)?
            .into_iter()
            .map(|stdin| {
                serde_json::from_slice(&stdin)
                    .map_err(|e| Error::Judge(format!("a generated case does not read back: {e}")))
            })
            .collect()
    }

    /// Checks that the generator makes the same case twice from the same seed and size, in
    /// two processes: `Err` names the first case that came out differently.
    pub fn check_generator(&self, problem: &Problem) -> Result<Result<(), String>, Error> {
        let Some(case) = problem
            .cases()
            .filter(|c| c.generate.is_some())
            .min_by_key(|c| c.generate.map(|g| g.size))
        else {
            return Ok(Ok(()));
        };
        let g = case.generate.expect("filtered on generate");
        // A small size exercises the same code as a large one, at a fraction of the cost.
        let g = Generate {
            size: g.size.min(1000),
            ..g
        };
        let twice = self.run_generator(problem, &[g, g])?;
        if twice[0] == twice[1] {
            return Ok(Ok(()));
        }
        Ok(Err(format!(
            "{}: two runs for seed {} size {} (case {}, {}:{}) made two different cases\n  help: a generator must draw every random number from `judge_rt::Rng::new(seed)`, never from the clock, a HashMap's iteration order or addresses",
            problem.dir.join(GENERATOR_FILE).display(),
            g.seed,
            g.size,
            case.name,
            case.origin.file.display(),
            case.origin.line
        )))
    }
}

/// The samples' expected answers: stored ones, else the reference's (which needs an engine,
/// made only then).
pub fn sample_answers(
    problem: &Problem,
    engine: impl FnOnce() -> Result<Engine, Error>,
) -> Result<HashMap<String, Json>, Error> {
    if problem.samples.iter().all(|c| c.expected.is_some()) {
        return Ok(problem
            .samples
            .iter()
            .filter_map(|c| Some((c.name.clone(), c.expected.clone()?)))
            .collect());
    }
    // Every case's answer is worked out (and cached for the judging that follows), so
    // generated cases must be made first.
    let engine = engine()?;
    let prepared = engine.prepare(problem)?;
    let answers = engine.answers(&prepared, &problem.reference_path())?;
    Ok(problem
        .samples
        .iter()
        .filter_map(|c| Some((c.name.clone(), answers.get(&c.name)?)))
        .collect())
}

/// This judge build: its version, and its executable's size and time, so that a rebuilt judge
/// (which may judge differently) never reuses an older one's reports.
fn judge_identity() -> String {
    let exe = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| format!("{} {:?}", m.len(), m.modified().ok()))
        .unwrap_or_default();
    format!("{} {exe}", env!("CARGO_PKG_VERSION"))
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
    }
}

/// The crate root for `source`, `entry` of `problem`, and whether it links the problem's
/// harness library (see `harness::links_library`).
fn entry_root(problem: &Problem, entry: Entry, source: &str, file_name: &str) -> (String, bool) {
    let linked = harness::links_library(&problem.records, source);
    let root = harness::root(
        entry,
        &problem.signature,
        &problem.records,
        file_name,
        linked,
    );
    (root, linked)
}

/// The source of the problem's harness library: an entry for solutions, and for the
/// generator and custom checker where the problem has them. Decided by the problem's files,
/// not its cases, so that a practice run (samples only) shares the library of a submit.
fn library_source(problem: &Problem) -> String {
    let mut entries = vec![Entry::Solution];
    if problem.dir.join(GENERATOR_FILE).is_file() {
        entries.push(Entry::Generator);
    }
    if problem.checker.kind == CheckerKind::Custom {
        entries.push(Entry::Checker);
    }
    harness::library(&problem.signature, &problem.records, &entries)
}

/// A generator's file name in its problem folder.
pub const GENERATOR_FILE: &str = "generator.rs";

/// A file of the problem's own (its generator or checker).
fn read_problem_file(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path)
        .map_err(|e| Error::Judge(format!("cannot read {}: {e}", path.display())))
}

fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Submit => "submit",
        Mode::Run => "run",
    }
}

fn compile_error_report(problem: &Problem, mode: Mode, compile: CompileReport) -> Report {
    let groups = match mode {
        Mode::Run => Vec::new(),
        Mode::Submit => problem
            .groups
            .iter()
            .map(|g| GroupReport {
                name: g.name.clone(),
                verdict: Verdict::CE,
                score: 0,
                max_score: g.points,
                cases: Vec::new(),
            })
            .collect(),
    };
    Report {
        schema: crate::report::SCHEMA_VERSION,
        problem: problem.id.clone(),
        mode: mode_name(mode).to_string(),
        verdict: Verdict::CE,
        score: 0,
        max_score: if mode == Mode::Submit {
            problem.max_score()
        } else {
            0
        },
        compile,
        groups,
        samples: Vec::new(),
        warnings: crate::sandbox::layers::missing_isolation(),
        cached: false,
    }
}

/// The solution's file name as the compiler will show it: the user's own name where it is
/// a plain Rust file name, so rustc's messages point at the file they edit.
fn box_file_name(path: &Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let plain = name.ends_with(".rs")
        && name.len() > 3
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if plain && name != harness::HARNESS_FILE {
        name.to_string()
    } else {
        "solution.rs".to_string()
    }
}

/// Turns a run into the answer it gave, or the verdict that explains why there is none.
/// Every fact it decides by is the judge's own (exit status, CPU time, the cgroup's memory
/// account, the box's disk, the output's size), never something the program wrote, except
/// the answer itself and one claim: an abort whose message says an allocation failed is
/// MLE, not RE (both fail; the address-space limit leaves no other trace).
fn read_answer(problem: &Problem, o: &Outcome, time_ms: u64) -> Result<Json, (Verdict, String)> {
    let limits = &problem.limits;
    if o.output_exceeded {
        return Err((
            Verdict::OLE,
            format!("printed more than {} KiB", limits.output_kb),
        ));
    }
    if o.wall_exceeded {
        return Err((
            Verdict::TLE,
            format!(
                "still running after {} ms of wall-clock time (CPU {} ms)",
                o.wall_ms, o.cpu_ms
            ),
        ));
    }
    if o.exit == Exit::Signal(libc::SIGXFSZ) {
        return Err((Verdict::OLE, disk_message(limits)));
    }
    if o.cpu_ms > time_ms || o.exit == Exit::Signal(libc::SIGXCPU) {
        return Err((
            Verdict::TLE,
            format!(
                "used {} ms of CPU time; the limit is {} ms",
                o.cpu_ms, time_ms
            ),
        ));
    }
    if o.memory_exceeded || peak_kb(o) > limits.memory_mb * 1024 || allocation_failed(o) {
        return Err((
            Verdict::MLE,
            format!(
                "used more than the {} MiB memory limit (peak {} MiB)",
                limits.memory_mb,
                peak_kb(o) / 1024
            ),
        ));
    }
    if o.disk_full && o.exit != Exit::Code(0) {
        return Err((Verdict::OLE, disk_message(limits)));
    }
    let stderr = String::from_utf8_lossy(&o.stderr);
    match o.exit {
        Exit::Code(0) => {}
        Exit::Code(101) => return Err((Verdict::RE, "panicked".into())),
        Exit::Code(c) => return Err((Verdict::RE, format!("exited with code {c}"))),
        Exit::Signal(s) if s == libc::SIGABRT && stderr.contains("overflowed its stack") => {
            return Err((Verdict::RE, "stack overflow".into()))
        }
        Exit::Signal(s) => {
            return Err((
                Verdict::RE,
                format!("killed by signal {s} ({})", signal_name(s)),
            ))
        }
    }
    if (o.answer.len() as u64) < o.answer_bytes {
        // Dropped on arrival (`drop_overlong_answer`), never parsed: a wrong answer of
        // millions of elements would cost the judge many times its size as a tree.
        return Err((
            Verdict::WA,
            format!(
                "the answer is far longer than the expected one ({} bytes)",
                o.answer_bytes
            ),
        ));
    }
    if o.answer.is_empty() {
        return Err((Verdict::RE, "exited without returning an answer".into()));
    }
    let answer: Json = serde_json::from_slice(&o.answer)
        .map_err(|_| (Verdict::WA, "the answer could not be read".to_string()))?;
    value::check_json(&answer, &problem.signature.ret, problem)
        .map_err(|e| (Verdict::WA, format!("malformed answer: {e}")))?;
    Ok(answer)
}

/// The most bytes an answer the built-in checker could accept takes, given the expected
/// one's length in compact JSON: equal values print alike, and within a tolerance a number
/// prints in at most 24 bytes where the expected one took at least 1. Custom checkers
/// decide for themselves.
fn longest_right_answer(problem: &Problem, expected_len: usize) -> Option<usize> {
    (problem.checker.kind != CheckerKind::Custom)
        .then(|| expected_len.saturating_mul(32).saturating_add(4096))
}

/// Drops an answer that cannot be right for its length as soon as its run ends, so that a
/// submission answering megabytes on every case never has them all held at once.
/// `read_answer` then sees fewer kept bytes than were written and says why.
fn drop_overlong_answer(o: &mut Outcome, longest: Option<usize>) {
    if longest.is_some_and(|most| o.answer_bytes > most as u64) {
        o.answer = Vec::new();
    }
}

fn disk_message(limits: &crate::problem::spec::Limits) -> String {
    format!(
        "filled the {} MiB disk a case may write to (its work dir and /tmp)",
        limits.disk_mb
    )
}

/// Rust's allocation failure handler prints this and aborts; with an address-space limit,
/// an allocation past it fails at once and leaves no other sign.
fn allocation_failed(o: &Outcome) -> bool {
    o.exit == Exit::Signal(libc::SIGABRT) && {
        let stderr = String::from_utf8_lossy(&o.stderr);
        stderr.contains("memory allocation of") && stderr.contains("failed")
    }
}

/// Peak memory of the whole box (every process of it), from its cgroup; 0 where there are
/// no cgroups (doctor and every report say memory is not measured then). Never a figure
/// the program reports itself: that would let it hide its use, or carry data out.
fn peak_kb(o: &Outcome) -> u64 {
    o.cgroup_peak_bytes.map_or(0, |b| b / 1024)
}

/// A hidden case reduced to its name and verdict.
fn withhold(report: &mut CaseReport) {
    report.time_ms = 0;
    report.memory_kb = 0;
    report.message = None;
    report.withheld = true;
}

fn signal_name(s: i32) -> &'static str {
    match s {
        libc::SIGABRT => "SIGABRT, an abort",
        libc::SIGSEGV => "SIGSEGV, a memory fault",
        libc::SIGKILL => "SIGKILL",
        libc::SIGFPE => "SIGFPE, an arithmetic fault",
        libc::SIGBUS => "SIGBUS",
        libc::SIGILL => "SIGILL",
        _ => "a signal",
    }
}

fn grade(problem: &Problem, case: &Case, judged: Judged<'_>, visible: bool) -> CaseReport {
    let Judged {
        expected,
        outcome,
        custom,
    } = judged;
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
    };
    let o = match outcome {
        Ok(o) => o,
        Err(e) => {
            report.verdict = Verdict::JE;
            report.message = Some(format!("the judge could not run the case: {e}"));
            return report;
        }
    };
    report.time_ms = o.cpu_ms;
    report.memory_kb = peak_kb(&o);
    match read_answer(problem, &o, problem.limits.time_ms) {
        Err((verdict, why)) => {
            report.verdict = verdict;
            let detail = if visible && verdict == Verdict::RE {
                panic_message(&o.stderr)
            } else {
                None
            };
            report.message = Some(match detail {
                Some(d) => format!("{why}: {d}"),
                None => why,
            });
        }
        Ok(_) if matches!(custom, Some(Err(_))) => {
            let why = custom.and_then(Result::err).unwrap_or_default();
            report.verdict = Verdict::JE;
            report.message = Some(format!("the problem's checker failed: {why}"));
        }
        Ok(answer) if custom.is_some() => {
            if let Some(why) = custom.and_then(Result::ok).flatten() {
                report.verdict = Verdict::WA;
                // Many answers are right, so a diff against the reference's would mislead:
                // the checker's reason and the answer itself say more.
                report.message = Some(if visible {
                    format!(
                        "wrong answer: {why}\nthe answer was: {}",
                        value::render_short(&answer, SHOWN_OUTPUT_BYTES)
                    )
                } else {
                    "wrong answer".to_string()
                });
            }
        }
        Ok(answer) => {
            if let Err(m) = checker::compare(expected, &answer, &problem.checker) {
                report.verdict = Verdict::WA;
                report.message = Some(if visible {
                    let at = if m.path.is_empty() {
                        String::new()
                    } else {
                        format!(" at {}", m.path)
                    };
                    format!("wrong answer{at}: {}", m.detail)
                } else {
                    "wrong answer".to_string()
                });
                if visible {
                    report.diff = Some(crate::report::diff_values(expected, &answer));
                }
            }
        }
    }
    if visible && report.verdict != Verdict::AC {
        report.input = Some(render_input(problem, case));
        report.output = shown_output(&o);
    }
    report
}

fn render_input(problem: &Problem, case: &Case) -> String {
    let args = case.arguments().unwrap_or_default();
    problem
        .signature
        .args
        .iter()
        .zip(&args)
        .map(|((name, _), v)| format!("{name} = {}", value::render(v)))
        .collect::<Vec<_>>()
        .join("\n")
}

fn panic_message(stderr: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(stderr);
    let line = text
        .lines()
        .find(|l| l.contains("panicked at"))
        .map(str::to_string)?;
    let mut lines = text
        .lines()
        .skip_while(|l| !l.contains("panicked at"))
        .skip(1);
    Some(match lines.next() {
        Some(msg) if !msg.starts_with("note:") => format!("{line} {msg}"),
        _ => line,
    })
}

fn shown_output(o: &Outcome) -> Option<String> {
    let text =
        String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
    if text.trim().is_empty() {
        return None;
    }
    Some(shorten(&text, SHOWN_OUTPUT_BYTES, "\n[... cut]"))
}

/// `text` cut to at most `max` bytes (on a character boundary), with `marker` when cut.
fn shorten(text: &str, max: usize, marker: &str) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut cut = max;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{marker}", &text[..cut])
}
