//! Loading a problem folder: `problem.toml` (statement, signature, records, limits, checker,
//! samples) and `tests.toml` (hidden groups), every case validated against the signature.
//!
//! Invariant: a `Problem` that loaded is fully valid; nothing downstream re-checks case
//! shapes. Every authoring mistake is a `SpecError` naming file, line and key. This module
//! reads files and does nothing else (no compiling, no running).

use std::fmt;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value as Json;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::problem::types::{self, Signature, Ty};
use crate::problem::value::{self, Records};

/// An authoring mistake in a problem folder.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecError {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub key: Option<String>,
    pub message: String,
    /// The offending source line, shown under the message.
    pub snippet: Option<Box<str>>,
    /// How to mend it, when the judge can say (boxed: this error travels in every Result).
    pub help: Option<Box<str>>,
}

impl SpecError {
    pub fn help(mut self, help: impl Into<String>) -> SpecError {
        self.help = Some(help.into().into_boxed_str());
        self
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(key) = &self.key {
            write!(f, ": `{key}`")?;
        }
        write!(f, ": {}", self.message)?;
        if let (Some(line), Some(snippet)) = (self.line, &self.snippet) {
            write!(f, "\n  {line:>4} | {snippet}")?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecError {}

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

/// `[feedback]`: what a candidate learns of hidden cases (in problem.toml, or for a whole
/// bank in `problems/bank.toml`).
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct Feedback {
    hidden: Option<HiddenDetails>,
}

/// What a report shows of a hidden case (`[feedback] hidden` in problem.toml, else in the
/// bank's `problems/bank.toml`, else `Kind`; an interview may impose less), from least to
/// most. Every figure a hidden case shows is a channel: a solution can encode bits of a
/// hidden input in the CPU time it burns or the memory it takes, one case at a time.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum HiddenDetails {
    /// The verdict alone.
    Verdict,
    /// The verdict, CPU time, peak memory and how it failed in words ("wrong answer",
    /// "panicked"); never the input, the expected answer or the output.
    Outcome,
    /// The outcome and, for a wrong answer, the kind of mismatch without data (a wrong
    /// length, the first wrong element's place, NaN where a number was expected, a float off
    /// by about 1e-3, the right elements in another order).
    #[default]
    Kind,
    /// The kind, and for the first failing hidden case everything a sample shows: its input,
    /// the expected and the actual answer (as a diff), what the solution printed.
    FirstFailure,
}

impl HiddenDetails {
    /// The word problem.toml uses.
    pub fn name(self) -> &'static str {
        match self {
            HiddenDetails::Verdict => "verdict",
            HiddenDetails::Outcome => "outcome",
            HiddenDetails::Kind => "kind",
            HiddenDetails::FirstFailure => "first-failure",
        }
    }
}

/// `problems/bank.toml`: defaults for every problem of a bank, each overridden by a
/// problem's own problem.toml.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BankToml {
    #[serde(default)]
    feedback: Feedback,
}

/// The bank-wide defaults file, in a bank's `problems/` folder beside the problem folders.
pub const BANK_FILE: &str = "bank.toml";

/// What hidden cases show by default for the problem in `dir`: `problems/bank.toml`'s
/// `[feedback] hidden` when `dir` is a folder of a bank's `problems/` and that file says,
/// else `HiddenDetails::default()`. Only a folder named `problems` is looked in, so a
/// problem folder elsewhere (a temporary one) never picks up a stray file.
fn bank_hidden_details(dir: &Path) -> Result<HiddenDetails, SpecError> {
    let Some(problems) = dir
        .parent()
        .filter(|p| p.file_name() == Some("problems".as_ref()))
    else {
        return Ok(HiddenDetails::default());
    };
    let path = problems.join(BANK_FILE);
    if !path.is_file() {
        return Ok(HiddenDetails::default());
    }
    let text = read(&path)?;
    let src = Source {
        path: &path,
        text: &text,
    };
    let (bank, _): (BankToml, _) = src.parse_typed()?;
    Ok(bank.feedback.hidden.unwrap_or_default())
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProblemToml {
    title: String,
    difficulty: Difficulty,
    #[serde(default)]
    tags: Vec<String>,
    signature: Spanned<String>,
    statement: String,
    #[serde(default)]
    reveal_hidden: bool,
    #[serde(default)]
    feedback: Feedback,
    #[serde(default)]
    records: toml::map::Map<String, toml::Value>,
    #[serde(default)]
    limits: Limits,
    #[serde(default)]
    checker: Checker,
    #[serde(default)]
    #[serde(rename = "sample")]
    _samples: Vec<toml::Table>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TestsToml {
    #[serde(default)]
    group: Vec<GroupToml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupToml {
    name: Spanned<String>,
    /// Optional here only so that its absence is reported with the group's name.
    points: Option<u32>,
    #[serde(default)]
    #[serde(rename = "case")]
    _cases: Vec<toml::Table>,
}

/// One TOML file's text, for locating errors.
struct Source<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Source<'_> {
    fn error(
        &self,
        span: Option<Range<usize>>,
        key: Option<String>,
        message: impl Into<String>,
    ) -> SpecError {
        let line = span.map(|s| self.line_of(s.start));
        let snippet = line
            .and_then(|l| self.text.lines().nth(l - 1))
            .map(|s| s.trim_end().into());
        SpecError {
            file: self.path.to_path_buf(),
            line,
            key,
            message: message.into(),
            snippet,
            help: None,
        }
    }

    /// The 1-based line holding byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.text[..offset.min(self.text.len())]
            .matches('\n')
            .count()
            + 1
    }

    fn toml_error(&self, e: &toml::de::Error) -> SpecError {
        let mut message = e.message().trim().to_string();
        if message.contains("too large") {
            message.push_str(
                "; TOML integers stop at 9223372036854775807: write a larger u64 as a string of decimal digits",
            );
        }
        let help = toml_help(&message);
        let error = self.error(e.span(), None, message);
        match help {
            Some(h) => error.help(h),
            None => error,
        }
    }

    fn parse_typed<T: serde::de::DeserializeOwned>(
        &self,
    ) -> Result<(T, Spanned<DeTable<'_>>), SpecError> {
        let doc = DeTable::parse(self.text).map_err(|e| self.toml_error(&e))?;
        let typed = toml::from_str(self.text).map_err(|e| self.toml_error(&e))?;
        Ok((typed, doc))
    }
}

/// Mending advice for serde's messages about a file's keys.
fn toml_help(message: &str) -> Option<String> {
    let quoted = |m: &str| m.split('`').nth(1).map(str::to_string);
    if message.starts_with("missing field") {
        let key = quoted(message)?;
        return Some(format!("add `{key} = ...`; `judge new` writes a problem whose files show every key, with comments"));
    }
    if message.starts_with("unknown field") {
        let key = quoted(message)?;
        return Some(format!(
            "remove `{key}` or correct its spelling (the keys this table takes are listed above)"
        ));
    }
    None
}

/// The custom checker's file name inside a problem folder.
pub const CHECKER_FILE: &str = "checker.rs";

/// Loads and validates the problem in `dir`.
pub fn load(dir: &Path) -> Result<Problem, SpecError> {
    let id = problem_id(dir)?;
    let problem_path = dir.join("problem.toml");
    let tests_path = dir.join("tests.toml");
    let problem_text = read(&problem_path)?;
    let tests_text = read(&tests_path)?;
    let psrc = Source {
        path: &problem_path,
        text: &problem_text,
    };
    let (spec, pdoc): (ProblemToml, _) = psrc.parse_typed()?;

    let records = parse_records(&psrc, &spec.records)?;
    let is_record = |n: &str| records.iter().any(|r| r.name == n);
    let signature = types::parse_signature(spec.signature.get_ref(), &is_record)
        .map_err(|m| psrc.error(Some(spec.signature.span()), Some("signature".into()), m))?;
    check_limits(&psrc, &spec)?;
    if spec.checker.kind == CheckerKind::Unordered
        && !matches!(signature.ret, Ty::Vec(_) | Ty::Array1)
    {
        return Err(psrc.error(
            None,
            Some("checker.kind".into()),
            format!(
                "the unordered checker compares lists, but `{}` returns {}",
                signature.name, signature.ret
            ),
        ));
    }
    if spec.checker.kind == CheckerKind::Custom && !dir.join(CHECKER_FILE).is_file() {
        return Err(psrc.error(
            None,
            Some("checker.kind".into()),
            format!(
                "a custom checker needs {CHECKER_FILE} in the problem folder, defining `{}`",
                crate::problem::types::checker_signature(&signature)
            ),
        ));
    }
    let ctx = CaseContext {
        signature: &signature,
        records: &records,
    };
    let samples = ctx.cases(&psrc, &pdoc, "sample", "sample", "sample")?;
    if samples.is_empty() {
        return Err(psrc.error(
            None,
            Some("sample".into()),
            "a problem needs at least one [[sample]] case",
        ));
    }

    let tsrc = Source {
        path: &tests_path,
        text: &tests_text,
    };
    let (tests, tdoc): (TestsToml, _) = tsrc.parse_typed()?;
    let groups = ctx.groups(&tsrc, &tdoc, tests.group)?;

    let hidden_details = match spec.feedback.hidden {
        Some(level) => level,
        None => bank_hidden_details(dir)?,
    };
    let mut source_digest_input = problem_text.into_bytes();
    source_digest_input.extend_from_slice(tests_text.as_bytes());
    Ok(Problem {
        id,
        dir: dir.to_path_buf(),
        title: spec.title,
        difficulty: spec.difficulty,
        tags: spec.tags,
        statement: spec.statement,
        signature,
        records,
        limits: spec.limits,
        checker: spec.checker,
        reveal_hidden: spec.reveal_hidden,
        hidden_details,
        samples,
        groups,
        source_digest_input,
    })
}

/// One case of `problem` written by hand for a practice run (`judge run --input`): a TOML
/// file holding each argument by name, as a case of tests.toml does (no `generate`, no
/// `expected`: the reference's answer is what it is compared with).
pub fn load_input(problem: &Problem, path: &Path) -> Result<Case, SpecError> {
    let text = read(path)?;
    let src = Source { path, text: &text };
    let doc = DeTable::parse(&text).map_err(|e| src.toml_error(&e))?;
    for (key, _) in doc.get_ref() {
        let k: &str = key.get_ref();
        if k == "generate" || k == "expected" {
            return Err(src
                .error(
                    Some(key.span()),
                    Some(k.to_string()),
                    format!("an input holds the arguments only, not `{k}`"),
                )
                .help("the answer it is compared with is the reference's".to_string()));
        }
        let sig = &problem.signature;
        if !sig.args.iter().any(|(a, _)| a == k) {
            let names: Vec<&str> = sig.args.iter().map(|(a, _)| a.as_str()).collect();
            return Err(src.error(
                Some(key.span()),
                Some(k.to_string()),
                format!(
                    "`{}` has no argument `{k}` (its arguments: {})",
                    sig.name,
                    names.join(", ")
                ),
            ));
        }
    }
    let ctx = CaseContext {
        signature: &problem.signature,
        records: &problem.records,
    };
    ctx.case(&src, doc.get_ref(), 0..text.len(), "input".into(), "input")
}

/// One case of `problem` from JSON (the service's `input`): each argument by name, in the
/// form the `--json` report shows values. `Err((argument, why))` names what is wrong.
pub fn input_from_json(
    problem: &Problem,
    input: &serde_json::Map<String, Json>,
) -> Result<Case, (String, String)> {
    let sig = &problem.signature;
    if let Some(extra) = input
        .keys()
        .find(|k| !sig.args.iter().any(|(a, _)| a == *k))
    {
        let names: Vec<&str> = sig.args.iter().map(|(a, _)| a.as_str()).collect();
        return Err((
            extra.clone(),
            format!(
                "`{}` has no argument `{extra}` (its arguments: {})",
                sig.name,
                names.join(", ")
            ),
        ));
    }
    let mut args = Vec::with_capacity(sig.args.len());
    for (arg, ty) in &sig.args {
        let value = input.get(arg).ok_or_else(|| {
            (
                arg.clone(),
                format!("the argument `{arg}` ({ty}) is missing"),
            )
        })?;
        value::check_json(value, ty, problem)
            .map_err(|e| (arg.clone(), format!("`{arg}` is a `{ty}`: {e}")))?;
        args.push(value.clone());
    }
    Ok(Case {
        name: "input".into(),
        args,
        generate: None,
        input: None,
        expected: None,
        origin: Origin {
            file: PathBuf::from("input"),
            line: 0,
        },
    })
}

fn problem_id(dir: &Path) -> Result<String, SpecError> {
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && name.starts_with(|c: char| c.is_ascii_lowercase());
    if valid {
        Ok(name.to_string())
    } else {
        Err(SpecError {
            file: dir.to_path_buf(),
            line: None,
            key: None,
            message: format!("`{name}` is not a problem id: use lowercase letters, digits and '-'"),
            snippet: None,
            help: None,
        })
    }
}

fn read(path: &Path) -> Result<String, SpecError> {
    std::fs::read_to_string(path).map_err(|e| SpecError {
        file: path.to_path_buf(),
        line: None,
        key: None,
        message: format!("cannot read: {e}"),
        snippet: None,
        help: None,
    })
}

fn check_limits(src: &Source<'_>, spec: &ProblemToml) -> Result<(), SpecError> {
    let l = spec.limits;
    let bad = [
        (
            "limits.time_ms",
            l.time_ms == 0 || l.time_ms > 60_000,
            "between 1 and 60000",
        ),
        (
            "limits.memory_mb",
            l.memory_mb < 16 || l.memory_mb > 16_384,
            "between 16 and 16384",
        ),
        (
            "limits.output_kb",
            l.output_kb == 0 || l.output_kb > 1_048_576,
            "between 1 and 1048576",
        ),
        (
            "limits.disk_mb",
            l.disk_mb == 0 || l.disk_mb > 4096,
            "between 1 and 4096",
        ),
    ];
    if let Some((key, _, range)) = bad.iter().find(|(_, is_bad, _)| *is_bad) {
        return Err(src.error(None, Some((*key).into()), format!("must be {range}")));
    }
    let c = spec.checker;
    if !(c.abs_tol >= 0.0 && c.rel_tol >= 0.0) {
        return Err(src.error(
            None,
            Some("checker".into()),
            "abs_tol and rel_tol must be >= 0",
        ));
    }
    Ok(())
}

fn parse_records(
    src: &Source<'_>,
    raw: &toml::map::Map<String, toml::Value>,
) -> Result<Vec<Record>, SpecError> {
    let names: Vec<&String> = raw.keys().collect();
    let is_record = |n: &str| names.iter().any(|k| k.as_str() == n);
    let mut records = Vec::new();
    for (name, body) in raw {
        let key = format!("records.{name}");
        if !name.starts_with(|c: char| c.is_ascii_uppercase()) {
            return Err(src.error(
                None,
                Some(key),
                "record names start with an uppercase letter",
            ));
        }
        let toml::Value::Table(fields) = body else {
            return Err(src.error(None, Some(key), "a record is a table of `field = \"Type\"`"));
        };
        let mut parsed = Vec::new();
        for (field, ty) in fields {
            let fkey = format!("{key}.{field}");
            let toml::Value::String(ty) = ty else {
                return Err(src.error(
                    None,
                    Some(fkey),
                    "a field's type is a string, e.g. \"f64\"",
                ));
            };
            let ty =
                types::parse_type(ty, &is_record).map_err(|m| src.error(None, Some(fkey), m))?;
            parsed.push((field.clone(), ty));
        }
        records.push(Record {
            name: name.clone(),
            fields: parsed,
        });
    }
    Ok(records)
}

struct CaseContext<'a> {
    signature: &'a Signature,
    records: &'a Vec<Record>,
}

impl CaseContext<'_> {
    fn groups(
        &self,
        src: &Source<'_>,
        doc: &Spanned<DeTable<'_>>,
        raw: Vec<GroupToml>,
    ) -> Result<Vec<Group>, SpecError> {
        let tables = array_of_tables(doc.get_ref(), "group");
        let mut groups: Vec<Group> = Vec::new();
        for (i, g) in raw.into_iter().enumerate() {
            let name = g.name.get_ref().clone();
            let valid = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !valid {
                return Err(src.error(
                    Some(g.name.span()),
                    Some(format!("group[{i}].name")),
                    "a group name uses letters, digits, '-' and '_'",
                ));
            }
            if groups.iter().any(|o| o.name == name) {
                return Err(src.error(
                    Some(g.name.span()),
                    Some(format!("group[{i}].name")),
                    format!("group `{name}` is defined twice"),
                ));
            }
            let table = tables
                .get(i)
                .copied()
                .ok_or_else(|| src.error(None, Some("group".into()), "malformed group list"))?;
            let cases = self.cases(
                src,
                &Spanned::new(0..0, table.clone()),
                "case",
                &name,
                &format!("group.{name}.case"),
            )?;
            if cases.is_empty() {
                return Err(src.error(
                    Some(g.name.span()),
                    Some(format!("group.{name}")),
                    "a group needs at least one [[group.case]]",
                ));
            }
            let Some(points) = g.points else {
                return Err(src
                    .error(
                        Some(g.name.span()),
                        Some(format!("group.{name}.points")),
                        format!("group `{name}` has no points"),
                    )
                    .help("give the group its points, like `points = 10` under its `name`; a group scores them only when every one of its cases passes"));
            };
            groups.push(Group {
                name,
                points,
                cases,
            });
        }
        Ok(groups)
    }

    /// Reads the cases under `key` of `table`, naming them `<prefix>-<n>`.
    fn cases(
        &self,
        src: &Source<'_>,
        table: &Spanned<DeTable<'_>>,
        key: &str,
        prefix: &str,
        key_path: &str,
    ) -> Result<Vec<Case>, SpecError> {
        array_of_tables(table.get_ref(), key)
            .into_iter()
            .zip(spans_of(table.get_ref(), key))
            .enumerate()
            .map(|(i, (case, span))| {
                let name = format!("{prefix}-{}", i + 1);
                self.case(src, case, span, name, &format!("{key_path}[{i}]"))
            })
            .collect()
    }

    fn case(
        &self,
        src: &Source<'_>,
        table: &DeTable<'_>,
        span: Range<usize>,
        name: String,
        key_path: &str,
    ) -> Result<Case, SpecError> {
        let sig = self.signature;
        for (key, _) in table {
            let k: &str = key.get_ref();
            if k != "expected" && k != "generate" && !sig.args.iter().any(|(a, _)| a == k) {
                let args: Vec<&str> = sig.args.iter().map(|(a, _)| a.as_str()).collect();
                return Err(src.error(Some(key.span()), Some(format!("{key_path}.{k}")), format!(
                    "`{}` has no argument `{k}` (its arguments: {}; `expected` holds a stored answer)",
                    sig.name,
                    args.join(", ")
                )));
            }
        }
        let find = |k: &str| {
            table
                .iter()
                .find(|(key, _)| {
                    let s: &str = key.get_ref();
                    s == k
                })
                .map(|(_, v)| v)
        };
        let convert = |v: &Spanned<DeValue<'_>>, ty: &Ty, path: &str| {
            value::from_toml(v, ty, self.records, path).map_err(|e| {
                let what = if path == "expected" {
                    format!("the answer is a `{ty}` (the signature's return type)")
                } else {
                    format!("`{path}` is a `{ty}` (from the signature)")
                };
                src.error(
                    Some(e.span),
                    Some(format!("{key_path}.{}", e.path)),
                    format!("{} (type {ty})", e.message),
                )
                .help(format!(
                    "{what}: write it like `{path} = {}`",
                    value::example(ty, self.records)
                ))
            })
        };
        let origin = Origin {
            file: src.path.to_path_buf(),
            line: src.line_of(span.start),
        };
        if let Some(g) = find("generate") {
            let generate = parse_generate(src, g, key_path)?;
            if table.len() > 1 {
                return Err(src.error(
                    Some(span),
                    Some(key_path.to_string()),
                    "a generated case holds only `generate = { seed = .., size = .. }`",
                ));
            }
            if !src.path.with_file_name("generator.rs").is_file() {
                return Err(src.error(
                    Some(g.span()),
                    Some(format!("{key_path}.generate")),
                    "this case is generated, but the problem folder has no generator.rs",
                )
                .help(format!(
                    "add generator.rs defining `fn generate(seed: u64, size: usize) -> {}` that draws from `judge_rt::Rng::new(seed)`, or write the case's arguments out",
                    sig.generated()
                )));
            }
            return Ok(Case {
                name,
                args: Vec::new(),
                generate: Some(generate),
                input: None,
                expected: None,
                origin,
            });
        }
        let mut args = Vec::with_capacity(sig.args.len());
        for (arg, ty) in &sig.args {
            let v = find(arg).ok_or_else(|| {
                src.error(
                    Some(span.clone()),
                    Some(key_path.to_string()),
                    format!("missing argument `{arg}` ({ty})"),
                )
                .help(format!(
                    "add `{arg} = {}` to this case (a case has one key per argument of `{}`)",
                    value::example(ty, self.records),
                    sig.name
                ))
            })?;
            args.push(convert(v, ty, arg)?);
        }
        let expected = find("expected")
            .map(|v| convert(v, &sig.ret, "expected"))
            .transpose()?;
        Ok(Case {
            name,
            args,
            generate: None,
            input: None,
            expected,
            origin,
        })
    }
}

fn parse_generate(
    src: &Source<'_>,
    v: &Spanned<DeValue<'_>>,
    key_path: &str,
) -> Result<Generate, SpecError> {
    let key = format!("{key_path}.generate");
    let DeValue::Table(t) = v.get_ref() else {
        return Err(src.error(
            Some(v.span()),
            Some(key),
            "write `generate = { seed = 1, size = 1000 }`",
        ));
    };
    let mut out = Generate { seed: 0, size: 0 };
    let mut seen = 0;
    for (k, x) in t {
        let name: &str = k.get_ref();
        let n = match x.get_ref() {
            DeValue::Integer(i) => {
                u64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok()
            }
            _ => None,
        };
        let Some(n) = n else {
            return Err(src.error(
                Some(x.span()),
                Some(format!("{key}.{name}")),
                "expected a non-negative integer",
            ));
        };
        match name {
            "seed" => out.seed = n,
            "size" => out.size = n,
            _ => {
                return Err(src.error(
                    Some(k.span()),
                    Some(format!("{key}.{name}")),
                    "`generate` takes only `seed` and `size`",
                ))
            }
        }
        seen += 1;
    }
    if seen != 2 {
        return Err(src.error(
            Some(v.span()),
            Some(key),
            "`generate` needs both `seed` and `size`",
        ));
    }
    Ok(out)
}

/// The tables of an array-of-tables (or inline array of tables) under `key`.
fn array_of_tables<'a, 'i>(table: &'a DeTable<'i>, key: &str) -> Vec<&'a DeTable<'i>> {
    entry(table, key)
        .and_then(|v| match v.get_ref() {
            DeValue::Array(items) => Some(
                items
                    .iter()
                    .filter_map(|i| match i.get_ref() {
                        DeValue::Table(t) => Some(t),
                        _ => None,
                    })
                    .collect(),
            ),
            _ => None,
        })
        .unwrap_or_default()
}

fn spans_of(table: &DeTable<'_>, key: &str) -> Vec<Range<usize>> {
    match entry(table, key).map(Spanned::get_ref) {
        Some(DeValue::Array(items)) => items.iter().map(Spanned::span).collect(),
        _ => Vec::new(),
    }
}

fn entry<'a, 'i>(table: &'a DeTable<'i>, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
    table
        .iter()
        .find(|(k, _)| {
            let s: &str = k.get_ref();
            s == key
        })
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feedback_levels_go_from_least_to_most() {
        use HiddenDetails::{FirstFailure, Kind, Outcome, Verdict};
        assert!(Verdict < Outcome && Outcome < Kind && Kind < FirstFailure);
        assert_eq!(HiddenDetails::default(), Kind);
        assert_eq!(FirstFailure.name(), "first-failure");
    }

    #[test]
    fn a_bank_default_is_read_from_its_problems_folder_only() {
        let tmp = tempfile::tempdir().unwrap();
        let problems = tmp.path().join("problems");
        std::fs::create_dir(&problems).unwrap();
        let in_bank = problems.join("p");
        assert_eq!(bank_hidden_details(&in_bank), Ok(HiddenDetails::Kind));
        std::fs::write(
            problems.join(BANK_FILE),
            "[feedback]\nhidden = \"outcome\"\n",
        )
        .unwrap();
        assert_eq!(bank_hidden_details(&in_bank), Ok(HiddenDetails::Outcome));
        // A problem folder that is not in a `problems/` folder never reads a stray file.
        std::fs::write(
            tmp.path().join(BANK_FILE),
            "[feedback]\nhidden = \"verdict\"\n",
        )
        .unwrap();
        assert_eq!(
            bank_hidden_details(&tmp.path().join("p")),
            Ok(HiddenDetails::Kind)
        );
        std::fs::write(
            problems.join(BANK_FILE),
            "[feedback]\nhiden = \"verdict\"\n",
        )
        .unwrap();
        let e = bank_hidden_details(&in_bank).unwrap_err();
        assert!(e.file.ends_with("problems/bank.toml"), "{e}");
        assert_eq!(e.line, Some(2), "{e}");
    }
}

/// Property tests: whatever problem.toml and tests.toml hold, loading gives a `Problem` or
/// an error naming the file, never a panic. Each starts from a valid problem and mutates it.
#[cfg(test)]
mod proptests {
    use super::*;
    use crate::problem::value::proptests::toml_value_text;
    use proptest::prelude::*;

    const PROBLEM: &str = r#"title = "Mixed"
difficulty = "easy"
signature = "fn mixed(xs: Vec<i64>, r: Option<Rec>, m: Array2<f64>, t: (usize, String)) -> Vec<f64>"
statement = "Anything."

[records.Rec]
a = "i64"
b = "Vec<Option<f64>>"

[checker]
kind = "float"
abs_tol = 1e-6
rel_tol = 1e-6

[[sample]]
xs = [1, 2]
r = "None"
m = [[1.0, 2.0]]
t = [3, "x"]
expected = [2.5]
"#;

    const TESTS: &str = r#"[[group]]
name = "basic"
points = 10

[[group.case]]
xs = [5]
r = { a = 1, b = [2.5, "None"] }
m = []
t = [0, ""]
expected = [1.0, nan]
"#;

    /// Loads a problem folder `mixed` holding these two files.
    fn load_files(problem: &[u8], tests: &[u8]) -> Result<Problem, SpecError> {
        let root = tempfile::tempdir().expect("a temp dir");
        let dir = root.path().join("mixed");
        std::fs::create_dir(&dir).expect("the problem folder");
        std::fs::write(dir.join("problem.toml"), problem).expect("problem.toml");
        std::fs::write(dir.join("tests.toml"), tests).expect("tests.toml");
        load(&dir)
    }

    /// The error names one of the problem's files, and its text starts with that file.
    fn names_a_file(
        result: Result<Problem, SpecError>,
        files: &[&str],
    ) -> Result<(), TestCaseError> {
        if let Err(e) = result {
            let name = e
                .file
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            prop_assert!(files.contains(&name), "{e}");
            prop_assert!(e.to_string().starts_with(&e.file.display().to_string()));
        }
        Ok(())
    }

    /// `text` with `len` bytes at `at` (both taken modulo its length, on char boundaries)
    /// replaced by `with`.
    fn splice(text: &str, at: usize, len: usize, with: &str) -> String {
        let mut from = at % (text.len() + 1);
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        let mut to = (from + len).min(text.len());
        while !text.is_char_boundary(to) {
            to -= 1;
        }
        format!("{}{with}{}", &text[..from], &text[to..])
    }

    #[test]
    fn the_fixture_loads() {
        let p = load_files(PROBLEM.as_bytes(), TESTS.as_bytes()).unwrap();
        assert_eq!(p.cases().count(), 2);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn arbitrary_problem_toml_loads_or_names_it(text in ".{0,200}") {
            names_a_file(load_files(text.as_bytes(), TESTS.as_bytes()), &["problem.toml"])?;
        }

        #[test]
        fn arbitrary_tests_toml_loads_or_names_it(text in ".{0,200}") {
            names_a_file(load_files(PROBLEM.as_bytes(), text.as_bytes()), &["tests.toml"])?;
        }

        #[test]
        fn arbitrary_bytes_load_or_name_the_file(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
            names_a_file(load_files(&bytes, TESTS.as_bytes()), &["problem.toml"])?;
            names_a_file(load_files(PROBLEM.as_bytes(), &bytes), &["tests.toml"])?;
        }

        #[test]
        fn spliced_files_load_or_name_the_file(
            at in any::<usize>(),
            len in 0usize..12,
            with in prop_oneof![".{0,12}", toml_value_text(), Just("\n[[group.case]]\n".to_string())],
        ) {
            let problem = splice(PROBLEM, at, len, &with);
            names_a_file(load_files(problem.as_bytes(), TESTS.as_bytes()), &["problem.toml", "tests.toml"])?;
            let tests = splice(TESTS, at, len, &with);
            names_a_file(load_files(PROBLEM.as_bytes(), tests.as_bytes()), &["tests.toml"])?;
        }

        #[test]
        fn any_value_for_an_argument_loads_or_names_tests_toml(
            key in prop::sample::select(vec!["xs", "r", "m", "t", "expected"]),
            value in toml_value_text(),
        ) {
            let tests: String = TESTS
                .lines()
                .map(|l| if l.starts_with(&format!("{key} = ")) { format!("{key} = {value}\n") } else { format!("{l}\n") })
                .collect();
            names_a_file(load_files(PROBLEM.as_bytes(), tests.as_bytes()), &["tests.toml"])?;
        }

        #[test]
        fn any_signature_loads_or_names_problem_toml(sig in "fn [a-z]{1,3}\\(.{0,30}\\) -> .{0,20}") {
            let problem = PROBLEM.replace(
                "fn mixed(xs: Vec<i64>, r: Option<Rec>, m: Array2<f64>, t: (usize, String)) -> Vec<f64>",
                &sig.replace(['"', '\\'], ""),
            );
            names_a_file(load_files(problem.as_bytes(), TESTS.as_bytes()), &["problem.toml", "tests.toml"])?;
        }
    }
}
