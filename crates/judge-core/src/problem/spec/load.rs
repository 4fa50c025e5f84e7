//! Loading a problem folder: problem.toml, then tests.toml, each checked as it is read.

use std::path::Path;

use super::cases::CaseContext;
use super::error::{read, Source, SpecError};
use super::feedback::bank_hidden_details;
use super::files::{ProblemToml, TestsToml};
use super::model::{CheckerKind, Problem, Record};
use crate::problem::types::{self, Ty};

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
    let signature = types::parse_signature(spec.signature.get_ref(), &is_record).map_err(|e| {
        psrc.error(
            Some(spec.signature.span()),
            Some("signature".into()),
            e.to_string(),
        )
    })?;
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
            let ty = types::parse_type(ty, &is_record)
                .map_err(|e| src.error(None, Some(fkey), e.to_string()))?;
            parsed.push((field.clone(), ty));
        }
        records.push(Record {
            name: name.clone(),
            fields: parsed,
        });
    }
    Ok(records)
}
