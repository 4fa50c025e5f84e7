//! Values crossing the judge/solution boundary: TOML case values checked against a `Ty`
//! into canonical JSON, JSON answers checked against the return type, and a TOML-style
//! rendering of any value for reports and diffs.
//!
//! Canonical JSON: `None` is `null`; tuples, lists and `Array1` are arrays; `Array2` is an
//! array of rows; records are objects in declared field order; non-finite floats are the
//! strings `"NaN"`, `"inf"`, `"-inf"` (JSON has no literal for them). In TOML, `None` is
//! spelled as the string `"None"` (TOML has no null).

use std::fmt::Write as _;
use std::ops::Range;

use serde_json::{Map, Number, Value as Json};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::problem::types::{IntKind, Ty};

/// The spelling of `None` in TOML cases.
pub const NONE_SPELLING: &str = "None";

/// Looks up a record type's fields by name.
pub trait Records {
    fn fields(&self, record: &str) -> Option<&[(String, Ty)]>;
}

/// A case value that does not fit its declared type.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueError {
    pub span: Range<usize>,
    /// Where inside the argument, e.g. `df_rain[2].rainfall`.
    pub path: String,
    pub message: String,
}

/// Checks a TOML value against `ty` and converts it to canonical JSON.
pub fn from_toml(
    v: &Spanned<DeValue<'_>>,
    ty: &Ty,
    records: &dyn Records,
    path: &str,
) -> Result<Json, ValueError> {
    let fail = |message: String| ValueError {
        span: v.span(),
        path: path.to_string(),
        message,
    };
    let found = describe(v.get_ref());
    match (ty, v.get_ref()) {
        (Ty::Bool, DeValue::Boolean(b)) => Ok(Json::Bool(*b)),
        (Ty::Int(kind), DeValue::Integer(i)) => {
            let n = i128::from_str_radix(&i.as_str().replace('_', ""), i.radix())
                .map_err(|_| fail(format!("integer {i} does not fit in {}", kind.name())))?;
            int_json(n, *kind)
                .ok_or_else(|| fail(format!("{n} is out of range for {}", kind.name())))
        }
        // TOML integers stop at i64::MAX, so larger unsigned values are written as a decimal
        // string: `target = "14695981039346656037"`.
        (Ty::Int(kind @ (IntKind::U64 | IntKind::Usize)), DeValue::String(s)) => {
            let n: u64 = s.parse().map_err(|_| {
                fail(format!(
                    "expected an integer ({}), found {found}; a {} above 9223372036854775807 is written as a string of decimal digits",
                    kind.name(),
                    kind.name()
                ))
            })?;
            int_json(n.into(), *kind)
                .ok_or_else(|| fail(format!("{n} is out of range for {}", kind.name())))
        }
        (Ty::F64, DeValue::Float(x)) => {
            let f: f64 = x
                .as_str()
                .replace('_', "")
                .parse()
                .map_err(|_| fail(format!("`{x}` is not a float")))?;
            Ok(float_json(f))
        }
        // Integers are accepted where floats are expected: `rainfall = 0` reads naturally.
        (Ty::F64, DeValue::Integer(i)) => {
            let n = i64::from_str_radix(&i.as_str().replace('_', ""), i.radix())
                .map_err(|_| fail(format!("integer {i} is too large for f64")))?;
            Ok(float_json(n as f64))
        }
        (Ty::Str, DeValue::String(s)) => Ok(Json::String(s.to_string())),
        (Ty::Option(_), DeValue::String(s)) if s == NONE_SPELLING => Ok(Json::Null),
        (Ty::Option(inner), _) => from_toml(v, inner, records, path).map_err(|mut e| {
            if e.span == v.span() {
                e.message = format!("{} (or \"{NONE_SPELLING}\")", e.message);
            }
            e
        }),
        (Ty::Vec(inner), DeValue::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| from_toml(item, inner, records, &format!("{path}[{i}]")))
            .collect::<Result<_, _>>()
            .map(Json::Array),
        (Ty::Array1, DeValue::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| from_toml(item, &Ty::F64, records, &format!("{path}[{i}]")))
            .collect::<Result<_, _>>()
            .map(Json::Array),
        (Ty::Array2, DeValue::Array(rows)) => array2_from_toml(v, rows, records, path),
        (Ty::Tuple(tys), DeValue::Array(items)) => {
            if items.len() != tys.len() {
                return Err(fail(format!(
                    "expected a tuple of {} values, found {} values",
                    tys.len(),
                    items.len()
                )));
            }
            items
                .iter()
                .zip(tys)
                .enumerate()
                .map(|(i, (item, t))| from_toml(item, t, records, &format!("{path}.{i}")))
                .collect::<Result<_, _>>()
                .map(Json::Array)
        }
        (Ty::Record(name), DeValue::Table(table)) => {
            record_from_toml(v, name, table, records, path)
        }
        _ => Err(fail(format!(
            "expected {}, found {found}",
            expected_word(ty)
        ))),
    }
}

fn array2_from_toml(
    v: &Spanned<DeValue<'_>>,
    rows: &[Spanned<DeValue<'_>>],
    records: &dyn Records,
    path: &str,
) -> Result<Json, ValueError> {
    let mut out = Vec::with_capacity(rows.len());
    let mut width = None;
    for (i, row) in rows.iter().enumerate() {
        let row_path = format!("{path}[{i}]");
        let converted = from_toml(row, &Ty::Array1, records, &row_path).map_err(|mut e| {
            if e.span == row.span() {
                e.message = format!("{} (an Array2 is written as a list of rows)", e.message);
            }
            e
        })?;
        let len = converted.as_array().map_or(0, Vec::len);
        match width {
            None => width = Some(len),
            Some(w) if w != len => {
                return Err(ValueError {
                    span: row.span(),
                    path: row_path,
                    message: format!("row has {len} values but row 0 has {w}; rows of an Array2 must have equal length"),
                })
            }
            Some(_) => {}
        }
        out.push(converted);
    }
    let _ = v;
    Ok(Json::Array(out))
}

fn record_from_toml(
    v: &Spanned<DeValue<'_>>,
    name: &str,
    table: &DeTable<'_>,
    records: &dyn Records,
    path: &str,
) -> Result<Json, ValueError> {
    let fields = records.fields(name).unwrap_or(&[]);
    let mut out = Map::new();
    for (key, value) in table {
        let key_name: &str = key.get_ref();
        let Some((_, fty)) = fields.iter().find(|(f, _)| f == key_name) else {
            let known: Vec<&str> = fields.iter().map(|(f, _)| f.as_str()).collect();
            return Err(ValueError {
                span: key.span(),
                path: format!("{path}.{key_name}"),
                message: format!(
                    "{name} has no field `{key_name}` (its fields: {})",
                    known.join(", ")
                ),
            });
        };
        out.insert(
            key_name.to_string(),
            from_toml(value, fty, records, &format!("{path}.{key_name}"))?,
        );
    }
    let mut ordered = Map::new();
    for (field, _) in fields {
        match out.remove(field) {
            Some(value) => ordered.insert(field.clone(), value),
            None => {
                return Err(ValueError {
                    span: v.span(),
                    path: path.to_string(),
                    message: format!("{name} is missing field `{field}`"),
                })
            }
        };
    }
    Ok(Json::Object(ordered))
}

fn int_json(n: i128, kind: IntKind) -> Option<Json> {
    let (lo, hi) = kind.range();
    if n < lo || n > hi {
        return None;
    }
    if let Ok(small) = i64::try_from(n) {
        Some(Json::Number(small.into()))
    } else {
        u64::try_from(n).ok().map(|big| Json::Number(big.into()))
    }
}

/// Canonical JSON for a float (non-finite values as strings).
pub fn float_json(f: f64) -> Json {
    match Number::from_f64(f) {
        Some(n) => Json::Number(n),
        None if f.is_nan() => Json::String("NaN".into()),
        None if f > 0.0 => Json::String("inf".into()),
        None => Json::String("-inf".into()),
    }
}

/// Reads a canonical JSON float back.
pub fn json_float(v: &Json) -> Option<f64> {
    match v {
        Json::Number(n) => n.as_f64(),
        Json::String(s) => match s.as_str() {
            "NaN" => Some(f64::NAN),
            "inf" => Some(f64::INFINITY),
            "-inf" => Some(f64::NEG_INFINITY),
            _ => None,
        },
        _ => None,
    }
}

fn describe(v: &DeValue<'_>) -> String {
    match v {
        DeValue::String(s) => format!("the string {:?}", s.as_ref()),
        DeValue::Integer(i) => format!("the integer {i}"),
        DeValue::Float(x) => format!("the float {x}"),
        DeValue::Boolean(b) => format!("the boolean {b}"),
        DeValue::Datetime(d) => format!("the datetime {d}"),
        DeValue::Array(a) => format!("a list of {} values", a.len()),
        DeValue::Table(_) => "a table".to_string(),
    }
}

fn expected_word(ty: &Ty) -> String {
    match ty {
        Ty::Bool => "a boolean".into(),
        Ty::Int(k) => format!("an integer ({})", k.name()),
        Ty::F64 => "a number (f64)".into(),
        Ty::Str => "a string".into(),
        Ty::Vec(_) | Ty::Array1 => format!("a list ({ty})"),
        Ty::Array2 => "a list of rows (Array2<f64>)".into(),
        Ty::Tuple(ts) => format!("a list of {} values ({ty})", ts.len()),
        Ty::Option(_) => format!("{ty}"),
        Ty::Record(name) => format!("an inline table ({name})"),
    }
}

/// Why a JSON value (an answer) does not have the shape of its type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShapeError {
    /// `found`: the value as JSON, or in words (`a list`) where it was read as a stream.
    #[error("{found} is not a {expected}")]
    NotA { found: String, expected: Ty },
    /// A record's table with a key it does not declare, or too few or many.
    #[error("{record} should have {fields} fields")]
    FieldCount { record: String, fields: usize },
    #[error("{record} is missing field {field}")]
    MissingField { record: String, field: String },
    #[error("{record} has field {field} twice")]
    FieldTwice { record: String, field: String },
}

/// Checks that a JSON value (an answer from a compiled program) has the shape of `ty`.
pub fn check_json(v: &Json, ty: &Ty, records: &dyn Records) -> Result<(), ShapeError> {
    let ok = match (ty, v) {
        (Ty::Bool, Json::Bool(_)) | (Ty::Str, Json::String(_)) | (Ty::Option(_), Json::Null) => {
            true
        }
        (Ty::Int(kind), Json::Number(n)) => {
            let wide = n
                .as_i64()
                .map(i128::from)
                .or_else(|| n.as_u64().map(i128::from));
            wide.is_some_and(|w| w >= kind.range().0 && w <= kind.range().1)
        }
        (Ty::F64, _) => json_float(v).is_some(),
        (Ty::Option(inner), _) => return check_json(v, inner, records),
        (Ty::Vec(inner), Json::Array(items)) => {
            return items.iter().try_for_each(|i| check_json(i, inner, records))
        }
        (Ty::Array1, Json::Array(items)) => {
            return items
                .iter()
                .try_for_each(|i| check_json(i, &Ty::F64, records))
        }
        (Ty::Array2, Json::Array(rows)) => {
            return rows
                .iter()
                .try_for_each(|r| check_json(r, &Ty::Array1, records))
        }
        (Ty::Tuple(tys), Json::Array(items)) if items.len() == tys.len() => {
            return items
                .iter()
                .zip(tys)
                .try_for_each(|(i, t)| check_json(i, t, records))
        }
        (Ty::Record(name), Json::Object(map)) => {
            let fields = records.fields(name).unwrap_or(&[]);
            if map.len() != fields.len() {
                return Err(ShapeError::FieldCount {
                    record: name.clone(),
                    fields: fields.len(),
                });
            }
            return fields.iter().try_for_each(|(f, t)| match map.get(f) {
                Some(x) => check_json(x, t, records),
                None => Err(ShapeError::MissingField {
                    record: name.clone(),
                    field: f.clone(),
                }),
            });
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(ShapeError::NotA {
            found: v.to_string(),
            expected: ty.clone(),
        })
    }
}

/// Renders a value in TOML syntax (so a case can be pasted back into tests.toml), breaking
/// long lists one element per line so that line diffs point at the element that differs.
pub fn render(v: &Json) -> String {
    let mut out = String::new();
    render_into(v, 0, &mut out, usize::MAX);
    out
}

/// Ends a rendering that `render_limited` cut short.
pub const CUT_MARK: &str = "\n[... rendering cut here: too long to show]";

/// Like `render`, but at most `max_bytes` long: a wrong answer of millions of elements is
/// rendered only as far as anyone reads, at a cost bounded by the budget, not the value.
/// A cut rendering ends at a line boundary followed by `CUT_MARK`.
pub fn render_limited(v: &Json, max_bytes: usize) -> String {
    let mut out = String::new();
    if render_into(v, 0, &mut out, max_bytes) {
        return out;
    }
    let mut keep = max_bytes.saturating_sub(CUT_MARK.len()).min(out.len());
    while !out.is_char_boundary(keep) {
        keep -= 1;
    }
    keep = out[..keep].rfind('\n').unwrap_or(0);
    out.truncate(keep);
    out.push_str(CUT_MARK);
    if out.len() > max_bytes {
        out.clear();
    }
    out
}

const LINE_WIDTH: usize = 80;

/// Appends `v` to `out`; false once `out` grew past `limit` (the rest is then left out).
fn render_into(v: &Json, indent: usize, out: &mut String, limit: usize) -> bool {
    let start = out.len();
    // Measuring the flat form stops at the line width, so a long list costs no flat copy.
    let fits = flat_into(v, out, start + LINE_WIDTH.saturating_sub(indent));
    match v {
        Json::Array(items) if !fits && !items.is_empty() => {
            out.truncate(start);
            out.push_str("[\n");
            for item in items {
                out.push_str(&" ".repeat(indent + 2));
                if !render_into(item, indent + 2, out, limit) {
                    return false;
                }
                out.push_str(",\n");
                if out.len() > limit {
                    return false;
                }
            }
            out.push_str(&" ".repeat(indent));
            out.push(']');
        }
        _ if !fits => {
            out.truncate(start);
            return flat_into(v, out, limit);
        }
        _ => {}
    }
    out.len() <= limit
}

/// A small value of type `ty`, written in TOML: for error messages that show how to write one.
pub fn example(ty: &Ty, records: &dyn Records) -> String {
    match ty {
        Ty::Bool => "true".into(),
        Ty::Int(_) => "3".into(),
        Ty::F64 => "1.5".into(),
        Ty::Str => "\"text\"".into(),
        Ty::Vec(item) => {
            let one = example(item, records);
            format!("[{one}, {one}]")
        }
        Ty::Option(inner) => format!("{} (or \"{NONE_SPELLING}\")", example(inner, records)),
        Ty::Tuple(items) => {
            let parts: Vec<String> = items.iter().map(|t| example(t, records)).collect();
            format!("[{}]", parts.join(", "))
        }
        Ty::Array1 => "[1.0, 2.5]".into(),
        Ty::Array2 => "[[1.0, 2.0], [3.0, 4.0]]".into(),
        Ty::Record(name) => {
            let fields = records.fields(name).unwrap_or(&[]);
            let parts: Vec<String> = fields
                .iter()
                .map(|(f, t)| format!("{f} = {}", example(t, records)))
                .collect();
            format!("{{ {} }}", parts.join(", "))
        }
    }
}

/// One-line TOML rendering.
pub fn render_flat(v: &Json) -> String {
    let mut out = String::new();
    flat_into(v, &mut out, usize::MAX);
    out
}

/// The one-line rendering cut at about `max_bytes` (then ending in `...`): for messages,
/// where a value may be a hostile answer of millions of elements.
pub fn render_short(v: &Json, max_bytes: usize) -> String {
    let mut out = String::new();
    if flat_into(v, &mut out, max_bytes) {
        return out;
    }
    let mut keep = max_bytes.min(out.len());
    while !out.is_char_boundary(keep) {
        keep -= 1;
    }
    out.truncate(keep);
    out.push_str("...");
    out
}

/// Appends the one-line rendering of `v` to `out`, stopping (false) once `out` is longer
/// than `limit`.
fn flat_into(v: &Json, out: &mut String, limit: usize) -> bool {
    match v {
        Json::Null => {
            let _ = write!(out, "\"{NONE_SPELLING}\"");
        }
        Json::Bool(b) => out.push_str(&b.to_string()),
        Json::Number(n) if n.is_f64() => {
            out.push_str(&render_float(n.as_f64().unwrap_or(f64::NAN)));
        }
        // Past i64::MAX, TOML needs the decimal-string spelling `from_toml` accepts.
        Json::Number(n) if n.is_u64() && !n.is_i64() => {
            let _ = write!(out, "\"{n}\"");
        }
        Json::Number(n) => out.push_str(&n.to_string()),
        Json::String(s) => match json_float(v) {
            Some(f) => out.push_str(&render_float(f)),
            None => out.push_str(&Json::String(s.clone()).to_string()),
        },
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                if !flat_into(item, out, limit) {
                    return false;
                }
            }
            out.push(']');
        }
        Json::Object(map) => {
            out.push_str("{ ");
            for (i, (k, x)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                let _ = write!(out, "{k} = ");
                if !flat_into(x, out, limit) {
                    return false;
                }
            }
            out.push_str(" }");
        }
    }
    out.len() <= limit
}

fn render_float(f: f64) -> String {
    if f.is_nan() {
        "nan".into()
    } else if f.is_infinite() {
        if f > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        }
    } else {
        format!("{f:?}")
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
pub(crate) mod proptests;
