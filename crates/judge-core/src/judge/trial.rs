//! Judging inputs that are not the problem's cases against the reference: what `judge
//! stress` runs, over random cases and then over ever smaller ones while it shrinks one.

use std::path::Path;

use serde_json::Value as Json;

use super::compile::{compile_report, limits_for};
use super::grade::{grade, Judged, Shown};
use super::verdict::read_answer;
use super::{runner, Answers, Engine, JudgeError, REFERENCE_TIME_SCALE};
use crate::build::launch::Launch;
use crate::build::toolchain::Program;
use crate::problem::spec::CheckerKind;
use crate::problem::spec::{Case, Limits, Origin, Problem};
use crate::report::{CaseReport, CompileReport, InputReport, Verdict};
use judge_sandbox::Cancel;

/// The solution and the reference, compiled once for many trials.
pub struct Contestants {
    /// Keeps a binary too large to cache alive while `launch` names it.
    _solution: Program,
    /// How a box starts the solution (a binary, or Python's interpreter and harness).
    launch: Launch,
    reference: Program,
}

/// What one input came to.
#[derive(Debug)]
pub enum Trial {
    /// The reference failed on it (the input breaks the problem's rules), with why.
    Invalid(String),
    Pass,
    /// The solution's verdict on it, with the message, diff and input.
    Fail(CaseReport),
}

impl Engine {
    /// Compiles both programs; `Ok(Err(_))` when the solution does not compile.
    pub fn contestants(
        &self,
        problem: &Problem,
        solution: &Path,
        reference: &Path,
    ) -> Result<Result<Contestants, CompileReport>, JudgeError> {
        let source =
            std::fs::read_to_string(solution).map_err(|source| JudgeError::ReadSolution {
                path: solution.to_path_buf(),
                source,
            })?;
        let build = self.build(problem, &source, solution, &Cancel::default(), &|| {})?;
        let Some(program) = build.program else {
            return Ok(Err(compile_report(&build)));
        };
        let launch = self.launch_of(problem, solution, &program.path)?;
        let reference = self.reference_program(problem, reference, &Cancel::default())?;
        Ok(Ok(Contestants {
            _solution: program,
            launch,
            reference,
        }))
    }

    /// Runs the reference, then the solution, on every input, and grades the solution's
    /// answers with the problem's checker.
    pub fn trial(
        &self,
        problem: &Problem,
        c: &Contestants,
        inputs: &[Vec<Json>],
    ) -> Result<Vec<Trial>, JudgeError> {
        let never = Cancel::default();
        let cases: Vec<Case> = inputs
            .iter()
            .enumerate()
            .map(|(i, args)| Case {
                name: format!("stress-{}", i + 1),
                args: args.clone(),
                generate: None,
                input: None,
                expected: None,
                origin: Origin {
                    file: problem.dir.join("generator.rs"),
                    line: 0,
                },
            })
            .collect();
        let encoded = |cs: &[&Case]| cs.iter().map(|c| runner::case_input(c)).collect();
        let all: Vec<&Case> = cases.iter().collect();
        let reference_runs = runner::run_all(
            &c.reference.path,
            encoded(&all),
            runner::run_limits(&problem.limits, REFERENCE_TIME_SCALE),
            self.runs(&never),
        );
        let mut results: Vec<Option<Trial>> = Vec::with_capacity(cases.len());
        let mut answers = Answers::default();
        let mut valid: Vec<&Case> = Vec::new();
        for (case, run) in cases.iter().zip(reference_runs) {
            let answer = run.map_err(|e| (Verdict::JE, e.to_string())).and_then(|o| {
                read_answer(problem, &o, problem.limits.time_ms * REFERENCE_TIME_SCALE)
            });
            match answer {
                Ok(a) => {
                    answers.insert(case.name.clone(), &a);
                    valid.push(case);
                    results.push(None);
                }
                Err((v, why)) => results.push(Some(Trial::Invalid(format!("{}: {why}", v.code())))),
            }
        }
        let problem = &*limits_for(problem, &c.launch);
        let runs = runner::run_all_launched(
            &c.launch,
            encoded(&valid),
            runner::run_limits(&problem.limits, 1),
            self.runs(&never),
        );
        let mut custom = if problem.checker.kind == CheckerKind::Custom {
            self.custom_check(problem, &valid, &runs, &answers, &never)?
        } else {
            std::collections::HashMap::new()
        };
        let mut graded = std::collections::HashMap::new();
        for (case, outcome) in valid.iter().zip(runs) {
            let expected = answers.expected(&case.name);
            let judged = Judged {
                expected: &expected,
                outcome: &outcome,
                custom: custom.remove(&case.name),
            };
            let report = grade(problem, case, judged, Shown::All);
            graded.insert(case.name.clone(), report);
        }
        Ok(cases
            .iter()
            .zip(results)
            .map(|(case, r)| {
                r.unwrap_or_else(|| match graded.remove(&case.name) {
                    Some(report) if report.verdict == Verdict::AC => Trial::Pass,
                    Some(report) => Trial::Fail(report),
                    None => Trial::Invalid("not run".into()),
                })
            })
            .collect())
    }
}

impl Engine {
    /// A practice run on one input of the candidate's own: the reference's answer made
    /// first (a failure there means the input breaks the problem's rules), then the
    /// solution's, graded against it with everything shown.
    pub fn try_input(
        &self,
        problem: &Problem,
        reference: &Path,
        source: &str,
        path: &Path,
        case: &Case,
    ) -> Result<InputReport, JudgeError> {
        let never = Cancel::default();
        let build = self.build(problem, source, path, &never, &|| {})?;
        let mut report = InputReport {
            schema: crate::report::SCHEMA_VERSION,
            problem: problem.id.clone(),
            mode: "input".into(),
            input: super::grade::render_input(problem, case),
            compile: compile_report(&build),
            invalid: None,
            case: None,
            answer: None,
            expected: None,
        };
        let Some(solution) = build.program else {
            return Ok(report);
        };
        let launch = self.launch_of(problem, path, &solution.path)?;
        let reference = self.reference_program(problem, reference, &never)?;
        let run = |binary: &Launch, limits: &Limits, scale: u64| {
            runner::run_all_launched(
                binary,
                vec![runner::case_input(case)],
                runner::run_limits(limits, scale),
                self.runs(&never),
            )
            .pop()
            .unwrap_or_else(|| Err(std::io::Error::other("the case was not run")))
        };
        let made = run(
            &Launch::binary(&reference.path),
            &problem.limits,
            REFERENCE_TIME_SCALE,
        )
        .map_err(|e| (Verdict::JE, e.to_string()))
        .and_then(|o| read_answer(problem, &o, problem.limits.time_ms * REFERENCE_TIME_SCALE));
        let expected = match made {
            Ok(expected) => expected,
            Err((verdict, why)) => {
                report.invalid = Some(format!("the reference gets {}: {why}", verdict.code()));
                return Ok(report);
            }
        };
        // The solution is judged by its language's limits from here on.
        let problem = &*limits_for(problem, &launch);
        let outcome = run(&launch, &problem.limits, 1);
        let custom = if problem.checker.kind == CheckerKind::Custom {
            let mut answers = Answers::default();
            answers.insert(case.name.clone(), &expected);
            let outcomes = std::slice::from_ref(&outcome);
            self.custom_check(problem, &[case], outcomes, &answers, &never)?
                .remove(&case.name)
        } else {
            None
        };
        let judged = Judged {
            expected: &expected,
            outcome: &outcome,
            custom,
        };
        report.case = Some(grade(problem, case, judged, Shown::All));
        report.answer = outcome
            .as_ref()
            .ok()
            .and_then(|o| read_answer(problem, o, problem.limits.time_ms).ok());
        report.expected = Some(expected);
        Ok(report)
    }
}
