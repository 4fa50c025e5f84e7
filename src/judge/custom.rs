//! A problem's custom checker (`checker.rs`): built once, run in a box over every answer
//! that the built-in checks let through.

use std::collections::HashMap;
use std::io;

use super::grade::{checker_result, CheckerResult};
use super::verdict::read_answer;
use super::{runner, Answers, Engine, JudgeError, REFERENCE_TIME_SCALE};
use crate::build::harness::Entry;
use crate::build::toolchain::Program;
use crate::problem::spec::{Case, Problem, CHECKER_FILE};
use crate::sandbox::{Cancel, Input, Outcome};

impl Engine {
    /// Runs the problem's custom checker on every case that produced a well-formed answer.
    /// Per case: `Ok(None)` accepted, `Ok(Some(why))` rejected, `Err(why)` the checker failed.
    pub(super) fn custom_check(
        &self,
        problem: &Problem,
        cases: &[&Case],
        outcomes: &[io::Result<Outcome>],
        answers: &Answers,
        cancel: &Cancel,
    ) -> Result<HashMap<String, CheckerResult>, JudgeError> {
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
            let mut args = case.arguments().map_err(|e| JudgeError::CaseInput {
                case: case.name.clone(),
                why: e.to_string(),
            })?;
            args.push(answer);
            args.push(answers.expected(&case.name));
            names.push(case.name.clone());
            let encoded = serde_json::to_vec(&args).map_err(|source| JudgeError::Encode {
                what: "the checker's input",
                source,
            })?;
            inputs.push(Input::Bytes(encoded));
        }
        if inputs.is_empty() {
            return Ok(HashMap::new());
        }
        let checker = self.checker_binary(problem, cancel)?;
        let outcomes = runner::run_all(
            &checker.path,
            inputs,
            runner::run_limits(&problem.limits, REFERENCE_TIME_SCALE),
            self.runs(cancel),
        );
        Ok(names
            .into_iter()
            .zip(outcomes)
            .map(|(name, o)| (name, checker_result(o)))
            .collect())
    }

    fn checker_binary(&self, problem: &Problem, cancel: &Cancel) -> Result<Program, JudgeError> {
        let (path, build) =
            self.build_problem_file(problem, Entry::Checker, CHECKER_FILE, cancel)?;
        build
            .program
            .ok_or_else(|| JudgeError::CheckerDoesNotCompile {
                path,
                signature: crate::problem::types::checker_signature(&problem.signature),
                stderr: build.stderr,
            })
    }
}
