//! The runtime's unit tests: a case's arguments read in the canonical form, floats bit for
//! bit, and what a malformed case is told. Compiled only into the judge's tests.

use super::*;

fn read<T: Typed>(text: &str) -> Result<T, String> {
    let mut r = Reader::new(text.as_bytes());
    T::read(&mut r)
        .and_then(|v| r.end().map(|()| v))
        .map_err(|e| e.to_string())
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
        read::<(i64, i64)>("[1]").unwrap_err(),
        "expected 2 values, found 1 at byte 3"
    );
    assert!(read::<(i64,)>("[1, 2]")
        .unwrap_err()
        .starts_with("expected 1 values, found more"));
    assert!(read::<u8>("300")
        .unwrap_err()
        .contains("300 is out of range for u8"));
    assert!(read::<i64>("1.5")
        .unwrap_err()
        .contains("expected an integer, found 1.5"));
    assert!(read::<Array2<f64>>("[[1, 2], [3]]")
        .unwrap_err()
        .contains("ragged Array2"));
    assert!(read::<f64>(r#""nan""#)
        .unwrap_err()
        .contains("expected f64, found the string"));
    assert!(read::<f64>("1.").unwrap_err().contains("expected a number"));
    assert!(read::<Vec<f64>>("[1 2]")
        .unwrap_err()
        .contains("expected `,` or `]`"));
    assert!(read::<i64>("1 x")
        .unwrap_err()
        .contains("trailing characters"));
    assert!(read::<String>(r#""abc"#)
        .unwrap_err()
        .contains("unterminated string"));
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
        assert!(
            read::<String>(text).unwrap_err().contains(" at byte "),
            "{text}"
        );
    }
    assert_eq!(read::<String>(r#""\ud83d\ude00""#).unwrap(), "😀");
}
