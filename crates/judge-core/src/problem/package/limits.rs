//! A package's limits as problem.yaml (or an older file) gives them, and where its time
//! limit was written.

/// Where a package's time limit is written, when it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeLimitFrom {
    /// problem.yaml's `limits.time_limit`.
    ProblemYaml,
    /// A `.timelimit` file at the package's root.
    TimelimitFile,
    /// `timelimit` in `domjudge-problem.ini`.
    DomjudgeIni,
}

impl TimeLimitFrom {
    pub fn describe(self) -> &'static str {
        match self {
            TimeLimitFrom::ProblemYaml => "limits.time_limit",
            TimeLimitFrom::TimelimitFile => ".timelimit",
            TimeLimitFrom::DomjudgeIni => "domjudge-problem.ini",
        }
    }
}

/// `limits` of problem.yaml.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PackageLimits {
    /// `time_limit` in ms, when the package gives one; else it is derived from the slowest
    /// accepted submission.
    pub time_ms: Option<u64>,
    /// Where `time_ms` is written.
    pub time_from: Option<TimeLimitFrom>,
    /// The slowest accepted submission's time times this is the time limit
    /// (`time_multiplier`, or `time_multipliers.ac_to_time_limit`).
    pub ac_to_time_limit: f64,
    /// Known-slow submissions must still be too slow under the limit times this
    /// (`time_safety_margin`, or `time_multipliers.time_limit_to_tle`).
    pub time_limit_to_tle: f64,
    /// A derived limit is a multiple of this (ms): whole seconds unless
    /// `time_resolution` says otherwise.
    pub resolution_ms: u64,
    pub memory_mb: u64,
    pub output_kb: u64,
    /// `validation_time` and `validation_memory`: a validator's limits (per run).
    pub validation_ms: u64,
    pub validation_memory_mb: u64,
}
