//! A loaded problem as the rest of the judge sees it: `Problem`, its cases and groups, its
//! limits, checker and records.

use std::fmt;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value as Json;

use super::feedback::HiddenDetails;
use crate::problem::types::{Signature, Ty};
use crate::problem::value::Records;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}

impl fmt::Display for Difficulty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Difficulty::Easy => "easy",
            Difficulty::Medium => "medium",
            Difficulty::Hard => "hard",
        })
    }
}

/// Per-case resource limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// CPU time, summed over threads.
    pub time_ms: u64,
    pub memory_mb: u64,
    /// Bytes of answer plus stdout plus stderr.
    pub output_kb: u64,
    /// The box's own disk (its work dir and /tmp together). What a case writes there is
    /// memory too: it counts toward the memory limit.
    pub disk_mb: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            time_ms: 1000,
            memory_mb: 256,
            output_kb: 8192,
            disk_mb: 16,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckerKind {
    /// Equal values; floats equal bit for bit (NaN equals NaN).
    Exact,
    /// Floats within `abs_tol` or `rel_tol`; everything else exact.
    Float,
    /// The answer is a list compared as a multiset; floats within tolerance.
    Unordered,
    /// The problem's `checker.rs` decides (for problems with many right answers).
    Custom,
}

#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Checker {
    pub kind: CheckerKind,
    pub abs_tol: f64,
    pub rel_tol: f64,
}

impl Default for Checker {
    fn default() -> Self {
        // docs/bank.md: floats compare with abs or rel 1e-6 unless a problem says otherwise.
        Checker {
            kind: CheckerKind::Float,
            abs_tol: 1e-6,
            rel_tol: 1e-6,
        }
    }
}

/// A declared record type (`RainDay { day: String, rainfall: f64 }`).
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub name: String,
    pub fields: Vec<(String, Ty)>,
}

/// The record types as a solution sees them (also used by `judge show --stub`).
pub fn record_declarations(records: &[Record]) -> String {
    let mut out = String::new();
    for r in records {
        let fields: Vec<String> = r
            .fields
            .iter()
            .map(|(f, t)| format!("pub {f}: {t}"))
            .collect();
        let _ = writeln!(
            out,
            "#[derive(Debug, Clone, PartialEq, Default)]\npub struct {} {{ {} }}",
            r.name,
            fields.join(", ")
        );
    }
    out
}

/// Where a case was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    pub file: PathBuf,
    pub line: usize,
}

/// A case whose arguments the problem's `generator.rs` makes: `generate(seed, size)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Generate {
    pub seed: u64,
    pub size: u64,
}

/// One test case: arguments in signature order, as canonical JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub name: String,
    /// Empty for a generated case, whose arguments are in `input`.
    pub args: Vec<Json>,
    pub generate: Option<Generate>,
    /// For a generated case once the engine has made it: the file holding its stdin (the
    /// arguments as a JSON array), so large inputs stay out of the judge's memory.
    pub input: Option<PathBuf>,
    /// The stored answer, when the case carries `expected`.
    pub expected: Option<Json>,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub name: String,
    pub points: u32,
    pub cases: Vec<Case>,
}

/// A loaded, validated problem.
#[derive(Debug, Clone)]
pub struct Problem {
    pub id: String,
    pub dir: PathBuf,
    pub title: String,
    pub difficulty: Difficulty,
    pub tags: Vec<String>,
    pub statement: String,
    pub signature: Signature,
    pub records: Vec<Record>,
    pub limits: Limits,
    pub checker: Checker,
    /// Whether reports may show hidden cases' inputs and answers.
    pub reveal_hidden: bool,
    /// What reports show of a hidden case otherwise: `[feedback] hidden`, else the bank's
    /// default (`problems/bank.toml`), else `Kind`.
    pub hidden_details: HiddenDetails,
    pub samples: Vec<Case>,
    pub groups: Vec<Group>,
    /// Raw bytes of problem.toml and tests.toml, hashed into cache keys.
    pub source_digest_input: Vec<u8>,
}

impl Records for Problem {
    fn fields(&self, record: &str) -> Option<&[(String, Ty)]> {
        self.records
            .iter()
            .find(|r| r.name == record)
            .map(|r| r.fields.as_slice())
    }
}

impl Records for Vec<Record> {
    fn fields(&self, record: &str) -> Option<&[(String, Ty)]> {
        self.iter()
            .find(|r| r.name == record)
            .map(|r| r.fields.as_slice())
    }
}

impl Case {
    /// The arguments, read from the input file for a generated case.
    pub fn arguments(&self) -> std::io::Result<Vec<Json>> {
        match &self.input {
            Some(path) if self.args.is_empty() => {
                let bytes = std::fs::read(path)?;
                serde_json::from_slice(&bytes).map_err(std::io::Error::other)
            }
            _ => Ok(self.args.clone()),
        }
    }
}

impl Problem {
    /// Every case in case order: the samples, then each group's cases.
    pub fn cases(&self) -> impl Iterator<Item = &Case> {
        self.samples
            .iter()
            .chain(self.groups.iter().flat_map(|g| &g.cases))
    }

    pub fn cases_mut(&mut self) -> impl Iterator<Item = &mut Case> {
        self.samples
            .iter_mut()
            .chain(self.groups.iter_mut().flat_map(|g| g.cases.iter_mut()))
    }

    pub fn max_score(&self) -> u32 {
        self.groups.iter().map(|g| g.points).sum()
    }

    /// The reference solution for a problem folder: `reference.rs` inside it, else
    /// `reference/<id_with_underscores>.rs` in the bank that holds it.
    pub fn reference_path(&self) -> PathBuf {
        let inside = self.dir.join("reference.rs");
        if inside.is_file() {
            return inside;
        }
        let bank = self
            .dir
            .parent()
            .and_then(Path::parent)
            .unwrap_or(Path::new("."));
        bank.join("reference")
            .join(format!("{}.rs", self.reference_stem()))
    }

    /// The function name with underscores, as reference files are named.
    pub fn reference_stem(&self) -> String {
        self.id.replace('-', "_")
    }
}
