//! The runtime's unit tests: a case's arguments read in the canonical form, floats bit for
//! bit, and what a malformed case is told. Compiled only into the judge's tests.

use super::*;

fn read<T: Typed>(text: &str) -> Result<T, ReadError> {
    let mut r = Reader::new(text.as_bytes());
    T::read(&mut r).and_then(|v| r.end().map(|()| v))
}

/// What a malformed case is told.
fn error<T: Typed + std::fmt::Debug>(text: &str) -> String {
    read::<T>(text).unwrap_err().to_string()
}

#[test]
fn reads_nested_arguments_in_the_canonical_form() {
    type Case = (
        usize,
        Vec<Vec<f64>>,
        Option<String>,
        Array2<f64>,
        Vec<Option<bool>>,
    );
    let (k, rows, name, m, flags): Case =
        read(" [ 3 , [[1.5, -2e3], []], null, [[1, 2], [3, 4]], [true, null, false] ] ").unwrap();
    assert_eq!(k, 3);
    assert_eq!(rows, vec![vec![1.5, -2000.0], vec![]]);
    assert_eq!(name, None);
    assert_eq!(m, ndarray::array![[1.0, 2.0], [3.0, 4.0]]);
    assert_eq!(flags, vec![Some(true), None, Some(false)]);
    let floats: Vec<f64> = read(r#"["NaN", "inf", "-inf", 0, -0.0]"#).unwrap();
    assert!(floats[0].is_nan() && floats[1] == f64::INFINITY && floats[2] == f64::NEG_INFINITY);
    assert!(floats[4] == 0.0 && floats[4].is_sign_negative());
    let text: String = read(r#""a\"b\\c\n\u00e9\ud83d\ude00/""#).unwrap();
    assert_eq!(text, "a\"b\\c\né😀/");
}

#[test]
fn floats_read_back_bit_for_bit_as_serde_json_wrote_them() {
    let mut rng = Rng::new(7);
    for _ in 0..20_000 {
        let x = f64::from_bits(rng.next_u64());
        if !x.is_finite() {
            continue;
        }
        let text = serde_json::to_string(&x).unwrap();
        assert_eq!(read::<f64>(&text).unwrap().to_bits(), x.to_bits(), "{text}");
    }
}

#[test]
fn malformed_cases_say_what_and_where() {
    assert_eq!(
        error::<(i64, i64)>("[1]"),
        "expected 2 values, found 1 at byte 3"
    );
    assert!(error::<(i64,)>("[1, 2]").starts_with("expected 1 values, found more"));
    assert!(error::<u8>("300").contains("300 is out of range for u8"));
    assert!(error::<i64>("1.5").contains("expected an integer, found 1.5"));
    assert!(error::<Array2<f64>>("[[1, 2], [3]]").contains("ragged Array2"));
    assert!(error::<f64>(r#""nan""#).contains("expected f64, found the string"));
    assert!(error::<f64>("1.").contains("expected a number"));
    assert!(error::<Vec<f64>>("[1 2]").contains("expected `,` or `]`"));
    assert!(error::<i64>("1 x").contains("trailing characters"));
    assert!(error::<String>(r#""abc"#).contains("unterminated string"));
}

/// Found while writing the property tests: a high surrogate followed by any other escape
/// was read as some made-up character where serde_json refuses the string.
#[test]
fn a_high_surrogate_paired_with_a_non_surrogate_is_an_error() {
    for text in [
        r#""\ud800\u0041""#,
        r#""\ud800\ud800""#,
        r#""\ud800""#,
        r#""\udc00""#,
    ] {
        assert!(serde_json::from_str::<String>(text).is_err(), "{text}");
        assert!(error::<String>(text).contains(" at byte "), "{text}");
    }
    assert_eq!(read::<String>(r#""\ud83d\ude00""#).unwrap(), "😀");
}

#[test]
fn a_json_value_of_another_type_says_what_was_expected_and_found() {
    use serde_json::json;
    let e = Vec::<i64>::from_json(json!([1, "x"])).unwrap_err();
    assert!(
        matches!(
            e,
            JsonError::Expected {
                expected: "i64",
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(e.to_string(), r#"expected i64, found "x""#);
    let e = <(i64, bool)>::from_json(json!([1])).unwrap_err();
    assert_eq!(e.to_string(), "tuple too short");
    let e = Array2::<f64>::from_json(json!([[1.0, 2.0], [3.0]])).unwrap_err();
    assert!(e.to_string().starts_with("ragged Array2: "), "{e}");
    let mut record = json!({"a": 1}).as_object().unwrap().clone();
    let e = field::<i64>(&mut record, "b").unwrap_err();
    assert_eq!(e.to_string(), "missing field b");
}
