//! A problem's custom checker (`checker.rs`): built once, run in a box over every answer
//! that the built-in checks let through.

use std::collections::HashMap;
use std::io;

use super::grade::{checker_result, CheckerResult};
use super::verdict::{read_candidate, Answer};
use super::{runner, Answers, Engine, JudgeError, REFERENCE_TIME_SCALE};
use crate::build::harness::Entry;
use crate::build::toolchain::Program;
use crate::problem::spec::{Case, Problem, CHECKER_FILE};
use judge_sandbox::{Cancel, Input, Outcome};

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
            let Some((answer, o)) = outcome.as_ref().ok().and_then(|o| {
                let answer = read_candidate(problem, o, problem.limits.time_ms, None).ok()?;
                Some((answer, o))
            }) else {
                continue;
            };
            let args = case.arguments().map_err(|e| JudgeError::CaseInput {
                case: case.name.clone(),
                why: e.to_string(),
            })?;
            names.push(case.name.clone());
            let encoded = checker_input(args, answer, &o.answer, answers.expected(&case.name))
                .map_err(|source| JudgeError::Encode {
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

/// The checker's stdin: the case's arguments, the answer and the expected answer, as one
/// JSON list. A streamed answer goes in as the text it was (checked JSON of the return
/// type), never parsed into a tree.
fn checker_input(
    mut args: Vec<serde_json::Value>,
    answer: Answer,
    answer_text: &[u8],
    expected: serde_json::Value,
) -> Result<Vec<u8>, serde_json::Error> {
    match answer {
        Answer::Tree(answer) => {
            args.push(answer);
            args.push(expected);
            serde_json::to_vec(&args)
        }
        Answer::Streamed => {
            let mut out = serde_json::to_vec(&args)?;
            out.pop();
            if !args.is_empty() {
                out.push(b',');
            }
            out.extend_from_slice(answer_text);
            out.push(b',');
            serde_json::to_writer(&mut out, &expected)?;
            out.push(b']');
            Ok(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_streamed_answer_reaches_the_checker_as_the_same_list() {
        let args = vec![json!([1, 2]), json!("x")];
        let text = b" [[1, 2], [3]] ";
        let streamed =
            checker_input(args.clone(), Answer::Streamed, text, json!([[1, 2]])).unwrap();
        let whole = checker_input(
            args,
            Answer::Tree(json!([[1, 2], [3]])),
            b"",
            json!([[1, 2]]),
        )
        .unwrap();
        let read = |b: &[u8]| serde_json::from_slice::<serde_json::Value>(b).unwrap();
        assert_eq!(read(&streamed), read(&whole));
        let alone = checker_input(Vec::new(), Answer::Streamed, b"7", json!(8)).unwrap();
        assert_eq!(read(&alone), json!([7, 8]));
    }
}
