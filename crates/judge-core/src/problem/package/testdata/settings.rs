//! A folder's settings file (`testdata.yaml`, `test_group.yaml`) and a case's own `.yaml`:
//! which result model the package's files ask for, the keys each model allows, and a
//! group's grading read over its parent's.

use std::path::{Path, PathBuf};

use super::grading::{Grading, Model, ValidatorArgs};
use super::keys::{aggregation_keys, grader_keys};
use super::tree::CaseSettings;
use super::Reading;
use crate::problem::package::read_text;
use crate::problem::package::version::FormatVersion;
use crate::problem::package::yaml::{Doc, Map};
use crate::problem::spec::SpecError;

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

/// The settings file of the folder `dir`, if it has one.
pub(super) fn settings_file(dir: &Path) -> Option<PathBuf> {
    SETTINGS_FILES
        .iter()
        .map(|f| dir.join(f))
        .find(|p| p.is_file())
}

/// Which result model the package's test data files ask for: the legacy graders for the
/// legacy format, and for a later one whose files use their keys; else the aggregation.
pub(in crate::problem::package) fn model(
    data: &Path,
    version: FormatVersion,
) -> Result<Model, SpecError> {
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

/// A case's own `.yaml` (2023-07 and later).
pub(super) fn case_settings(path: &Path, reading: &Reading<'_>) -> Result<CaseSettings, SpecError> {
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

/// The grading of the folder `dir`: its own settings file over `parent`'s (key by key,
/// as every version inherits), or `parent`'s.
pub(super) fn read_grading(
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
