//! Why a judging could not finish. Each is the judge's or the problem's fault, never the
//! candidate's: what a solution does is a verdict in the report, not an error.

use std::io;
use std::path::PathBuf;

use crate::build::toolchain::ToolchainError;

#[derive(Debug, thiserror::Error)]
pub enum JudgeError {
    /// The solution's language: unknown, not installed (a tool missing), or one function
    /// problems do not take.
    #[error(transparent)]
    Language(#[from] crate::languages::LanguageError),
    /// Python for a Python solution: no interpreter, no numpy and pandas, a harness or
    /// cache that failed.
    #[error(transparent)]
    Python(#[from] crate::build::python::PythonError),
    #[error("{} is {language}, which function-signature problems do not take (they take Rust, and the languages whose entry in the languages table names a harness: `functions`)", path.display())]
    NoHarness { path: PathBuf, language: String },
    /// The solution file given to judge cannot be read (a mistake in the command, not JE).
    #[error("cannot read solution {}: {source}", path.display())]
    ReadSolution { path: PathBuf, source: io::Error },
    #[error("cannot read the reference {}: {source}", path.display())]
    ReadReference { path: PathBuf, source: io::Error },
    #[error("the reference {} does not compile:\n{stderr}", path.display())]
    ReferenceDoesNotCompile { path: PathBuf, stderr: String },
    /// The reference gave no answer for a case: the case breaks the problem's rules, or the
    /// reference is wrong.
    #[error("the reference failed on case {case} ({origin}): {why}")]
    ReferenceFailed {
        case: String,
        origin: String,
        why: String,
    },
    /// A file of the problem's own (its generator or checker).
    #[error("cannot read {}: {source}", path.display())]
    ReadProblemFile { path: PathBuf, source: io::Error },
    #[error("the checker {} does not compile (it must define `{signature}`):\n{stderr}", path.display())]
    CheckerDoesNotCompile {
        path: PathBuf,
        signature: String,
        stderr: String,
    },
    #[error("{} does not compile:\n{stderr}", path.display())]
    GeneratorDoesNotCompile { path: PathBuf, stderr: String },
    #[error("{} failed for seed {seed} size {size}: {why}", path.display())]
    GeneratorFailed {
        path: PathBuf,
        seed: u64,
        size: u64,
        why: String,
    },
    /// The reference gave no answer on any generated case (`judge stress`).
    #[error("the reference fails on every generated case ({first}): the generator makes cases outside the problem's rules, or the reference is wrong")]
    ReferenceRejectsGenerated { first: String },
    #[error("a generated case does not read back: {0}")]
    GeneratedCaseUnreadable(serde_json::Error),
    #[error("cannot read the input of {case}: {why}")]
    CaseInput { case: String, why: String },
    /// The judge's own cache refused a write (a full disk, a permission changed under it).
    #[error("cannot write the {what} cache: {source}")]
    CacheWrite {
        what: &'static str,
        source: io::Error,
    },
    #[error("cannot encode {what}: {source}")]
    Encode {
        what: &'static str,
        source: serde_json::Error,
    },
    /// A Kattis package's validator does not build.
    #[error("the {what} {} does not compile:\n{stderr}", path.display())]
    ValidatorDoesNotCompile {
        what: &'static str,
        path: PathBuf,
        stderr: String,
    },
    /// A package's `include/<language>/` files could not be read (the error names the file).
    #[error("{0}")]
    PackageIncludes(#[source] Box<crate::judge::package::Unjudged>),
    /// The sandbox could not run a package's validator.
    #[error("cannot run the validator: {0}")]
    ValidatorRun(#[source] io::Error),
    /// A package gives no time limit and has no accepted submission the judge can run to
    /// derive it from (`skipped`: those it could not run, and why).
    #[error("{} gives no time limit (limits.time_limit) and has no accepted submission the judge can run here to derive one from{}: add one under submissions/accepted/, or set limits.time_limit in problem.yaml", dir.display(), indented(skipped))]
    NoTimeLimit { dir: PathBuf, skipped: Vec<String> },
    /// An accepted submission, run to derive the time limit, was not accepted.
    #[error("the time limit is derived from the accepted submissions, but {name} got {verdict} (judged under {limit_ms} ms): fix it, or set limits.time_limit in problem.yaml")]
    TimeLimitFromFailing {
        name: String,
        verdict: String,
        limit_ms: u64,
    },
    #[error(transparent)]
    Toolchain(#[from] ToolchainError),
    /// The judging was cancelled (`Judging::cancel`, or its handle dropped).
    #[error("the judging was cancelled")]
    Cancelled,
    /// No thread could be started for a judging.
    #[error("cannot start a judging: {0}")]
    Thread(#[source] io::Error),
    /// A judging's thread panicked: a bug in the judge.
    #[error("the judging failed (a bug in the judge): {0}")]
    Panicked(String),
    /// `judge complexity` on a problem without a generator: there are no inputs of a given
    /// size to run.
    #[error("{} has no generator.rs, so there are no inputs of growing size to measure on: complexity needs a generator that makes a case from (seed, size) (AUTHORING.md shows one)", dir.display())]
    NoGenerator { dir: PathBuf },
    /// A measurement could not be made.
    #[error("cannot measure: {0}")]
    Measure(#[from] MeasureError),
}

/// Why a solution's complexity could not be measured (`judge complexity`, `submit
/// --complexity`, a service's measured submission).
#[derive(Debug, thiserror::Error)]
pub enum MeasureError {
    #[error("nothing was measured")]
    Nothing,
    /// Every way of measuring a run's cost failed in a box (instructions, task clock).
    #[error("no way to measure a run's cost")]
    NoCost,
    /// The last way of measuring a run's cost could not read its counter in a box.
    #[error("{0}")]
    Counter(#[from] judge_sandbox::counter::CounterError),
    /// The sandbox could not run a measured run.
    #[error("{0}")]
    Run(#[from] io::Error),
    /// A run found no box slot (the measurement ended before it).
    #[error("no box slot")]
    NoSlot,
}

impl JudgeError {
    /// Whether the fault is in what the user asked for (a file that cannot be read) rather
    /// than in the judge or the problem: the front end words it without "judge error".
    pub fn is_usage(&self) -> bool {
        matches!(self, JudgeError::ReadSolution { .. })
    }
}

/// Each line on a line of its own, indented under a message.
fn indented(lines: &[String]) -> String {
    lines.iter().fold(String::new(), |mut all, line| {
        all.push_str("\n  ");
        all.push_str(line);
        all
    })
}
