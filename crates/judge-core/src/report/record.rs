//! `Report`, the engine's record of a judging (what the report cache stores and the
//! interview journal embeds), with its verdicts, groups and cases, and a practice run on
//! one input (`InputReport`).

use serde::{Deserialize, Serialize};

/// The `--json` schema (`json::JsonReport`, docs/report-schema.md). Bumped when a field
/// changes meaning or shape or disappears; adding fields does not bump it. 2: a run is no
/// longer a submission (no `AC`, no score or groups; `result` says what it came to), and a
/// withheld case's time and memory are null instead of a made-up 0.
pub const SCHEMA_VERSION: u32 = 2;

#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    AC,
    WA,
    TLE,
    MLE,
    RE,
    OLE,
    CE,
    JE,
}

impl Verdict {
    pub fn code(self) -> &'static str {
        match self {
            Verdict::AC => "AC",
            Verdict::WA => "WA",
            Verdict::TLE => "TLE",
            Verdict::MLE => "MLE",
            Verdict::RE => "RE",
            Verdict::OLE => "OLE",
            Verdict::CE => "CE",
            Verdict::JE => "JE",
        }
    }

    pub fn meaning(self) -> &'static str {
        match self {
            Verdict::AC => "accepted",
            Verdict::WA => "wrong answer",
            Verdict::TLE => "time limit exceeded",
            Verdict::MLE => "memory limit exceeded",
            Verdict::RE => "runtime error",
            Verdict::OLE => "output limit exceeded",
            Verdict::CE => "compile error",
            Verdict::JE => "judge error",
        }
    }

    /// Reads a verdict from a submissions folder name: the code (any case) or Kattis's word.
    pub fn from_folder(name: &str) -> Option<Verdict> {
        Some(match name.to_ascii_lowercase().as_str() {
            "ac" | "accepted" => Verdict::AC,
            "wa" | "wrong_answer" => Verdict::WA,
            "tle" | "time_limit_exceeded" => Verdict::TLE,
            "mle" | "memory_limit_exceeded" => Verdict::MLE,
            "re" | "run_time_error" | "runtime_error" => Verdict::RE,
            "ole" | "output_limit_exceeded" => Verdict::OLE,
            "ce" | "compile_error" => Verdict::CE,
            _ => return None,
        })
    }
}

/// What a practice run (`judge run`: the samples only) came to. A run is not a submission,
/// so it is never "accepted": passing the samples says nothing of the hidden cases.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RunResult {
    SamplesPassed,
    SamplesFailed,
    CompileError,
    JudgeError,
}

impl RunResult {
    pub fn of(verdict: Verdict) -> RunResult {
        match verdict {
            Verdict::AC => RunResult::SamplesPassed,
            Verdict::CE => RunResult::CompileError,
            Verdict::JE => RunResult::JudgeError,
            Verdict::WA | Verdict::TLE | Verdict::MLE | Verdict::RE | Verdict::OLE => {
                RunResult::SamplesFailed
            }
        }
    }

    /// Its code in the `--json` report's `result`: `"samples-passed"`, ...
    pub fn code(self) -> &'static str {
        match self {
            RunResult::SamplesPassed => "samples-passed",
            RunResult::SamplesFailed => "samples-failed",
            RunResult::CompileError => "compile-error",
            RunResult::JudgeError => "judge-error",
        }
    }

    /// The run's last line of text.
    pub fn words(self) -> &'static str {
        match self {
            RunResult::SamplesPassed => "samples passed (not a submission)",
            RunResult::SamplesFailed => "samples failed (not a submission)",
            RunResult::CompileError => "samples not run (not a submission)",
            RunResult::JudgeError => "samples not judged (not a submission)",
        }
    }
}

/// A practice run on one input the candidate wrote (`judge run --input`, or the service's
/// `mode: "run"` with `input`): the candidate's answer beside the reference's, as LeetCode's
/// "run code" shows them. Its JSON is part of the `--json` schema (docs/report-schema.md).
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InputReport {
    pub schema: u32,
    pub problem: String,
    /// Always "input".
    pub mode: String,
    /// The arguments, rendered as TOML.
    pub input: String,
    pub compile: CompileReport,
    /// The reference failed on the input: it breaks the problem's rules (why, in words).
    /// Then nothing else was run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invalid: Option<String>,
    /// The solution's verdict on the input against the reference's answer (absent when it
    /// did not compile or the input is invalid), with its time, memory, message and diff.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<CaseReport>,
    /// The solution's answer, when it gave one of the return type.
    pub answer: Option<serde_json::Value>,
    /// The reference's answer.
    pub expected: Option<serde_json::Value>,
}

impl InputReport {
    /// The run's verdict: CE, the case's, or none for an invalid input.
    pub fn verdict(&self) -> Option<Verdict> {
        if !self.compile.ok {
            return Some(Verdict::CE);
        }
        self.case.as_ref().map(|c| c.verdict)
    }
}

/// What a judging is for: the engine's, the JSON report's and the service's (stored as the
/// same words, `store::status`) one type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Samples and hidden cases, scored.
    Submit,
    /// Samples only, everything shown: practice, not a submission.
    Run,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Submit => "submit",
            Mode::Run => "run",
        }
    }

    /// The mode `name` gives, if any.
    pub fn parse(name: &str) -> Option<Mode> {
        match name {
            "submit" => Some(Mode::Submit),
            "run" => Some(Mode::Run),
            _ => None,
        }
    }
}

impl std::fmt::Display for Mode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A judging as the engine records it: what the report cache stores, the interview journal
/// embeds, and both renderings are made from. Not itself a schema: `json::JsonReport` is.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub problem: String,
    pub mode: Mode,
    pub verdict: Verdict,
    pub score: u32,
    pub max_score: u32,
    pub compile: CompileReport,
    pub groups: Vec<GroupReport>,
    pub samples: Vec<CaseReport>,
    /// Isolation that is not enforced on this machine, said in every report.
    pub warnings: Vec<String>,
    /// Taken from the cache: this exact source was judged before on this problem version.
    #[serde(default)]
    pub cached: bool,
}

#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CompileReport {
    pub ok: bool,
    pub time_ms: u64,
    pub cached: bool,
    pub stderr: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GroupReport {
    pub name: String,
    pub verdict: Verdict,
    pub score: u32,
    pub max_score: u32,
    pub cases: Vec<CaseReport>,
}

#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaseReport {
    pub name: String,
    pub verdict: Verdict,
    pub time_ms: u64,
    pub memory_kb: u64,
    /// How the case failed, in words safe to show for a hidden case.
    pub message: Option<String>,
    /// Unified diff, expected against actual; only where the case may be shown.
    pub diff: Option<String>,
    /// The arguments, rendered as TOML; only where the case may be shown.
    pub input: Option<String>,
    /// What the solution printed (stdout then stderr), trimmed; only where the case may be shown.
    pub output: Option<String>,
    /// A hidden case under `HiddenDetails::Verdict`: its time, memory and message are not
    /// shown (the figures read 0).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub withheld: bool,
    /// Which part of the judge failed, for a JE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fault: Option<Fault>,
}

/// What failed when a case is JE: never the candidate's program.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fault {
    /// The judge could not run the case (the sandbox failed to start it).
    Run,
    /// The problem's custom checker crashed or said nothing on this answer.
    Checker,
}

impl Report {
    /// A practice run on the samples, not a submission.
    pub fn is_run(&self) -> bool {
        self.mode == Mode::Run
    }

    /// Every case that was judged, samples first, in case order.
    pub fn cases(&self) -> impl Iterator<Item = &CaseReport> {
        self.samples
            .iter()
            .chain(self.groups.iter().flat_map(|g| &g.cases))
    }

    /// The CPU time of the slowest case that was judged (0 when none was).
    pub fn slowest_ms(&self) -> u64 {
        self.cases().map(|c| c.time_ms).max().unwrap_or(0)
    }

    /// The first failing case's verdict in case order (samples first), else AC.
    pub fn overall(samples: &[CaseReport], groups: &[GroupReport]) -> Verdict {
        samples
            .iter()
            .chain(groups.iter().flat_map(|g| &g.cases))
            .map(|c| c.verdict)
            .find(|v| *v != Verdict::AC)
            .unwrap_or(Verdict::AC)
    }

    pub fn first_failure(&self) -> Option<(&str, &CaseReport)> {
        let samples = self.samples.iter().map(|c| ("samples", c));
        let hidden = self
            .groups
            .iter()
            .flat_map(|g| g.cases.iter().map(move |c| (g.name.as_str(), c)));
        samples
            .chain(hidden)
            .find(|(_, c)| c.verdict != Verdict::AC)
    }
}
