//! One judging, start to end: the report cache first, else compile, answers, the cases
//! run side by side and graded as each ends (or by the custom checker in one batch), the
//! groups scored, every step told as an `Event`.

use std::collections::HashMap;
use std::io;
use std::path::Path;

use super::answers::drop_overlong_answer;
use super::case_judging::{CaseJudging, FirstFailure};
use super::compile::{self, compile_error_report, compile_report};
use super::engine::{Engine, Request};
use super::events::{Event, Signals};
use super::grade::{plainly_failed, score_group};
use super::{runner, JudgeError};
use crate::build::launch::Launch;
use crate::problem::spec::{Case, CheckerKind, Problem};
use crate::report::{CaseReport, GroupReport, Mode, Report};
use judge_sandbox::{Exit, Outcome};

impl Engine {
    pub(super) fn judge_text(
        &self,
        request: Request<'_>,
        signals: Signals<'_>,
    ) -> Result<Report, JudgeError> {
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
