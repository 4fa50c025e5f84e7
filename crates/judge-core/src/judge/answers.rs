//! Each case's expected answer: stored in the problem, else the reference's, computed once
//! per problem version and toolchain and kept in the cache.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::value::RawValue;
use serde_json::Value as Json;

use super::verdict::read_answer;
use super::{runner, Engine, JudgeError, REFERENCE_TIME_SCALE};
use crate::build::toolchain::Program;
use crate::cache::digest;
use crate::problem::spec::{Case, CheckerKind, Problem};
use judge_sandbox::{Cancel, Outcome};

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
    pub(super) fn longest(&self, problem: &Problem, case: &str) -> Option<usize> {
        let len = self.0.get(case)?.get().len();
        longest_right_answer(problem, len)
    }

    pub(super) fn insert(&mut self, case: String, answer: &Json) {
        if let Ok(raw) = serde_json::value::to_raw_value(answer) {
            self.0.insert(case, raw);
        }
    }
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
pub(super) fn drop_overlong_answer(o: &mut Outcome, longest: Option<usize>) {
    if longest.is_some_and(|most| o.answer_bytes > most as u64) {
        o.answer = Vec::new();
    }
}

/// The runs in which the reference made the answers: its binary and each case's outcome.
pub(super) struct ReferenceRuns {
    pub binary: PathBuf,
    pub outcomes: HashMap<String, Outcome>,
}

impl Engine {
    /// The expected answer of every case, keyed by case name.
    pub fn answers(&self, problem: &Problem, reference: &Path) -> Result<Answers, JudgeError> {
        self.answers_and_runs(problem, reference, &Cancel::default())
            .map(|(answers, _)| answers)
    }

    /// The expected answers, and the reference's runs when it had to make them just now.
    pub(super) fn answers_and_runs(
        &self,
        problem: &Problem,
        reference: &Path,
        cancel: &Cancel,
    ) -> Result<(Answers, Option<ReferenceRuns>), JudgeError> {
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
        let source =
            std::fs::read_to_string(reference).map_err(|source| JudgeError::ReadReference {
                path: reference.to_path_buf(),
                source,
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
        let (computed, runs) =
            self.reference_answers(problem, reference, &source, &missing, cancel)?;
        let bytes = serde_json::to_vec(&computed.0).map_err(|source| JudgeError::Encode {
            what: "the answers",
            source,
        })?;
        self.cache
            .write(&entry, &bytes)
            .map_err(|source| JudgeError::CacheWrite {
                what: "answer",
                source,
            })?;
        answers.0.extend(computed.0);
        Ok((answers, Some(runs)))
    }

    /// The reference's program; that it does not compile is the problem's fault.
    /// The reference at `path`, read and compiled.
    pub(super) fn reference_program(
        &self,
        problem: &Problem,
        path: &Path,
        cancel: &Cancel,
    ) -> Result<Program, JudgeError> {
        let source = std::fs::read_to_string(path).map_err(|source| JudgeError::ReadReference {
            path: path.to_path_buf(),
            source,
        })?;
        self.reference_binary(problem, path, &source, cancel)
    }

    pub(super) fn reference_binary(
        &self,
        problem: &Problem,
        path: &Path,
        source: &str,
        cancel: &Cancel,
    ) -> Result<Program, JudgeError> {
        let build = self.build(problem, source, path, cancel, &|| {})?;
        build
            .program
            .ok_or_else(|| JudgeError::ReferenceDoesNotCompile {
                path: path.to_path_buf(),
                stderr: build.stderr,
            })
    }

    fn reference_answers(
        &self,
        problem: &Problem,
        path: &Path,
        source: &str,
        cases: &[&Case],
        cancel: &Cancel,
    ) -> Result<(Answers, ReferenceRuns), JudgeError> {
        let program = self.reference_binary(problem, path, source, cancel)?;
        let binary = program.path.clone();
        let outcomes = runner::run_all(
            &binary,
            cases.iter().map(|c| runner::case_input(c)).collect(),
            runner::run_limits(&problem.limits, REFERENCE_TIME_SCALE),
            self.runs(cancel),
        );
        if cancel.is_cancelled() {
            return Err(JudgeError::Cancelled);
        }
        let mut answers = Answers::default();
        let mut runs = HashMap::new();
        for (case, outcome) in cases.iter().zip(outcomes) {
            let fail = |why: String| JudgeError::ReferenceFailed {
                case: case.name.clone(),
                origin: format!("{}:{}", case.origin.file.display(), case.origin.line),
                why,
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

/// The samples' expected answers: stored ones, else the reference's (which needs an engine,
/// made only then).
pub fn sample_answers(
    problem: &Problem,
    engine: impl FnOnce() -> Result<Engine, JudgeError>,
) -> Result<HashMap<String, Json>, JudgeError> {
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
