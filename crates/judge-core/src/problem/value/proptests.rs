//! Property tests: whatever the TOML value, the JSON answer or the declared type, checking
//! gives Ok or an error and never panics. The strategies serve `spec` and `checker` too.

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
            prop::collection::vec(inner.clone(), 0..6).prop_map(|v| format!("[{}]", v.join(", "))),
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
