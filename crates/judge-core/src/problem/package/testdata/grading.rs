//! How a test group's result is made: the grading its settings give it, in either of the
//! format's two result models.

/// How a group's verdict is made from its items' (the default grader's verdict modes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerdictMode {
    /// Accepted if all are; else the worst error, in the order JE, RE, MLE, TLE, OLE, WA.
    WorstError,
    /// Accepted if all are; else the first non-accepted item's verdict.
    FirstError,
    /// Always accepted (only the score counts).
    AlwaysAccept,
}

/// How a group's score is made from its items' scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScoreMode {
    Sum,
    Avg,
    Min,
    Max,
}

/// Which of the format's two ways of working out a result a package uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Model {
    /// The legacy format's graders: `on_reject`, `grader_flags`, accept and reject scores
    /// (also a 2023-07 draft package whose test data files use these keys, as problemtools
    /// grades one).
    Grader,
    /// 2023-07 and 2025-09: `score_aggregation` (`pass-fail`, `sum`, `min`), `max_score`
    /// and `require_pass`.
    Aggregation,
}

/// How a group's score is made from its items' (2023-07 and 2025-09).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregation {
    /// Its maximum score when every case is accepted, else 0.
    PassFail,
    Sum,
    Min,
}

/// A test group's grading: its settings file's keys, with the format's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Grading {
    pub model: Model,
    /// `on_reject: break` (the default): the group's items after a rejected one are not
    /// judged and do not count.
    pub on_reject_break: bool,
    pub verdict_mode: VerdictMode,
    pub score_mode: ScoreMode,
    pub accept_if_any_accepted: bool,
    /// Only at the root: the sample group decides nothing.
    pub ignore_sample: bool,
    /// A case's score when accepted (without the validator's `score.txt`) and rejected.
    pub accept_score: f64,
    pub reject_score: f64,
    /// `range`: the scores the group can have; its score is kept within it, and its upper
    /// end, when finite, is the most the group can score.
    pub range: (f64, f64),
    /// `grading: custom`: the package's grader (`graders/`) aggregates the group, given
    /// `grader_flags`.
    pub custom_grader: bool,
    pub grader_flags: Vec<String>,
    /// `score_aggregation` (the aggregation model).
    pub aggregation: Aggregation,
    /// `max_score`; `None` is `unbounded` (the aggregation model).
    pub max_score: Option<f64>,
    /// `require_pass`: groups (names under `data/`) whose cases must all be accepted for
    /// this one to score.
    pub require_pass: Vec<String>,
    /// Arguments given to the output validator for the group's cases.
    pub output_validator_flags: Vec<String>,
    /// Arguments given to each input validator for the group's inputs.
    pub input_validator_flags: ValidatorArgs,
    /// `args`: command-line arguments of the submission on the group's cases.
    pub args: Vec<String>,
}

impl Default for Grading {
    fn default() -> Grading {
        Grading {
            model: Model::Grader,
            on_reject_break: true,
            verdict_mode: VerdictMode::WorstError,
            score_mode: ScoreMode::Sum,
            accept_if_any_accepted: false,
            ignore_sample: false,
            accept_score: 1.0,
            reject_score: 0.0,
            range: (f64::NEG_INFINITY, f64::INFINITY),
            custom_grader: false,
            grader_flags: Vec::new(),
            aggregation: Aggregation::PassFail,
            max_score: None,
            require_pass: Vec::new(),
            output_validator_flags: Vec::new(),
            input_validator_flags: ValidatorArgs::default(),
            args: Vec::new(),
        }
    }
}

/// Arguments for the input validators: the same for each, or by validator name (a
/// validator not named gets none).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum ValidatorArgs {
    #[default]
    None,
    All(Vec<String>),
    ByName(Vec<(String, Vec<String>)>),
}

impl ValidatorArgs {
    /// The arguments of the input validator named `name`.
    pub fn for_validator(&self, name: &str) -> Vec<String> {
        match self {
            ValidatorArgs::None => Vec::new(),
            ValidatorArgs::All(args) => args.clone(),
            ValidatorArgs::ByName(named) => named
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, a)| a.clone())
                .unwrap_or_default(),
        }
    }
}
