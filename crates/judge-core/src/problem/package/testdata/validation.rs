//! Validation test data (2023-07 and later): `data/invalid_input`, `data/invalid_output` and
//! `data/valid_output`, what each asks of the validators.

use std::path::{Path, PathBuf};

use super::load::entries;
use super::settings::{case_settings, settings_file};
use super::tree::CaseSettings;
use super::Reading;
use crate::problem::spec::SpecError;

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
pub(in crate::problem::package) fn validation_cases(
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
