//! Kattis problem packages (the legacy format and the 2023-07 draft that problemtools
//! reads): `problem.yaml`, the statement, `data/sample` and `data/secret` with nested test
//! groups, output and input validators, and known submissions. A solution to such a
//! problem is a whole program reading stdin and writing stdout.
//!
//! Invariant: a `Package` that loaded is valid (every case has its answer file, every key
//! is known and of the right kind); every mistake is a `SpecError` naming the file and the
//! key. Like `spec`, this reads files and runs nothing.

pub mod document;
mod flags;
mod latex;
pub mod testdata;
mod yaml;

use std::path::{Path, PathBuf};

pub use flags::DefaultFlags;
pub use testdata::{Grading, Item, ScoreMode, TestCase, TestGroup, VerdictMode};

use crate::problem::spec::SpecError;
use yaml::Doc;

/// The file that makes a folder a package.
pub const PROBLEM_YAML: &str = "problem.yaml";

/// Whether `dir` holds a Kattis package (rather than a TOML problem).
pub fn is_package(dir: &Path) -> bool {
    dir.join(PROBLEM_YAML).is_file() && !dir.join("problem.toml").is_file()
}

/// A loaded, valid package.
#[derive(Debug, Clone)]
pub struct Package {
    pub id: String,
    pub dir: PathBuf,
    pub name: String,
    /// The statement as Markdown (LaTeX shown as plain text), and the file it came from.
    pub statement: Option<(PathBuf, String)>,
    /// `type: scoring` (or legacy `type: scoring`): accepted submissions get a score.
    pub scoring: bool,
    /// `validation: custom interactive` or `type: interactive`.
    pub interactive: bool,
    /// The output validator, when validation is custom; `None`: the default validator.
    pub output_validator: Option<Program>,
    /// `validator_flags` (legacy): given to the output validator on every case, before a
    /// group's own `output_validator_flags`.
    pub validator_flags: Vec<String>,
    pub input_validators: Vec<Program>,
    pub limits: PackageLimits,
    /// The root of `data/`: its grading (`data/testdata.yaml`).
    pub root_grading: Grading,
    pub samples: TestGroup,
    pub secret: TestGroup,
    pub submissions: Vec<KnownSubmission>,
}

/// `limits` of problem.yaml.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PackageLimits {
    /// `time_limit` in ms, when the package gives one; else it is derived from the slowest
    /// accepted submission.
    pub time_ms: Option<u64>,
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

/// The language of a program, by its files' extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Rust,
    Cpp,
    C,
    Python,
}

impl Language {
    pub fn name(self) -> &'static str {
        match self {
            Language::Rust => "Rust",
            Language::Cpp => "C++",
            Language::C => "C",
            Language::Python => "Python 3",
        }
    }

    fn of(path: &Path) -> Option<Language> {
        match path.extension()?.to_str()? {
            "rs" => Some(Language::Rust),
            "cpp" | "cc" | "cxx" | "c++" | "C" => Some(Language::Cpp),
            "c" => Some(Language::C),
            "py" | "py3" => Some(Language::Python),
            _ => None,
        }
    }
}

/// A program of the package (a validator or a submission): one file, or a folder of them.
#[derive(Debug, Clone, PartialEq)]
pub struct Program {
    /// The file or folder, as the package holds it.
    pub path: PathBuf,
    /// `None`: a language the judge does not build (the files are named in messages).
    pub language: Option<Language>,
    /// The source files to build, the entry point first.
    pub sources: Vec<PathBuf>,
}

impl Program {
    /// The program at `path` (a file, or a folder of one language's files).
    pub fn at(path: &Path) -> Program {
        let mut files: Vec<PathBuf> = if path.is_dir() {
            std::fs::read_dir(path)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect()
        } else {
            vec![path.to_path_buf()]
        };
        files.sort();
        let languages: Vec<Language> = files.iter().filter_map(|f| Language::of(f)).collect();
        let language = languages.first().copied().filter(|first| {
            // C headers beside C++ files are fine; two languages are not.
            languages
                .iter()
                .all(|l| l == first || (*first == Language::Cpp && *l == Language::C))
        });
        let mut sources: Vec<PathBuf> = files
            .into_iter()
            .filter(|f| Language::of(f).is_some_and(|l| Some(l) == language || l == Language::C))
            .collect();
        // The entry point first: main.rs, __main__.py, or the only file.
        let entry = ["main.rs", "__main__.py", "main.py"];
        if let Some(i) = sources
            .iter()
            .position(|s| entry.iter().any(|e| s.ends_with(e)))
        {
            let main = sources.remove(i);
            sources.insert(0, main);
        }
        Program {
            path: path.to_path_buf(),
            language: language.filter(|_| !sources.is_empty()),
            sources,
        }
    }

    /// The entry file's text and the other Rust files of a folder program (name, text),
    /// for its `mod` lines.
    pub fn rust_sources(&self) -> std::io::Result<RustSources> {
        let entry = self.sources.first().unwrap_or(&self.path).clone();
        let text = std::fs::read_to_string(&entry)?;
        let mut modules = Vec::new();
        for file in self.sources.iter().skip(1) {
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if std::path::Path::new(name)
                .extension()
                .is_some_and(|e| e == "rs")
            {
                modules.push((name.to_string(), std::fs::read_to_string(file)?));
            }
        }
        Ok((entry, text, modules))
    }

    /// The program's name within its folder (`accepted/fast.rs`).
    pub fn name(&self) -> String {
        let mut parts: Vec<&str> = self
            .path
            .iter()
            .rev()
            .take(2)
            .filter_map(|p| p.to_str())
            .collect();
        parts.reverse();
        parts.join("/")
    }
}

/// A Rust program's entry file, its text, and its other files (name, text).
pub type RustSources = (PathBuf, String, Vec<(String, String)>);

/// What a known submission's folder says it must get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// `accepted`: AC on every case (full score on scoring problems).
    Accepted,
    /// `partially_accepted`: AC, with less than the full score.
    PartiallyAccepted,
    /// `wrong_answer`: WA on some case.
    WrongAnswer,
    /// `time_limit_exceeded`: too slow on some case.
    TimeLimitExceeded,
    /// `run_time_error`: crashes on some case.
    RunTimeError,
    /// `rejected` (draft): not accepted, however.
    Rejected,
}

impl Expected {
    pub fn from_folder(name: &str) -> Option<Expected> {
        Some(match name {
            "accepted" => Expected::Accepted,
            "partially_accepted" => Expected::PartiallyAccepted,
            "wrong_answer" => Expected::WrongAnswer,
            "time_limit_exceeded" => Expected::TimeLimitExceeded,
            "run_time_error" => Expected::RunTimeError,
            "rejected" => Expected::Rejected,
            _ => return None,
        })
    }

    pub fn folder(self) -> &'static str {
        match self {
            Expected::Accepted => "accepted",
            Expected::PartiallyAccepted => "partially_accepted",
            Expected::WrongAnswer => "wrong_answer",
            Expected::TimeLimitExceeded => "time_limit_exceeded",
            Expected::RunTimeError => "run_time_error",
            Expected::Rejected => "rejected",
        }
    }
}

/// A program under `submissions/<expected>/`.
#[derive(Debug, Clone, PartialEq)]
pub struct KnownSubmission {
    pub program: Program,
    pub expected: Expected,
}

impl Package {
    /// Every case, samples first, in judging order.
    pub fn cases(&self) -> Vec<&TestCase> {
        let mut cases = self.samples.cases();
        cases.extend(self.secret.cases());
        cases
    }

    /// The group that directly holds `case`.
    pub fn group_of(&self, case: &TestCase) -> &TestGroup {
        self.samples
            .group_of(&case.name)
            .or_else(|| self.secret.group_of(&case.name))
            .unwrap_or(&self.secret)
    }

    /// The output validator's arguments for `case`: problem.yaml's `validator_flags`, then
    /// its group's `output_validator_flags`.
    pub fn validator_args(&self, case: &TestCase) -> Vec<String> {
        let mut args = self.validator_flags.clone();
        args.extend(
            self.group_of(case)
                .grading
                .output_validator_flags
                .iter()
                .cloned(),
        );
        args
    }

    /// The default validator's flags for `case` (checked when the package loaded).
    pub fn default_flags(&self, case: &TestCase) -> DefaultFlags {
        DefaultFlags::parse(&self.validator_args(case)).unwrap_or_default()
    }

    /// Every group, samples first.
    pub fn groups(&self) -> Vec<&TestGroup> {
        let mut groups = self.samples.groups();
        groups.extend(self.secret.groups());
        groups
    }
}

/// With the default validator, every group's flags must be ones it takes.
fn check_default_flags(package: &Package, doc: Doc<'_>) -> Result<(), SpecError> {
    if package.output_validator.is_some() {
        return Ok(());
    }
    DefaultFlags::parse(&package.validator_flags).map_err(|e| doc.error("validator_flags", e))?;
    for group in package.groups() {
        let own = &group.grading.output_validator_flags;
        if let Err(e) = DefaultFlags::parse(own) {
            let dir = package.dir.join("data").join(&group.name);
            // The group's own file, else the ancestor's it inherits.
            let file = dir
                .ancestors()
                .take_while(|d| d.starts_with(package.dir.join("data")))
                .flat_map(|d| [d.join("testdata.yaml"), d.join("test_group.yaml")])
                .find(|f| f.is_file())
                .unwrap_or(dir);
            return Err(SpecError {
                file,
                line: None,
                key: Some("output_validator_flags".into()),
                message: e,
                snippet: None,
                help: None,
            });
        }
    }
    Ok(())
}

/// Reads a text file of the package.
pub(crate) fn read_text(path: &Path) -> Result<String, SpecError> {
    std::fs::read_to_string(path).map_err(|e| SpecError {
        file: path.to_path_buf(),
        line: None,
        key: None,
        message: format!("cannot read: {e}"),
        snippet: None,
        help: None,
    })
}

/// Keys of problem.yaml, both formats: the spec calls any other key an error.
const PROBLEM_KEYS: &[&str] = &[
    "problem_format_version",
    "type",
    "name",
    "uuid",
    "version",
    "author",
    "credits",
    "source",
    "source_url",
    "license",
    "rights_owner",
    "embargo_until",
    "limits",
    "validation",
    "validator_flags",
    "grading",
    "keywords",
    "languages",
    "allow_file_writing",
    "constants",
];

const LIMIT_KEYS: &[&str] = &[
    "time_multiplier",
    "time_safety_margin",
    "time_multipliers",
    "time_limit",
    "time_resolution",
    "memory",
    "output",
    "code",
    "compilation_time",
    "compilation_memory",
    "validation_time",
    "validation_memory",
    "validation_output",
    "validation_passes",
];

/// What problem.yaml says, before the folders are read.
struct Metadata {
    name: Option<String>,
    scoring: bool,
    interactive: bool,
    custom_validation: bool,
    validator_flags: Vec<String>,
    limits: PackageLimits,
}

/// Loads and checks the package in `dir`.
pub fn load(dir: &Path) -> Result<Package, SpecError> {
    // Absolute: the package's files are bound into boxes (validators, inputs) by path.
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let dir = absolute.as_path();
    let path = dir.join(PROBLEM_YAML);
    let text = read_text(&path)?;
    let doc = Doc {
        path: &path,
        text: &text,
    };
    let meta = metadata(doc)?;
    let id = dir
        .canonicalize()
        .unwrap_or_else(|_| dir.to_path_buf())
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("problem")
        .to_string();
    let statement = latex::statement(dir)?;
    let name = meta
        .name
        .clone()
        .or_else(|| statement.as_ref().and_then(|(_, _, title)| title.clone()))
        .unwrap_or_else(|| id.clone());
    let data = dir.join("data");
    let secret_dir = data.join("secret");
    if !secret_dir.is_dir() {
        return Err(SpecError {
            file: secret_dir,
            line: None,
            key: None,
            message: "a package needs its secret test data here".into(),
            snippet: None,
            help: Some("put each test case in data/secret/ as a NAME.in and NAME.ans pair".into()),
        });
    }
    let root_grading = testdata::root_grading(&data, meta.scoring)?;
    let samples = if data.join("sample").is_dir() {
        testdata::load_group(&data.join("sample"), "sample", &root_grading, meta.scoring)?
    } else {
        TestGroup {
            name: "sample".into(),
            grading: root_grading.clone(),
            items: Vec::new(),
        }
    };
    let secret = testdata::load_group(&secret_dir, "secret", &root_grading, meta.scoring)?;
    if secret.cases().is_empty() {
        return Err(SpecError {
            file: secret_dir,
            line: None,
            key: None,
            message: "no test cases: data/secret holds no .in files".into(),
            snippet: None,
            help: Some("put each test case in data/secret/ as a NAME.in and NAME.ans pair".into()),
        });
    }
    let output_validator = output_validator(dir, &meta, doc)?;
    let package = Package {
        id,
        dir: dir.to_path_buf(),
        name,
        statement: statement.map(|(path, text, _)| (path, text)),
        scoring: meta.scoring,
        interactive: meta.interactive,
        output_validator,
        validator_flags: meta.validator_flags,
        input_validators: programs_in(&dir.join("input_validators"))
            .into_iter()
            .chain(programs_in(&dir.join("input_format_validators")))
            .collect(),
        limits: meta.limits,
        root_grading,
        samples,
        secret,
        submissions: submissions(dir),
    };
    check_default_flags(&package, doc)?;
    Ok(package)
}

fn metadata(doc: Doc<'_>) -> Result<Metadata, SpecError> {
    let yaml = doc.parse()?;
    let top = doc.map(&yaml, "", PROBLEM_KEYS)?;
    let version = top
        .string("problem_format_version")?
        .unwrap_or_else(|| "legacy".into());
    let draft = !version.starts_with("legacy");
    if draft && !matches!(version.as_str(), "2023-07-draft" | "2023-07" | "draft") {
        return Err(top
            .error(
                "problem_format_version",
                format!("unsupported format version `{version}`"),
            )
            .help("the judge reads `legacy` (the default) and `2023-07-draft`"));
    }
    let types = top.words("type")?.unwrap_or_default();
    let mut scoring = false;
    let mut interactive = false;
    for t in &types {
        match t.as_str() {
            "pass-fail" => {}
            "scoring" => scoring = true,
            "interactive" if draft => interactive = true,
            "multi-pass" | "submit-answer" => {
                return Err(top.error("type", format!("`{t}` problems are not supported")))
            }
            other => {
                let allowed = if draft {
                    "pass-fail, scoring, interactive"
                } else {
                    "pass-fail, scoring (interactive problems say `validation: custom interactive`)"
                };
                return Err(top
                    .error("type", format!("unknown problem type `{other}`"))
                    .help(format!("the types are: {allowed}")));
            }
        }
    }
    if scoring && types.iter().any(|t| t == "pass-fail") {
        return Err(top.error("type", "`pass-fail` and `scoring` exclude each other"));
    }
    let mut custom_validation = interactive;
    if let Some(words) = top.words("validation")? {
        match words.first().map(String::as_str) {
            Some("default") if words.len() == 1 => {}
            Some("custom") => {
                custom_validation = true;
                for w in &words[1..] {
                    match w.as_str() {
                        "interactive" => interactive = true,
                        "score" if scoring => {}
                        "score" => {
                            return Err(top.error(
                                "validation",
                                "`custom score` needs a scoring problem (`type: scoring`)",
                            ))
                        }
                        other => {
                            return Err(top
                                .error("validation", format!("unknown validation word `{other}`"))
                                .help("write `default`, or `custom` followed by any of `score`, `interactive`"))
                        }
                    }
                }
            }
            _ => {
                return Err(top
                    .error(
                        "validation",
                        format!(
                            "expected `default` or `custom ...`, found `{}`",
                            words.join(" ")
                        ),
                    )
                    .help(
                        "write `default`, or `custom` followed by any of `score`, `interactive`",
                    ))
            }
        }
    }
    let validator_flags = top.words("validator_flags")?.unwrap_or_default();
    // Read for their shape only: a package is checked whole, as problemtools does.
    top.words("keywords")?;
    top.words("languages")?;
    let name = match top.get("name") {
        // The draft's map of language codes to names: English first, else the first.
        Some(yaml_rust2::Yaml::Hash(names)) => {
            let english = names.get(&yaml_rust2::Yaml::String("en".into()));
            english
                .or_else(|| names.values().next())
                .and_then(|v| v.as_str())
                .map(str::to_string)
        }
        _ => top.string("name")?,
    };
    Ok(Metadata {
        name,
        scoring,
        interactive,
        custom_validation,
        validator_flags,
        limits: limits(&top)?,
    })
}

fn limits(top: &yaml::Map<'_>) -> Result<PackageLimits, SpecError> {
    let mut limits = PackageLimits {
        time_ms: None,
        // The legacy defaults (problemtools): 5 and 2. The draft's `time_multipliers`
        // default to 2 and 1.5, set below when present.
        ac_to_time_limit: 5.0,
        time_limit_to_tle: 2.0,
        resolution_ms: 1000,
        memory_mb: 1024,
        output_kb: 8 << 10,
        validation_ms: 60_000,
        validation_memory_mb: 2048,
    };
    let Some(map) = top.map("limits", LIMIT_KEYS)? else {
        return Ok(limits);
    };
    if let Some(m) = map.number("time_multiplier", 1.0)? {
        limits.ac_to_time_limit = m;
    }
    if let Some(m) = map.number("time_safety_margin", 1.0)? {
        limits.time_limit_to_tle = m;
    }
    if let Some(multipliers) = map.map(
        "time_multipliers",
        &["ac_to_time_limit", "time_limit_to_tle"],
    )? {
        limits.ac_to_time_limit = multipliers.number("ac_to_time_limit", 1.0)?.unwrap_or(2.0);
        limits.time_limit_to_tle = multipliers.number("time_limit_to_tle", 1.0)?.unwrap_or(1.5);
    }
    if let Some(seconds) = map.number("time_limit", 0.001)? {
        limits.time_ms = Some((seconds * 1000.0).round() as u64);
    }
    if let Some(seconds) = map.number("time_resolution", 0.001)? {
        limits.resolution_ms = ((seconds * 1000.0).round() as u64).max(1);
    }
    if let Some(mb) = map.number("memory", 1.0)? {
        limits.memory_mb = mb as u64;
    }
    if let Some(mb) = map.number("output", 1.0)? {
        limits.output_kb = (mb * 1024.0) as u64;
    }
    if let Some(seconds) = map.number("validation_time", 0.001)? {
        limits.validation_ms = (seconds * 1000.0).round() as u64;
    }
    if let Some(mb) = map.number("validation_memory", 1.0)? {
        limits.validation_memory_mb = mb as u64;
    }
    Ok(limits)
}

/// The output validator: `output_validators/` (legacy: one program inside it) or
/// `output_validator/` (the draft: the folder is the program). Required by custom
/// validation, and only used with it.
fn output_validator(
    dir: &Path,
    meta: &Metadata,
    doc: Doc<'_>,
) -> Result<Option<Program>, SpecError> {
    let draft = dir.join("output_validator");
    let legacy = dir.join("output_validators");
    let program = if draft.is_dir() {
        Some(Program::at(&draft))
    } else {
        let mut found = programs_in(&legacy);
        if found.len() > 1 {
            return Err(SpecError {
                file: legacy,
                line: None,
                key: None,
                message: format!(
                    "{} output validators; the judge runs one (every one must accept, and one program can check all)",
                    found.len()
                ),
                snippet: None,
                help: None,
            });
        }
        found.pop()
    };
    // The draft has no `validation` key: a package with an output_validator/ uses it.
    let custom = meta.custom_validation || draft.is_dir();
    match (custom, program) {
        (true, None) => Err(doc
            .error(
                if meta.interactive && doc.text.contains("type:") {
                    "type"
                } else {
                    "validation"
                },
                "custom validation needs an output validator, and the package has none",
            )
            .help("put the validator program in output_validators/ (or output_validator/ in the 2023-07 draft)")),
        (true, Some(p)) if p.language.is_none() => Err(SpecError {
            file: p.path,
            line: None,
            key: None,
            message: "the output validator is in no language the judge builds".into(),
            snippet: None,
            help: Some("write it in C++ (.cpp, .cc), Rust (.rs) or Python 3 (.py)".into()),
        }),
        (true, p) => Ok(p),
        (false, _) => Ok(None),
    }
}

/// The programs in a folder of programs: each file or folder is one.
fn programs_in(dir: &Path) -> Vec<Program> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            // Notes and build leftovers are not programs.
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            !name.starts_with('.')
                && !name.eq_ignore_ascii_case("README")
                && !p.extension().is_some_and(|e| e.eq_ignore_ascii_case("md"))
        })
        .collect();
    entries.sort();
    entries.iter().map(|p| Program::at(p)).collect()
}

/// Every program under `submissions/<expected>/`, in folder then name order; folders of
/// other names are not known submissions.
fn submissions(dir: &Path) -> Vec<KnownSubmission> {
    let mut folders: Vec<(Expected, PathBuf)> = std::fs::read_dir(dir.join("submissions"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| Some((Expected::from_folder(e.file_name().to_str()?)?, e.path())))
        .collect();
    folders.sort_by(|a, b| a.1.cmp(&b.1));
    folders
        .into_iter()
        .flat_map(|(expected, folder)| {
            programs_in(&folder)
                .into_iter()
                .map(move |program| KnownSubmission { program, expected })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    const MINIMAL: &[(&str, &str)] = &[
        ("problem.yaml", "name: Sum\n"),
        ("data/sample/1.in", "1 2\n"),
        ("data/sample/1.ans", "3\n"),
        ("data/secret/a.in", "5 5\n"),
        ("data/secret/a.ans", "10\n"),
    ];

    #[test]
    fn a_minimal_package_loads_with_the_legacy_defaults() {
        let dir = package(MINIMAL);
        let p = load(dir.path()).unwrap();
        assert_eq!(p.name, "Sum");
        assert_eq!(p.cases().len(), 2);
        assert_eq!(p.secret.cases()[0].name, "secret/a");
        assert_eq!(p.limits.time_ms, None);
        assert!((p.limits.ac_to_time_limit - 5.0).abs() < 1e-9);
        assert!(!p.scoring && !p.interactive && p.output_validator.is_none());
    }

    #[test]
    fn draft_limits_and_types_are_read() {
        let mut files = MINIMAL.to_vec();
        files[0] = (
            "problem.yaml",
            "problem_format_version: 2023-07-draft\nname:\n  en: Sum\ntype: [scoring]\nlimits:\n  time_limit: 1.5\n  memory: 64\n  time_multipliers:\n    ac_to_time_limit: 3\n",
        );
        let dir = package(&files);
        let p = load(dir.path()).unwrap();
        assert!(p.scoring);
        assert_eq!(p.limits.time_ms, Some(1500));
        assert_eq!(p.limits.memory_mb, 64);
        assert!((p.limits.ac_to_time_limit - 3.0).abs() < 1e-9);
        assert!((p.limits.time_limit_to_tle - 1.5).abs() < 1e-9);
    }

    #[test]
    fn a_case_without_its_answer_is_named() {
        let mut files = MINIMAL.to_vec();
        files.push(("data/secret/b.in", "1\n"));
        let dir = package(&files);
        let e = load(dir.path()).unwrap_err();
        assert!(e.file.ends_with("data/secret/b.in"), "{e}");
        assert!(e.message.contains("no answer file b.ans"), "{e}");
    }

    #[test]
    fn custom_validation_needs_a_validator() {
        let mut files = MINIMAL.to_vec();
        files[0] = ("problem.yaml", "name: Sum\nvalidation: custom\n");
        let dir = package(&files);
        let e = load(dir.path()).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("validation"));
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn nested_groups_keep_their_order_and_grading() {
        let mut files = MINIMAL.to_vec();
        files.extend([
            ("problem.yaml", "name: Sum\ntype: scoring\n"),
            ("data/secret/g2/1.in", ""),
            ("data/secret/g2/1.ans", ""),
            (
                "data/secret/g1/testdata.yaml",
                "grader_flags: min\naccept_score: 30\non_reject: continue\n",
            ),
            ("data/secret/g1/1.in", ""),
            ("data/secret/g1/1.ans", ""),
        ]);
        files.remove(0);
        let dir = package(&files);
        let p = load(dir.path()).unwrap();
        let names: Vec<&str> = p.secret.cases().iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["secret/a", "secret/g1/1", "secret/g2/1"]);
        let g1 = p.secret.group_of("secret/g1/1").unwrap();
        assert_eq!(g1.grading.score_mode, ScoreMode::Min);
        assert!(!g1.grading.on_reject_break);
        assert!((g1.grading.accept_score - 30.0).abs() < 1e-9);
        let g2 = p.secret.group_of("secret/g2/1").unwrap();
        assert_eq!(g2.grading, Grading::default());
    }

    #[test]
    fn default_validator_flags_are_checked_where_written() {
        let mut files = MINIMAL.to_vec();
        files[0] = (
            "problem.yaml",
            "name: Sum\nvalidator_flags: float_tolerance x\n",
        );
        let dir = package(&files);
        let e = load(dir.path()).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("validator_flags"));
        assert!(e.message.contains("found `x`"), "{e}");
        let mut files = MINIMAL.to_vec();
        files.push((
            "data/secret/testdata.yaml",
            "output_validator_flags: casesensitive\n",
        ));
        let dir = package(&files);
        let e = load(dir.path()).unwrap_err();
        assert!(e.file.ends_with("data/secret/testdata.yaml"), "{e}");
        assert!(e.message.contains("unknown flag `casesensitive`"), "{e}");
        let mut files = MINIMAL.to_vec();
        files[0] = (
            "problem.yaml",
            "name: Sum\nvalidator_flags: case_sensitive float_tolerance 1e-6\n",
        );
        let p = load(package(&files).path()).unwrap();
        let flags = p.default_flags(p.cases()[0]);
        assert!(flags.case_sensitive && flags.floats());
    }

    #[test]
    fn draft_group_files_inherit_key_by_key_and_legacy_ones_replace() {
        let mut files = MINIMAL.to_vec();
        files.extend([
            ("problem.yaml", "name: Sum\ntype: scoring\n"),
            (
                "data/secret/test_group.yaml",
                "on_reject: continue\nscoring:\n  score: 40\n  aggregation: min\n",
            ),
            (
                "data/secret/a/test_group.yaml",
                "output_validator_args: [case_sensitive]\n",
            ),
            ("data/secret/a/1.in", ""),
            ("data/secret/a/1.ans", ""),
            ("data/secret/b/testdata.yaml", "grader_flags: max\n"),
            ("data/secret/b/1.in", ""),
            ("data/secret/b/1.ans", ""),
        ]);
        files.remove(0);
        let p = load(package(&files).path()).unwrap();
        let a = &p.secret.group_of("secret/a/1").unwrap().grading;
        assert!(
            !a.on_reject_break,
            "inherited from the parent's test_group.yaml"
        );
        assert_eq!(a.score_mode, ScoreMode::Min);
        assert!((a.accept_score - 40.0).abs() < 1e-9);
        assert_eq!(a.output_validator_flags, ["case_sensitive"]);
        let b = &p.secret.group_of("secret/b/1").unwrap().grading;
        assert!(
            b.on_reject_break,
            "a legacy testdata.yaml starts from the defaults"
        );
        assert_eq!(b.score_mode, ScoreMode::Max);
        assert!((b.accept_score - 1.0).abs() < 1e-9);
    }

    #[test]
    fn ignore_sample_belongs_to_the_root() {
        let mut files = MINIMAL.to_vec();
        files.push(("data/testdata.yaml", "grader_flags: ignore_sample\n"));
        let p = load(package(&files).path()).unwrap();
        assert!(p.root_grading.ignore_sample);
        assert!(!p.secret.grading.ignore_sample);
        let mut files = MINIMAL.to_vec();
        files.push(("data/secret/testdata.yaml", "grader_flags: ignore_sample\n"));
        let e = load(package(&files).path()).unwrap_err();
        assert!(
            e.message.contains("only be used in data/testdata.yaml"),
            "{e}"
        );
    }

    #[test]
    fn scores_need_a_scoring_problem() {
        let mut files = MINIMAL.to_vec();
        files.push(("data/secret/testdata.yaml", "accept_score: 3\n"));
        let dir = package(&files);
        let e = load(dir.path()).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("accept_score"));
        assert!(e.file.ends_with("data/secret/testdata.yaml"));
    }

    #[test]
    fn submissions_are_found_by_folder_and_language() {
        let mut files = MINIMAL.to_vec();
        files.extend([
            ("submissions/accepted/a.rs", "fn main() {}"),
            ("submissions/accepted/b.py", ""),
            ("submissions/wrong_answer/dir/main.rs", "fn main() {}"),
            ("submissions/notes/x.rs", ""),
        ]);
        let dir = package(&files);
        let p = load(dir.path()).unwrap();
        let seen: Vec<(String, Expected, Option<Language>)> = p
            .submissions
            .iter()
            .map(|s| (s.program.name(), s.expected, s.program.language))
            .collect();
        assert_eq!(
            seen,
            [
                (
                    "accepted/a.rs".into(),
                    Expected::Accepted,
                    Some(Language::Rust)
                ),
                (
                    "accepted/b.py".into(),
                    Expected::Accepted,
                    Some(Language::Python)
                ),
                (
                    "wrong_answer/dir".into(),
                    Expected::WrongAnswer,
                    Some(Language::Rust)
                ),
            ]
        );
    }
}
