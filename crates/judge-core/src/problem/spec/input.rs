//! One case written for a practice run rather than loaded with the problem: a TOML file
//! (`judge run --input`) or JSON (the service's `input`).

use std::path::{Path, PathBuf};

use serde_json::Value as Json;
use toml::de::DeTable;

use super::cases::CaseContext;
use super::error::{read, Source, SpecError};
use super::model::{Case, Origin, Problem};
use crate::problem::types::Ty;
use crate::problem::value;

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

/// Why a case written as JSON does not fit the problem's signature; `arg` names the
/// argument it is about.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("`{function}` has no argument `{arg}` (its arguments: {})", known.join(", "))]
    Unknown {
        function: String,
        arg: String,
        known: Vec<String>,
    },
    #[error("the argument `{arg}` ({ty}) is missing")]
    Missing { arg: String, ty: Ty },
    #[error("`{arg}` is a `{ty}`: {source}")]
    Shape {
        arg: String,
        ty: Ty,
        source: value::ShapeError,
    },
}

impl InputError {
    /// The argument the error is about.
    pub fn arg(&self) -> &str {
        match self {
            InputError::Unknown { arg, .. }
            | InputError::Missing { arg, .. }
            | InputError::Shape { arg, .. } => arg,
        }
    }
}

/// One case of `problem` from JSON (the service's `input`): each argument by name, in the
/// form the `--json` report shows values.
pub fn input_from_json(
    problem: &Problem,
    input: &serde_json::Map<String, Json>,
) -> Result<Case, InputError> {
    let sig = &problem.signature;
    if let Some(extra) = input
        .keys()
        .find(|k| !sig.args.iter().any(|(a, _)| a == *k))
    {
        return Err(InputError::Unknown {
            function: sig.name.clone(),
            arg: extra.clone(),
            known: sig.args.iter().map(|(a, _)| a.clone()).collect(),
        });
    }
    let mut args = Vec::with_capacity(sig.args.len());
    for (arg, ty) in &sig.args {
        let value = input.get(arg).ok_or_else(|| InputError::Missing {
            arg: arg.clone(),
            ty: ty.clone(),
        })?;
        value::check_json(value, ty, problem).map_err(|source| InputError::Shape {
            arg: arg.clone(),
            ty: ty.clone(),
            source,
        })?;
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
