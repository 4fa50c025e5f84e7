//! Cases and groups read from a file's spanned TOML tree, each value checked against the
//! signature, so every mistake names its line and key path.

use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::error::{Source, SpecError};
use super::files::GroupToml;
use super::model::{Case, Generate, Group, Origin, Record};
use crate::problem::types::{Signature, Ty};
use crate::problem::value;

pub(super) struct CaseContext<'a> {
    pub(super) signature: &'a Signature,
    pub(super) records: &'a Vec<Record>,
}

impl CaseContext<'_> {
    pub(super) fn groups(
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
    pub(super) fn cases(
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

    pub(super) fn case(
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
pub(super) fn array_of_tables<'a, 'i>(table: &'a DeTable<'i>, key: &str) -> Vec<&'a DeTable<'i>> {
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
