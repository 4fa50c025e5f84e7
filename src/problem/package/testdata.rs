//! A package's test data: `data/sample` and `data/secret`, their nested test groups, and
//! each group's grading settings from `testdata.yaml` (legacy) or `test_group.yaml` (the
//! 2023-07 draft), inherited from the closest ancestor that has one.

use std::path::{Path, PathBuf};

use super::yaml::Doc;
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

/// A test group's grading: `testdata.yaml`'s keys, with the format's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Grading {
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
    /// Arguments given to the output validator for the group's cases.
    pub output_validator_flags: Vec<String>,
    /// Arguments given to each input validator for the group's inputs.
    pub input_validator_flags: Vec<String>,
}

impl Default for Grading {
    fn default() -> Grading {
        Grading {
            on_reject_break: true,
            verdict_mode: VerdictMode::WorstError,
            score_mode: ScoreMode::Sum,
            accept_if_any_accepted: false,
            ignore_sample: false,
            accept_score: 1.0,
            reject_score: 0.0,
            range: (f64::NEG_INFINITY, f64::INFINITY),
            output_validator_flags: Vec::new(),
            input_validator_flags: Vec::new(),
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

/// The files a group's settings may be in: legacy first.
const SETTINGS_FILES: [&str; 2] = ["testdata.yaml", "test_group.yaml"];

/// The root grading: `data/testdata.yaml`, else the defaults.
pub(super) fn root_grading(data: &Path, scoring: bool) -> Result<Grading, SpecError> {
    read_grading(data, &Grading::default(), scoring, true)
}

/// Loads the group in `dir`, named `name` under `data/`, inheriting `parent`'s grading.
pub(super) fn load_group(
    dir: &Path,
    name: &str,
    parent: &Grading,
    scoring: bool,
) -> Result<TestGroup, SpecError> {
    let grading = read_grading(dir, parent, scoring, false)?;
    let mut entries: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .map_err(|e| io_error(dir, &e))?
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.to_string(), e.path())))
        .collect();
    entries.sort();
    let mut items = Vec::new();
    for (file, path) in entries {
        if path.is_dir() {
            let sub = format!("{name}/{file}");
            items.push(Item::Group(load_group(&path, &sub, &grading, scoring)?));
            continue;
        }
        let Some(stem) = file.strip_suffix(".in") else {
            continue;
        };
        let answer = dir.join(format!("{stem}.ans"));
        if !answer.is_file() {
            return Err(SpecError {
                file: path.clone(),
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
        items.push(Item::Case(TestCase {
            name: format!("{name}/{stem}"),
            input: path,
            answer,
        }));
    }
    Ok(TestGroup {
        name: name.to_string(),
        grading,
        items,
    })
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

/// The grading of the group in `dir`: its own settings file over `parent`'s, or `parent`'s.
fn read_grading(
    dir: &Path,
    parent: &Grading,
    scoring: bool,
    root: bool,
) -> Result<Grading, SpecError> {
    let Some(path) = SETTINGS_FILES
        .iter()
        .map(|f| dir.join(f))
        .find(|p| p.is_file())
    else {
        let mut g = parent.clone();
        g.ignore_sample &= root;
        return Ok(g);
    };
    // Legacy: a group's own testdata.yaml replaces its ancestor's whole (unset keys take
    // the defaults). The draft's test_group.yaml inherits each key it does not set.
    let legacy = path.ends_with(SETTINGS_FILES[0]);
    let text = read_text(&path)?;
    let doc = Doc {
        path: &path,
        text: &text,
    };
    let yaml = doc.parse()?;
    let top = doc.map(
        &yaml,
        "",
        &[
            "on_reject",
            "grading",
            "grader_flags",
            "input_validator_flags",
            "output_validator_flags",
            "input_validator_args",
            "output_validator_args",
            "accept_score",
            "reject_score",
            "range",
            "scoring",
            "full_feedback",
            "static_validation",
            "hint",
            "description",
        ],
    )?;
    let mut g = if legacy {
        Grading::default()
    } else {
        parent.clone()
    };
    g.ignore_sample = false;
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
        if grading != "default" {
            return Err(top
                .error("grading", format!("`{grading}` grading is not supported"))
                .help("only the default grader is: set its modes with `grader_flags`"));
        }
    }
    if let Some(flags) = top.words("grader_flags")? {
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
        let ends: Vec<Option<f64>> = range
            .split_whitespace()
            .map(|w| w.trim_start_matches('+').parse::<f64>().ok())
            .collect();
        match ends.as_slice() {
            [Some(low), Some(high)] if low <= high => g.range = (*low, *high),
            _ => {
                return Err(top.error(
                    "range",
                    format!("expected two numbers, the lower first (like `0 100` or `-inf +inf`), found `{range}`"),
                ))
            }
        }
    }
    if let Some(scoring_map) = top.map("scoring", &["score", "aggregation"])? {
        // The 2023-07 draft: a group worth `score` points, its cases aggregated by `min`
        // (all or nothing, the usual subtask) or `sum`.
        if !scoring {
            return Err(top.error(
                "scoring",
                "`scoring` may only be given for scoring problems (`type: scoring` in problem.yaml)",
            ));
        }
        if let Some(score) = scoring_map.number("score", 0.0)? {
            g.accept_score = score;
        }
        if let Some(aggregation) = scoring_map.string("aggregation")? {
            g.score_mode = match aggregation.as_str() {
                "sum" => ScoreMode::Sum,
                "min" => ScoreMode::Min,
                other => {
                    return Err(scoring_map.error(
                        "aggregation",
                        format!("expected `sum` or `min`, found `{other}`"),
                    ))
                }
            };
        }
    }
    for (legacy, draft, target) in [
        (
            "output_validator_flags",
            "output_validator_args",
            &mut g.output_validator_flags,
        ),
        (
            "input_validator_flags",
            "input_validator_args",
            &mut g.input_validator_flags,
        ),
    ] {
        if let Some(words) = top.words(legacy)? {
            *target = words;
        }
        if let Some(words) = top.words(draft)? {
            *target = words;
        }
    }
    Ok(g)
}
