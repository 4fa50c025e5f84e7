//! Walking `data/`: each folder a group (or, under the aggregation model, a folder of its
//! group's cases), each `.in` a case with its `.ans`, grading inherited down the tree.

use std::path::{Path, PathBuf};

use super::grading::{Aggregation, Grading, Model};
use super::keys::parse_range;
use super::settings::{case_settings, read_grading, settings_file};
use super::tree::{Item, TestCase, TestGroup};
use super::Reading;
use crate::problem::package::metadata::LegacyGrading;
use crate::problem::package::version::FormatVersion;
use crate::problem::spec::SpecError;

/// The root grading: `data/testdata.yaml` over the defaults (and, in the legacy format,
/// problem.yaml's `grading`).
pub(in crate::problem::package) fn root_grading(
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
pub(in crate::problem::package) enum Place {
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
pub(in crate::problem::package) fn load_group(
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
pub(super) fn entries(dir: &Path) -> Result<Vec<(String, PathBuf)>, SpecError> {
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
