//! A case's verdict from its run and its output validator's word: the validator's exit code
//! and feedback files (scores checked as the format asks), and for interactive cases the
//! order in which the program and the validator ended.

use std::io;

use super::super::package_grade;
use super::super::package_programs::{self, NotANumber, ACCEPT, REJECT};
use super::super::verdict;
use super::{shown, CaseContext};
use crate::problem::package::TestCase;
use crate::report::Verdict;
use judge_sandbox::{self as sandbox, Outcome};

/// What checking one case's run needs.
#[derive(Clone, Copy)]
pub(super) struct Check<'a> {
    pub(super) cx: &'a CaseContext<'a>,
    pub(super) case: &'a TestCase,
    pub(super) outcome: &'a Outcome,
    pub(super) visible: bool,
}

/// Why an accepting output validator's score files are the package's fault (a JE).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
enum ScoreError {
    #[error("the output validator's {file} holds no number: {text:?}")]
    NotANumber { file: &'static str, text: String },
    #[error("the output validator wrote both score.txt and score_multiplier.txt")]
    Both,
    #[error("the output validator wrote a score for a case of a pass-fail group")]
    PassFail,
    #[error(
        "the output validator wrote score_multiplier.txt for a case without a maximum score (an unbounded group)"
    )]
    MultiplierUnbounded,
    #[error("score_multiplier.txt holds {0}, outside [0, 1]")]
    Multiplier(f64),
    #[error("score.txt holds {score}, outside 0..={max}")]
    Score { score: f64, max: f64 },
    #[error(
        "the output validator accepted a case of an unbounded group without writing its score.txt"
    )]
    Missing,
}

impl Check<'_> {
    /// Whether the package's result is worked out by 2023-07 and 2025-09's aggregation.
    fn aggregation(&self) -> bool {
        self.cx.package.root_grading.model == crate::problem::package::Model::Aggregation
    }

    /// An accepting validator's score files, checked as the format asks: numbers; under
    /// the aggregation model not both, none in a pass-fail group, a multiplier within
    /// [0, 1] of a bounded case, a score no more than the case's maximum, and a score for
    /// every case of an unbounded group. Samples never score, so theirs are ignored.
    fn scores(&self, fb: &package_programs::Feedback) -> Result<Scores, ScoreError> {
        let read = |file: &'static str, value: &Option<Result<f64, NotANumber>>| match value {
            None => Ok(None),
            Some(Ok(v)) => Ok(Some(*v)),
            Some(Err(NotANumber(text))) => Err(ScoreError::NotANumber {
                file,
                text: text.clone(),
            }),
        };
        let score = read("score.txt", &fb.score)?;
        let multiplier = read("score_multiplier.txt", &fb.score_multiplier)?;
        let sample = self.case.name.starts_with("sample/");
        if sample {
            return Ok(NO_SCORES);
        }
        if !self.aggregation() {
            return Ok((score, None));
        }
        let group = self.cx.package.group_of(self.case);
        let max = package_grade::case_max(group);
        let pass_fail = group.grading.aggregation == crate::problem::package::Aggregation::PassFail;
        match (score, multiplier) {
            (Some(_), Some(_)) => Err(ScoreError::Both),
            (None, Some(_)) | (Some(_), None) if pass_fail => Err(ScoreError::PassFail),
            (None, Some(_)) if max.is_none() => Err(ScoreError::MultiplierUnbounded),
            (None, Some(m)) if !(0.0..=1.0).contains(&m) => Err(ScoreError::Multiplier(m)),
            (Some(score), None) if score < 0.0 || max.is_some_and(|max| score > max + 1e-9) => {
                Err(ScoreError::Score {
                    score,
                    max: max.unwrap_or(f64::INFINITY),
                })
            }
            (None, None) if max.is_none() && !pass_fail => Err(ScoreError::Missing),
            other => Ok(other),
        }
    }

    /// The validator's verdict from its exit code, with its feedback as the case may show
    /// it: `teammessage.txt` always (it is for the candidate), `judgemessage.txt` only on a
    /// case that may be shown.
    pub(super) fn validator_word(
        &self,
        validated: &io::Result<package_programs::ValidatorRun>,
    ) -> (Verdict, Option<String>, Scores) {
        let run = match validated {
            Ok(run) => run,
            Err(e) => {
                return (
                    Verdict::JE,
                    Some(format!("cannot run the output validator: {e}")),
                    NO_SCORES,
                )
            }
        };
        let fb = &run.feedback;
        let said = fb
            .team_message
            .clone()
            .or_else(|| fb.judge_message.clone().filter(|_| self.visible));
        match run.outcome.exit {
            sandbox::Exit::Code(ACCEPT) => match self.scores(fb) {
                Ok(scores) => (Verdict::AC, said, scores),
                Err(why) => (Verdict::JE, Some(why.to_string()), NO_SCORES),
            },
            sandbox::Exit::Code(REJECT) if self.aggregation() && (fb.score.is_some() || fb.score_multiplier.is_some()) => (
                Verdict::JE,
                Some("the output validator rejected the case and wrote a score file, which the format calls a judge error".into()),
                NO_SCORES,
            ),
            sandbox::Exit::Code(REJECT) => (
                Verdict::WA,
                Some(said.map_or_else(
                    || "wrong answer (the output validator rejected it)".to_string(),
                    |s| format!("wrong answer: {s}"),
                )),
                NO_SCORES,
            ),
            other => {
                let how = match other {
                    sandbox::Exit::Code(c) => format!("exited with code {c}"),
                    sandbox::Exit::Signal(s) => format!("was killed by signal {s}"),
                };
                let mut message = format!(
                    "the output validator {how} (it must exit with 42 to accept or 43 to reject)"
                );
                if run.outcome.wall_exceeded
                    || run.outcome.cpu_ms > self.cx.package.limits.validation_ms
                {
                    message = "the output validator ran out of time".to_string();
                }
                if self.visible && !run.outcome.stderr.is_empty() {
                    message.push_str(":\n");
                    message.push_str(&shown(&run.outcome.stderr));
                }
                (Verdict::JE, Some(message), NO_SCORES)
            }
        }
    }

    /// An interactive case's verdict. A validator that ended first and rejected decides
    /// (the program then runs out of time waiting for an answer, or crashes on the closed
    /// pipe: the format's verdict is the validator's WA, as problemtools' `guess_tle.cc`
    /// checks); then the program's own limits (a program that ran out of time while the
    /// validator waited is TLE whatever the validator made of what it had); then the
    /// program's crash; then the validator's word.
    pub(super) fn interactive(
        &self,
        interaction: &Interaction,
    ) -> (Verdict, Option<String>, Scores) {
        let failure = verdict::run_failure(&self.cx.limits, self.outcome, self.cx.time_ms);
        let word = self.validator_word(&interaction.validated);
        // A program killed by SIGPIPE wrote to a validator that had closed its end, which
        // it does by ending: the validator ended first, whichever box's end was recorded
        // first (each box's pid 1 records its own, and they race by a few microseconds).
        let broken_pipe = self.outcome.exit == sandbox::Exit::Signal(libc::SIGPIPE);
        if (interaction.validator_first || broken_pipe)
            && matches!(word.0, Verdict::WA | Verdict::JE)
        {
            return word;
        }
        match failure {
            Some((v, why)) => (v, Some(why), NO_SCORES),
            None => word,
        }
    }
}

/// A validator's `score.txt` and `score_multiplier.txt`, as numbers, when it wrote them.
pub(super) type Scores = (Option<f64>, Option<f64>);

pub(super) const NO_SCORES: Scores = (None, None);

/// What the validator of an interactive case said, and whether it ended before the
/// program did (it then decided the case, whatever the program did next).
pub(super) struct Interaction {
    pub(super) validated: io::Result<package_programs::ValidatorRun>,
    pub(super) validator_first: bool,
}
