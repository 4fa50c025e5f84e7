//! Unit tests of values: conversion from TOML, the errors' paths and types, answers against
//! the return type, and the TOML-syntax rendering.

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
