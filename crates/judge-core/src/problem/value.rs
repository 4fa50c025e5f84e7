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

/// Checks that a JSON value (an answer from a compiled program) has the shape of `ty`.
pub fn check_json(v: &Json, ty: &Ty, records: &dyn Records) -> Result<(), String> {
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
                return Err(format!("{name} should have {} fields", fields.len()));
            }
            return fields.iter().try_for_each(|(f, t)| match map.get(f) {
                Some(x) => check_json(x, t, records),
                None => Err(format!("{name} is missing field {f}")),
            });
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!("{v} is not a {ty}"))
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
mod tests {
    use super::*;

    struct Rain;
    impl Records for Rain {
        fn fields(&self, record: &str) -> Option<&[(String, Ty)]> {
            static FIELDS: std::sync::OnceLock<Vec<(String, Ty)>> = std::sync::OnceLock::new();
            (record == "RainDay").then(|| {
                FIELDS
                    .get_or_init(|| vec![("day".into(), Ty::Str), ("rainfall".into(), Ty::F64)])
                    .as_slice()
            })
        }
    }

    fn convert(toml_value: &str, ty: &Ty) -> Result<Json, ValueError> {
        let text = format!("v = {toml_value}");
        let doc = DeTable::parse(&text).unwrap();
        let (_, v) = doc.get_ref().iter().next().unwrap();
        from_toml(v, ty, &Rain, "v")
    }

    #[test]
    fn big_unsigned_values_are_spelled_as_decimal_strings() {
        let ty = Ty::Int(IntKind::U64);
        let big = convert("\"18446744073709551615\"", &ty).unwrap();
        assert_eq!(big, Json::from(u64::MAX));
        assert_eq!(render_flat(&big), "\"18446744073709551615\"");
        assert_eq!(convert("7", &ty).unwrap(), Json::from(7));
        let e = convert("\"seven\"", &ty).unwrap_err();
        assert!(
            e.message.contains("string of decimal digits"),
            "{}",
            e.message
        );
        let e = convert("\"12\"", &Ty::Int(IntKind::I64)).unwrap_err();
        assert!(
            e.message.contains("expected an integer (i64)"),
            "{}",
            e.message
        );
    }

    #[test]
    fn converts_options_lists_and_records() {
        let ty = Ty::Vec(Box::new(Ty::Option(Box::new(Ty::Int(IntKind::I64)))));
        assert_eq!(
            convert(r#"[1, "None", -3]"#, &ty).unwrap().to_string(),
            "[1,null,-3]"
        );
        let rec = Ty::Record("RainDay".into());
        let j = convert(r#"{ rainfall = 2, day = "Mon" }"#, &rec).unwrap();
        assert_eq!(j.to_string(), r#"{"day":"Mon","rainfall":2.0}"#);
        assert_eq!(
            convert("[[1, 2], [3, 4.5]]", &Ty::Array2)
                .unwrap()
                .to_string(),
            "[[1.0,2.0],[3.0,4.5]]"
        );
        assert_eq!(
            convert("[nan, -inf]", &Ty::Array1).unwrap().to_string(),
            r#"["NaN","-inf"]"#
        );
    }

    #[test]
    fn errors_name_the_path_and_the_types() {
        let ty = Ty::Vec(Box::new(Ty::Option(Box::new(Ty::Int(IntKind::I64)))));
        let e = convert(r#"[1, "none"]"#, &ty).unwrap_err();
        assert_eq!(e.path, "v[1]");
        assert!(
            e.message.contains(r#"the string "none""#) && e.message.contains(r#""None""#),
            "{}",
            e.message
        );
        let e = convert("[[1, 2], [3]]", &Ty::Array2).unwrap_err();
        assert!(e.message.contains("equal length"), "{}", e.message);
        let e = convert(
            r#"{ day = "Mon", rain = 1.0 }"#,
            &Ty::Record("RainDay".into()),
        )
        .unwrap_err();
        assert_eq!(e.path, "v.rain");
        let e = convert(r#"{ day = "Mon" }"#, &Ty::Record("RainDay".into())).unwrap_err();
        assert!(
            e.message.contains("missing field `rainfall`"),
            "{}",
            e.message
        );
        let e = convert("300", &Ty::Int(IntKind::U8)).unwrap_err();
        assert!(e.message.contains("out of range for u8"), "{}", e.message);
        let e = convert("-1", &Ty::Int(IntKind::Usize)).unwrap_err();
        assert!(e.message.contains("usize"), "{}", e.message);
    }

    #[test]
    fn answers_are_checked_against_the_return_type() {
        let ty = Ty::Option(Box::new(Ty::F64));
        assert!(check_json(&Json::Null, &ty, &Rain).is_ok());
        assert!(check_json(&serde_json::json!(2.5), &ty, &Rain).is_ok());
        assert!(check_json(&serde_json::json!("inf"), &ty, &Rain).is_ok());
        assert!(check_json(&serde_json::json!("x"), &ty, &Rain).is_err());
        assert!(check_json(&serde_json::json!(300), &Ty::Int(IntKind::U8), &Rain).is_err());
    }

    #[test]
    fn render_with_a_budget_stays_under_it() {
        let huge = Json::Array((0..10_000_000).map(Json::from).collect());
        let text = render_limited(&huge, 64 << 10);
        assert!(text.len() <= 64 << 10, "{}", text.len());
        assert!(text.starts_with("[\n  0,\n  1,\n") && text.ends_with(CUT_MARK));
        let nested = serde_json::json!([[1, 2, 3], {"a": "x".repeat(500)}, [4]]);
        let text = render_limited(&nested, 100);
        assert!(text.len() <= 100 && text.ends_with(CUT_MARK), "{text}");
        assert_eq!(render_limited(&nested, 1 << 20), render(&nested));
        assert_eq!(render_limited(&huge, 3), "");
        assert_eq!(render_short(&huge, 10), "[0, 1, 2, ...");
        assert_eq!(render_short(&nested, 1000), render_flat(&nested));
    }

    #[test]
    fn renders_toml_that_reads_back() {
        let v = serde_json::json!([{"day": "Mon", "rainfall": 1.5}, null, "NaN", 3]);
        assert_eq!(
            render_flat(&v),
            r#"[{ day = "Mon", rainfall = 1.5 }, "None", nan, 3]"#
        );
        let long = Json::Array((0..40).map(Json::from).collect());
        assert!(render(&long).lines().count() > 40);
        assert_eq!(render(&serde_json::json!(1.0)), "1.0");
    }
}

/// Property tests: whatever the TOML value, the JSON answer or the declared type, checking
/// gives Ok or an error and never panics. The strategies serve `spec` and `checker` too.
#[cfg(test)]
pub(crate) mod proptests {
    use super::*;
    use proptest::prelude::*;

    /// A record `Rec { a: i64, b: Vec<Option<f64>> }`; any other record name is unknown.
    pub(crate) struct Rec;
    impl Records for Rec {
        fn fields(&self, record: &str) -> Option<&[(String, Ty)]> {
            static FIELDS: std::sync::OnceLock<Vec<(String, Ty)>> = std::sync::OnceLock::new();
            (record == "Rec").then(|| {
                FIELDS
                    .get_or_init(|| {
                        let b = Ty::Vec(Box::new(Ty::Option(Box::new(Ty::F64))));
                        vec![("a".into(), Ty::Int(IntKind::I64)), ("b".into(), b)]
                    })
                    .as_slice()
            })
        }
    }

    pub(crate) fn ty() -> impl Strategy<Value = Ty> {
        let ints = [
            IntKind::I32,
            IntKind::I64,
            IntKind::U8,
            IntKind::U32,
            IntKind::U64,
            IntKind::Usize,
        ];
        let leaf = prop_oneof![
            Just(Ty::Bool),
            prop::sample::select(ints.to_vec()).prop_map(Ty::Int),
            Just(Ty::F64),
            Just(Ty::Str),
            Just(Ty::Array1),
            Just(Ty::Array2),
            Just(Ty::Record("Rec".into())),
            Just(Ty::Record("Unknown".into())),
        ];
        leaf.prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                inner.clone().prop_map(|t| Ty::Vec(Box::new(t))),
                inner.clone().prop_map(|t| Ty::Option(Box::new(t))),
                prop::collection::vec(inner, 1..4).prop_map(Ty::Tuple),
            ]
        })
    }

    /// TOML value text, mostly well formed, with the edge spellings cases meet.
    pub(crate) fn toml_value_text() -> impl Strategy<Value = String> {
        let odd = prop::sample::select(vec![
            "nan",
            "+nan",
            "inf",
            "-inf",
            "-0.0",
            "1e400",
            "0x7fffffffffffffff",
            "-0x1",
            "0b101",
            "0o777",
            "1_000",
            "99999999999999999999",
            "-9223372036854775808",
            "1979-05-27T07:32:00Z",
            "07:32:00",
            "true",
            "\"None\"",
            "\"NaN\"",
            "\"18446744073709551615\"",
            "\"18446744073709551616\"",
            "\"-1\"",
            "\"\"",
            "[]",
            "{}",
            "[[]]",
            "[[1.0], []]",
        ]);
        let leaf = prop_oneof![
            any::<i64>().prop_map(|i| i.to_string()),
            any::<f64>().prop_map(|f| format!("{f:?}")),
            odd.prop_map(String::from),
            any::<String>().prop_map(|s| toml::Value::String(s).to_string()),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6)
                    .prop_map(|v| format!("[{}]", v.join(", "))),
                prop::collection::vec(("[ab]|[a-z]{2}", inner), 0..4).prop_map(|kv| {
                    let parts: Vec<String> = kv.iter().map(|(k, v)| format!("{k} = {v}")).collect();
                    format!("{{ {} }}", parts.join(", "))
                }),
            ]
        })
    }

    /// JSON values, including the non-finite spellings, misspellings of them and big numbers.
    pub(crate) fn json() -> impl Strategy<Value = Json> {
        let spellings = prop::sample::select(vec!["NaN", "inf", "-inf", "nan", "Infinity", "None"]);
        let leaf = prop_oneof![
            Just(Json::Null),
            any::<bool>().prop_map(Json::Bool),
            any::<i64>().prop_map(Json::from),
            any::<u64>().prop_map(Json::from),
            any::<f64>().prop_map(float_json),
            spellings.prop_map(Json::from),
            ".{0,6}".prop_map(Json::String),
        ];
        leaf.prop_recursive(6, 64, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Json::Array),
                prop::collection::vec(("[a-c]", inner), 0..4)
                    .prop_map(|kv| Json::Object(kv.into_iter().collect())),
            ]
        })
    }

    /// An array nested `depth` deep around `leaf`.
    pub(crate) fn nested(depth: usize, leaf: Json) -> Json {
        (0..depth).fold(leaf, |v, _| Json::Array(vec![v]))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn toml_values_convert_or_fail_with_a_path(text in toml_value_text(), ty in ty()) {
            let doc = format!("v = {text}");
            if let Ok(table) = DeTable::parse(&doc) {
                let (_, v) = table.get_ref().iter().next().expect("one key");
                if let Err(e) = from_toml(v, &ty, &Rec, "v") {
                    prop_assert!(e.path.starts_with('v') && !e.message.is_empty());
                    prop_assert!(e.span.end <= doc.len());
                }
            }
        }

        #[test]
        fn converted_values_are_answers_of_their_type(text in toml_value_text(), ty in ty()) {
            let doc = format!("v = {text}");
            if let Ok(table) = DeTable::parse(&doc) {
                let (_, v) = table.get_ref().iter().next().expect("one key");
                if let Ok(json) = from_toml(v, &ty, &Rec, "v") {
                    prop_assert_eq!(check_json(&json, &ty, &Rec), Ok(()));
                    let _ = render_limited(&json, 200);
                }
            }
        }

        #[test]
        fn json_answers_check_or_fail(v in json(), ty in ty()) {
            let _ = check_json(&v, &ty, &Rec);
            let _ = check_json(&nested(100, v.clone()), &ty, &Rec);
            prop_assert!(render_limited(&v, 100).len() <= 100);
        }

        /// What the engine does with a box's answer bytes: parse, then check the shape.
        #[test]
        fn answer_bytes_parse_or_fail(bytes in prop::collection::vec(any::<u8>(), 0..64), ty in ty()) {
            if let Ok(v) = serde_json::from_slice::<Json>(&bytes) {
                let _ = check_json(&v, &ty, &Rec);
            }
        }

        #[test]
        fn json_ish_answers_parse_or_fail(text in crate::judge_rt::proptests::json_ish(), ty in ty()) {
            if let Ok(v) = serde_json::from_str::<Json>(&text) {
                let _ = check_json(&v, &ty, &Rec);
            }
        }
    }

    #[test]
    fn deeply_nested_answers_are_refused_by_the_parser_not_a_stack_overflow() {
        let text = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(serde_json::from_str::<Json>(&text).is_err());
        let v = nested(120, Json::from(1));
        assert!(check_json(&v, &Ty::F64, &Rec).is_err());
        assert!(render_limited(&v, 1000).len() <= 1000);
    }
}
