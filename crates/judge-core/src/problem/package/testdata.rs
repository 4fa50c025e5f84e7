//! A package's test data: `data/sample` and `data/secret`, their test groups, each case's
//! own `.yaml` (2023-07 and later), and each group's settings from `testdata.yaml` or
//! `test_group.yaml`, inherited key by key from the closest ancestor that sets the key.
//! Which keys a group may have depends on the package's result model: the legacy graders
//! (`on_reject`, `grader_flags`, ...) or 2025-09's aggregation (`max_score`,
//! `score_aggregation`, `require_pass`).

use std::path::{Path, PathBuf};

use super::constants::Constants;
use super::metadata::LegacyGrading;
use super::version::FormatVersion;
use super::yaml::{Doc, Map};
use super::{read_text, SpecError};

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

/// One test case: its input and answer files.
#[derive(Debug, Clone, PartialEq)]
pub struct TestCase {
    /// Its path under `data/` without the extension (`secret/group1/01-small`).
    pub name: String,
    pub input: PathBuf,
    pub answer: PathBuf,
    /// Its own `.yaml` (2023-07 and later), over its group's settings.
    pub settings: Option<CaseSettings>,
}

/// A case's own settings: each set key replaces its group's.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CaseSettings {
    pub args: Option<Vec<String>>,
    pub output_validator_args: Option<Vec<String>>,
    pub input_validator_args: Option<ValidatorArgs>,
    pub hint: Option<String>,
    pub description: Option<String>,
}

/// A folder of test data: cases and subgroups, in the lexicographic order of their names.
#[derive(Debug, Clone, PartialEq)]
pub struct TestGroup {
    /// Its path under `data/` (`secret`, `secret/group1`).
    pub name: String,
    pub grading: Grading,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Case(TestCase),
    Group(TestGroup),
}

impl TestGroup {
    /// Every case in the group and its subgroups, in judging order.
    pub fn cases(&self) -> Vec<&TestCase> {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    fn collect<'a>(&'a self, out: &mut Vec<&'a TestCase>) {
        for item in &self.items {
            match item {
                Item::Case(c) => out.push(c),
                Item::Group(g) => g.collect(out),
            }
        }
    }

    /// Every group, this one first, depth first.
    pub fn groups(&self) -> Vec<&TestGroup> {
        let mut out = vec![self];
        for item in &self.items {
            if let Item::Group(g) = item {
                out.extend(g.groups());
            }
        }
        out
    }

    /// The group that directly holds the case named `case`.
    pub fn group_of(&self, case: &str) -> Option<&TestGroup> {
        self.groups().into_iter().find(|g| {
            g.items
                .iter()
                .any(|i| matches!(i, Item::Case(c) if c.name == case))
        })
    }
}

/// What a folder of validation test data (2025-09) asks of the validators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValidationKind {
    /// `data/invalid_input`: some input validator must reject the `.in`.
    InvalidInput,
    /// `data/invalid_output`: the output validator must reject the `.out`.
    InvalidOutput,
    /// `data/valid_output`: the output validator must accept the `.out`.
    ValidOutput,
}

impl ValidationKind {
    pub const ALL: [ValidationKind; 3] = [
        ValidationKind::InvalidInput,
        ValidationKind::InvalidOutput,
        ValidationKind::ValidOutput,
    ];

    /// Its folder under `data/`.
    pub fn folder(self) -> &'static str {
        match self {
            ValidationKind::InvalidInput => "invalid_input",
            ValidationKind::InvalidOutput => "invalid_output",
            ValidationKind::ValidOutput => "valid_output",
        }
    }
}

/// A case of validation test data: its input, and for the output kinds its answer and
/// the output to validate.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationCase {
    pub kind: ValidationKind,
    /// Its path under `data/` without the extension.
    pub name: String,
    pub input: PathBuf,
    pub answer: Option<PathBuf>,
    pub output: Option<PathBuf>,
    /// Its own `.yaml`, over the folder's settings file's validator args.
    pub settings: CaseSettings,
}

/// The validation test data under `data/` (2023-07 and later): every `.in` in the three
/// folders, a folder's settings file giving its cases' validator args.
pub(super) fn validation_cases(
    data: &Path,
    reading: &mut Reading<'_>,
) -> Result<Vec<ValidationCase>, SpecError> {
    let mut out = Vec::new();
    if !reading.version.is_modern() {
        return Ok(out);
    }
    for kind in ValidationKind::ALL {
        let dir = data.join(kind.folder());
        if dir.is_dir() {
            collect_validation(
                &dir,
                kind.folder(),
                kind,
                &CaseSettings::default(),
                reading,
                &mut out,
            )?;
        }
    }
    Ok(out)
}

fn collect_validation(
    dir: &Path,
    name: &str,
    kind: ValidationKind,
    inherited: &CaseSettings,
    reading: &mut Reading<'_>,
    out: &mut Vec<ValidationCase>,
) -> Result<(), SpecError> {
    let mut here = inherited.clone();
    if let Some(file) = settings_file(dir) {
        let own = case_settings(&file, reading)?;
        if own.output_validator_args.is_some() {
            here.output_validator_args = own.output_validator_args;
        }
        if own.input_validator_args.is_some() {
            here.input_validator_args = own.input_validator_args;
        }
    }
    for (file, path) in entries(dir)? {
        if path.is_dir() {
            collect_validation(&path, &format!("{name}/{file}"), kind, &here, reading, out)?;
            continue;
        }
        let Some(stem) = file.strip_suffix(".in") else {
            continue;
        };
        let sibling = |extension: &str| {
            let p = dir.join(format!("{stem}.{extension}"));
            p.is_file().then_some(p)
        };
        let (answer, output) = (sibling("ans"), sibling("out"));
        if kind != ValidationKind::InvalidInput && (answer.is_none() || output.is_none()) {
            return Err(SpecError {
                file: path.clone(),
                line: None,
                key: None,
                message: format!(
                    "a case of data/{} needs {stem}.ans and {stem}.out beside its .in (format {})",
                    kind.folder(),
                    reading.version
                ),
                snippet: None,
                help: Some(
                    "the .out is the output the output validator is tried on, against the .ans"
                        .into(),
                ),
            });
        }
        let mut settings = here.clone();
        if let Some(own) = sibling("yaml") {
            let own = case_settings(&own, reading)?;
            if own.output_validator_args.is_some() {
                settings.output_validator_args = own.output_validator_args;
            }
            if own.input_validator_args.is_some() {
                settings.input_validator_args = own.input_validator_args;
            }
        }
        out.push(ValidationCase {
            kind,
            name: format!("{name}/{stem}"),
            input: path,
            answer,
            output,
            settings,
        });
    }
    Ok(())
}

/// The files a group's settings may be in: legacy first.
const SETTINGS_FILES: [&str; 2] = ["testdata.yaml", "test_group.yaml"];

/// Keys of the legacy graders: a 2023-07 draft package using any is graded by them.
const GRADER_KEYS: &[&str] = &[
    "on_reject",
    "grading",
    "grader_flags",
    "accept_score",
    "reject_score",
    "range",
];

/// Keys of 2023-07 and 2025-09's result aggregation (`scoring` is an early draft's
/// spelling of `max_score` and `score_aggregation`).
const AGGREGATION_KEYS: &[&str] = &[
    "static_validation",
    "max_score",
    "score_aggregation",
    "require_pass",
    "scoring",
    "static_validation_score",
    "static_validator_args",
];

/// Keys every version's settings files may hold.
const COMMON_KEYS: &[&str] = &[
    "input_validator_flags",
    "output_validator_flags",
    "input_validator_args",
    "output_validator_args",
    "input_visualizer_args",
    "output_visualizer_args",
    "args",
    "full_feedback",
    "hint",
    "description",
];

/// What reading a package's test data needs to know.
pub(super) struct Reading<'a> {
    pub version: FormatVersion,
    pub scoring: bool,
    pub model: Model,
    /// Put into `test_group.yaml` before it is read (2023-07 and later).
    pub constants: &'a Constants,
    pub warnings: Vec<String>,
}

/// The settings file of the folder `dir`, if it has one.
fn settings_file(dir: &Path) -> Option<PathBuf> {
    SETTINGS_FILES
        .iter()
        .map(|f| dir.join(f))
        .find(|p| p.is_file())
}

/// Which result model the package's test data files ask for: the legacy graders for the
/// legacy format, and for a later one whose files use their keys; else the aggregation.
pub(super) fn model(data: &Path, version: FormatVersion) -> Result<Model, SpecError> {
    if !version.is_modern() {
        return Ok(Model::Grader);
    }
    let mut grader: Option<(PathBuf, String)> = None;
    let mut aggregation: Option<(PathBuf, String)> = None;
    for file in settings_files_under(data) {
        let text = read_text(&file)?;
        let doc = Doc {
            path: &file,
            text: &text,
        };
        let yaml = doc.parse()?;
        let map = doc.map_any(&yaml, "")?;
        for key in map.keys() {
            if GRADER_KEYS.contains(&key) && grader.is_none() {
                grader = Some((file.clone(), key.to_string()));
            }
            if AGGREGATION_KEYS.contains(&key) && aggregation.is_none() {
                aggregation = Some((file.clone(), key.to_string()));
            }
        }
    }
    match (grader, aggregation) {
        (Some((file, key)), Some((other, other_key))) => {
            let text = read_text(&file)?;
            Err(Doc {
                path: &file,
                text: &text,
            }
            .error(
                &key,
                format!(
                    "`{key}` is the legacy graders' key, and {} uses `{other_key}` of {version}'s result aggregation: a package uses one or the other",
                    other.display()
                ),
            )
            .help("grade with `max_score` and `score_aggregation` (2025-09), or with on_reject/grader_flags/accept_score (legacy), not both"))
        }
        (Some(_), None) => Ok(Model::Grader),
        _ => Ok(Model::Aggregation),
    }
}

/// Every settings file under `data/`, in name order.
fn settings_files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = settings_file(dir).into_iter().collect();
    let mut subdirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    subdirs.sort();
    for sub in subdirs {
        out.extend(settings_files_under(&sub));
    }
    out
}

/// The root grading: `data/testdata.yaml` over the defaults (and, in the legacy format,
/// problem.yaml's `grading`).
pub(super) fn root_grading(
    data: &Path,
    reading: &mut Reading<'_>,
    legacy: &LegacyGrading,
) -> Result<Grading, SpecError> {
    let mut base = Grading {
        model: reading.model,
        ..Grading::default()
    };
    if let Some(score) = legacy.accept_score {
        base.accept_score = score;
    }
    if let Some(score) = legacy.reject_score {
        base.reject_score = score;
    }
    if let Some(range) = legacy.range.as_deref().and_then(parse_range) {
        base.range = range;
    }
    if let Some(on_reject_break) = legacy.on_reject_break {
        base.on_reject_break = on_reject_break;
    }
    read_grading(data, &base, reading, true)
}

/// Where a folder sits in the test data: what it may be and hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    /// `data/sample`.
    Sample,
    /// `data/secret`.
    Secret,
    /// A test data group below `data/secret` (under the legacy graders, every folder).
    Group,
    /// Under the aggregation model, a folder that is no group: its cases are its parent's.
    Folder,
}

/// Loads the group in `dir`, named `name` under `data/`, inheriting `parent`'s grading.
pub(super) fn load_group(
    dir: &Path,
    name: &str,
    parent: &Grading,
    place: Place,
    reading: &mut Reading<'_>,
) -> Result<TestGroup, SpecError> {
    let mut base = parent.clone();
    if reading.model == Model::Aggregation {
        // The aggregation keys are not inherited: each place has its defaults.
        aggregation_defaults(&mut base, place, reading.scoring);
    }
    let grading = read_grading(dir, &base, reading, false)?;
    let mut items = Vec::new();
    let subdirs = entries(dir)?
        .into_iter()
        .filter(|(_, p)| p.is_dir())
        .collect::<Vec<_>>();
    // Under the aggregation model, the folders of data/secret are its groups when any of
    // them has a settings file (2025-09: then all must); other folders only hold cases.
    let grouped = reading.model == Model::Grader
        || (place == Place::Secret && subdirs.iter().any(|(_, p)| settings_file(p).is_some()));
    for (file, path) in entries(dir)? {
        if path.is_dir() {
            let sub = format!("{name}/{file}");
            if grouped {
                let group = load_group(&path, &sub, &grading, Place::Group, reading)?;
                items.push(Item::Group(group));
            } else {
                if let Some(settings) = settings_file(&path) {
                    return Err(misplaced_settings(&settings, reading.version));
                }
                let folder = load_group(&path, &sub, &grading, Place::Folder, reading)?;
                items.extend(folder.items);
            }
            continue;
        }
        let Some(stem) = file.strip_suffix(".in") else {
            continue;
        };
        if path.file_name().is_some_and(|f| f == "test_group.in") {
            continue;
        }
        items.push(Item::Case(test_case(dir, name, stem, &path, reading)?));
    }
    if grouped && place == Place::Secret && reading.model == Model::Aggregation {
        if let Some(Item::Case(case)) = items.iter().find(|i| matches!(i, Item::Case(_))) {
            return Err(SpecError {
                file: case.input.clone(),
                line: None,
                key: None,
                message: format!(
                    "data/secret holds test data groups, so it must not hold test cases itself (format {})",
                    reading.version
                ),
                snippet: None,
                help: Some("move the case into a group's folder".into()),
            });
        }
    }
    Ok(TestGroup {
        name: name.to_string(),
        grading,
        items,
    })
}

fn misplaced_settings(file: &Path, version: FormatVersion) -> SpecError {
    SpecError {
        file: file.to_path_buf(),
        line: None,
        key: None,
        message: format!(
            "a settings file here makes a test data group, which may only be a folder of data/secret whose siblings are groups too (format {version})"
        ),
        snippet: None,
        help: Some("groups hold folders of cases but no groups of their own".into()),
    }
}

/// A folder's entries (name, path) in name order; names starting with `.` are not the
/// package's (the format says to ignore them).
fn entries(dir: &Path) -> Result<Vec<(String, PathBuf)>, SpecError> {
    let mut entries: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .map_err(|e| io_error(dir, &e))?
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.to_string(), e.path())))
        .filter(|(n, _)| !n.starts_with('.'))
        .collect();
    entries.sort();
    Ok(entries)
}

/// The case `stem` in `dir`: its answer file must be there, and its own `.yaml` is read.
fn test_case(
    dir: &Path,
    group: &str,
    stem: &str,
    input: &Path,
    reading: &mut Reading<'_>,
) -> Result<TestCase, SpecError> {
    let answer = dir.join(format!("{stem}.ans"));
    if !answer.is_file() {
        return Err(SpecError {
            file: input.to_path_buf(),
            line: None,
            key: None,
            message: format!("the test case has no answer file {stem}.ans beside it"),
            snippet: None,
            help: Some(
                "every .in file under data/ needs a .ans file of the same name (empty is allowed)"
                    .into(),
            ),
        });
    }
    let own = dir.join(format!("{stem}.yaml"));
    let settings = if reading.version.is_modern() && own.is_file() {
        Some(case_settings(&own, reading)?)
    } else {
        None
    };
    Ok(TestCase {
        name: format!("{group}/{stem}"),
        input: input.to_path_buf(),
        answer,
        settings,
    })
}

/// A case's own `.yaml` (2023-07 and later).
fn case_settings(path: &Path, reading: &Reading<'_>) -> Result<CaseSettings, SpecError> {
    let text = reading.constants.substitute(&read_text(path)?);
    let doc = Doc { path, text: &text };
    let yaml = doc.parse()?;
    let top = doc.map(
        &yaml,
        "",
        &[
            "args",
            "input_validator_args",
            "output_validator_args",
            "input_visualizer_args",
            "output_visualizer_args",
            "full_feedback",
            "hint",
            "description",
        ],
    )?;
    top.words("input_visualizer_args")?;
    top.words("output_visualizer_args")?;
    top.boolean("full_feedback")?;
    Ok(CaseSettings {
        args: top.words("args")?,
        output_validator_args: top.words("output_validator_args")?,
        input_validator_args: validator_args(&top, "input_validator_args")?,
        hint: top.string("hint")?,
        description: top.string("description")?,
    })
}

/// `input_validator_args`: a list for every validator, or a map of validator names to
/// lists (the legacy `input_validator_flags` map has `name` and `flags`).
fn validator_args(top: &Map<'_>, key: &str) -> Result<Option<ValidatorArgs>, SpecError> {
    match top.get(key) {
        None => Ok(None),
        Some(value @ yaml_rust2::Yaml::Hash(_)) => {
            let map = top.doc.map_any(value, &top.key(key))?;
            if map.keys() == ["name", "flags"] || map.keys() == ["flags", "name"] {
                let name = map.string("name")?.unwrap_or_default();
                let flags = map.words("flags")?.unwrap_or_default();
                return Ok(Some(ValidatorArgs::ByName(vec![(name, flags)])));
            }
            let mut named = Vec::new();
            for name in map.keys() {
                named.push((name.to_string(), map.words(name)?.unwrap_or_default()));
            }
            Ok(Some(ValidatorArgs::ByName(named)))
        }
        Some(_) => Ok(top.words(key)?.map(ValidatorArgs::All)),
    }
}

/// The aggregation model's defaults of a place: `secret` sums to 100 on scoring problems,
/// groups are pass-fail and unbounded; pass-fail problems score nothing.
fn aggregation_defaults(grading: &mut Grading, place: Place, scoring: bool) {
    grading.require_pass = Vec::new();
    let (aggregation, max_score) = match place {
        // A plain folder of cases is part of its parent's grading.
        Place::Folder => return,
        _ if !scoring => (Aggregation::PassFail, Some(0.0)),
        Place::Secret => (Aggregation::Sum, Some(100.0)),
        Place::Group => (Aggregation::PassFail, None),
        Place::Sample => (Aggregation::PassFail, Some(0.0)),
    };
    grading.aggregation = aggregation;
    grading.max_score = max_score;
}

fn io_error(path: &Path, e: &std::io::Error) -> SpecError {
    SpecError {
        file: path.to_path_buf(),
        line: None,
        key: None,
        message: format!("cannot read: {e}"),
        snippet: None,
        help: None,
    }
}

fn parse_range(range: &str) -> Option<(f64, f64)> {
    let ends: Vec<Option<f64>> = range
        .split_whitespace()
        .map(|w| w.trim_start_matches('+').parse::<f64>().ok())
        .collect();
    match ends.as_slice() {
        [Some(low), Some(high)] if low <= high => Some((*low, *high)),
        _ => None,
    }
}

/// The grading of the folder `dir`: its own settings file over `parent`'s (key by key,
/// as every version inherits), or `parent`'s.
fn read_grading(
    dir: &Path,
    parent: &Grading,
    reading: &mut Reading<'_>,
    root: bool,
) -> Result<Grading, SpecError> {
    let mut g = parent.clone();
    g.ignore_sample &= root;
    let Some(path) = settings_file(dir) else {
        return Ok(g);
    };
    if reading.version == FormatVersion::V2025 && path.ends_with(SETTINGS_FILES[0]) {
        reading.warnings.push(format!(
            "{}: 2025-09 names this file test_group.yaml (read as it is)",
            path.display()
        ));
    }
    let raw = read_text(&path)?;
    let text = if reading.version.is_modern() {
        reading.constants.substitute(&raw)
    } else {
        raw
    };
    let doc = Doc {
        path: &path,
        text: &text,
    };
    let yaml = doc.parse()?;
    let known: Vec<&str> = match reading.model {
        Model::Grader => GRADER_KEYS.iter().chain(COMMON_KEYS).copied().collect(),
        Model::Aggregation => AGGREGATION_KEYS
            .iter()
            .chain(COMMON_KEYS)
            .copied()
            .collect(),
    };
    let top = doc.map_any(&yaml, "")?;
    for key in top.keys() {
        if known.contains(&key) {
            continue;
        }
        let (whose, help) = if GRADER_KEYS.contains(&key) {
            (
                "the legacy graders' key",
                "grade with `max_score`, `score_aggregation` and `require_pass`",
            )
        } else if AGGREGATION_KEYS.contains(&key) && reading.version.is_modern() {
            (
                "a key of 2023-07's result aggregation",
                "use the legacy graders' keys (on_reject, grader_flags, accept_score, ...) in every file",
            )
        } else if AGGREGATION_KEYS.contains(&key) {
            (
                "a key of the 2023-07 and 2025-09 formats",
                "set `problem_format_version: 2025-09` in problem.yaml to use it, or use the legacy graders' keys",
            )
        } else {
            return Err(doc
                .error(
                    key,
                    format!("unknown key `{key}` (format {})", reading.version),
                )
                .help(format!(
                    "remove it or correct its spelling; the keys here are: {}",
                    known.join(", ")
                )));
        };
        return Err(doc
            .error(
                key,
                format!(
                    "`{key}` is {whose}, which this package (format {}) does not use here",
                    reading.version
                ),
            )
            .help(help));
    }
    g.ignore_sample = false;
    match reading.model {
        Model::Grader => grader_keys(&top, &mut g, reading.scoring, root)?,
        Model::Aggregation => aggregation_keys(&top, &mut g, reading)?,
    }
    if reading.version == FormatVersion::V2025 {
        for (key, instead) in [
            ("scoring", "`max_score` and `score_aggregation`"),
            ("input_validator_flags", "`input_validator_args`"),
            ("output_validator_flags", "`output_validator_args`"),
        ] {
            if top.get(key).is_some() {
                reading.warnings.push(format!(
                    "{}: `{key}` is an earlier draft's key; 2025-09 writes {instead} (read as the draft means it)",
                    path.display()
                ));
            }
        }
    }
    for (legacy, modern, target) in [
        (
            "output_validator_flags",
            "output_validator_args",
            &mut g.output_validator_flags,
        ),
        ("args", "args", &mut g.args),
    ] {
        if let Some(words) = top.words(legacy)? {
            *target = words;
        }
        if let Some(words) = top.words(modern)? {
            *target = words;
        }
    }
    for key in ["input_validator_flags", "input_validator_args"] {
        if let Some(args) = validator_args(&top, key)? {
            g.input_validator_flags = args;
        }
    }
    top.words("input_visualizer_args")?;
    top.words("output_visualizer_args")?;
    top.boolean("full_feedback")?;
    Ok(g)
}

/// The legacy graders' keys.
fn grader_keys(top: &Map<'_>, g: &mut Grading, scoring: bool, root: bool) -> Result<(), SpecError> {
    if let Some(on_reject) = top.string("on_reject")? {
        g.on_reject_break = match on_reject.as_str() {
            "break" => true,
            "continue" => false,
            other => {
                return Err(top.error(
                    "on_reject",
                    format!("expected `break` or `continue`, found `{other}`"),
                ))
            }
        };
    }
    if let Some(grading) = top.string("grading")? {
        g.custom_grader = match grading.as_str() {
            "default" => false,
            "custom" => true,
            other => {
                return Err(top.error(
                    "grading",
                    format!("expected `default` or `custom`, found `{other}`"),
                ))
            }
        };
    }
    if let Some(flags) = top.words("grader_flags")? {
        g.grader_flags.clone_from(&flags);
        if !g.custom_grader {
            default_grader_flags(top, g, &flags, root)?;
        }
    }
    for key in ["accept_score", "reject_score", "range"] {
        if top.get(key).is_some() && !scoring {
            return Err(top.error(
                key,
                format!("`{key}` may only be given for scoring problems (`type: scoring` in problem.yaml)"),
            ));
        }
    }
    if let Some(score) = top.number("accept_score", f64::NEG_INFINITY)? {
        g.accept_score = score;
    }
    if let Some(score) = top.number("reject_score", f64::NEG_INFINITY)? {
        g.reject_score = score;
    }
    if let Some(range) = top.string("range")? {
        g.range = parse_range(&range).ok_or_else(|| {
            top.error(
                "range",
                format!("expected two numbers, the lower first (like `0 100` or `-inf +inf`), found `{range}`"),
            )
        })?;
    }
    Ok(())
}

/// The default grader's flags.
fn default_grader_flags(
    top: &Map<'_>,
    g: &mut Grading,
    flags: &[String],
    root: bool,
) -> Result<(), SpecError> {
    for flag in flags {
        match flag.as_str() {
            "worst_error" => g.verdict_mode = VerdictMode::WorstError,
            "first_error" => g.verdict_mode = VerdictMode::FirstError,
            "always_accept" => g.verdict_mode = VerdictMode::AlwaysAccept,
            "sum" => g.score_mode = ScoreMode::Sum,
            "avg" => g.score_mode = ScoreMode::Avg,
            "min" => g.score_mode = ScoreMode::Min,
            "max" => g.score_mode = ScoreMode::Max,
            "accept_if_any_accepted" => g.accept_if_any_accepted = true,
            "ignore_sample" if root => g.ignore_sample = true,
            "ignore_sample" => {
                return Err(top.error(
                    "grader_flags",
                    "`ignore_sample` may only be used in data/testdata.yaml (the root)",
                ))
            }
            other => {
                return Err(top
                    .error("grader_flags", format!("unknown grader flag `{other}`"))
                    .help("the default grader takes worst_error, first_error, always_accept, sum, avg, min, max, accept_if_any_accepted, ignore_sample"))
            }
        }
    }
    Ok(())
}

/// 2023-07 and 2025-09's result aggregation keys (and the early draft's `scoring` map).
fn aggregation_keys(
    top: &Map<'_>,
    g: &mut Grading,
    reading: &Reading<'_>,
) -> Result<(), SpecError> {
    let version = reading.version;
    for key in [
        "static_validation",
        "static_validation_score",
        "static_validator_args",
    ] {
        if top.get(key).is_some() {
            return Err(top
                .error(
                    key,
                    format!("static validation is not supported (format {version})"),
                )
                .help("the judge runs no static validator; remove the key"));
        }
    }
    for key in ["max_score", "score_aggregation", "require_pass", "scoring"] {
        if top.get(key).is_some() && !reading.scoring {
            return Err(top.error(
                key,
                format!("`{key}` may only be given for scoring problems (`type: scoring` in problem.yaml; format {version})"),
            ));
        }
    }
    if let Some(scoring) = top.map("scoring", &["score", "aggregation", "require_pass"])? {
        match scoring.get("score") {
            Some(yaml_rust2::Yaml::String(s)) if s == "unbounded" => g.max_score = None,
            Some(_) => g.max_score = scoring.number("score", 0.0)?,
            None => {}
        }
        if let Some(groups) = scoring.words("require_pass")? {
            g.require_pass = groups;
        }
        if let Some(aggregation) = scoring.string("aggregation")? {
            g.aggregation = parse_aggregation(&scoring, "aggregation", &aggregation)?;
        }
    }
    match top.get("max_score") {
        Some(yaml_rust2::Yaml::String(s)) if s == "unbounded" => g.max_score = None,
        Some(_) => g.max_score = top.number("max_score", 0.0)?,
        None => {}
    }
    if let Some(aggregation) = top.string("score_aggregation")? {
        g.aggregation = parse_aggregation(top, "score_aggregation", &aggregation)?;
    }
    if let Some(groups) = top.words("require_pass")? {
        g.require_pass = groups;
    }
    Ok(())
}

fn parse_aggregation(map: &Map<'_>, key: &str, value: &str) -> Result<Aggregation, SpecError> {
    match value {
        "pass-fail" => Ok(Aggregation::PassFail),
        "sum" => Ok(Aggregation::Sum),
        "min" => Ok(Aggregation::Min),
        other => Err(map.error(
            key,
            format!("expected `pass-fail`, `sum` or `min`, found `{other}`"),
        )),
    }
}
