//! Property tests: whatever the bytes, reading a case gives a value or an error that says
//! at which byte, never a panic. (Compiled only into the judge's tests, never the cache's.)

use super::*;
use proptest::prelude::*;

fn check<T: Typed>(bytes: &[u8]) -> Result<(), TestCaseError> {
    let mut r = Reader::new(bytes);
    if let Err(e) = T::read(&mut r).and_then(|_| r.end()) {
        prop_assert!(e.to_string().contains(" at byte "), "{}", e);
    }
    Ok(())
}

fn check_all(bytes: &[u8]) -> Result<(), TestCaseError> {
    check::<i64>(bytes)?;
    check::<f64>(bytes)?;
    check::<Vec<f64>>(bytes)?;
    check::<Option<String>>(bytes)?;
    check::<(usize, Vec<i64>)>(bytes)?;
    check::<Array2<f64>>(bytes)?;
    check::<Vec<Option<bool>>>(bytes)
}

/// Text built from JSON's tokens and near misses (value's property tests use it too).
pub(crate) fn json_ish() -> impl Strategy<Value = String> {
    let token = prop::sample::select(vec![
        "[",
        "]",
        ",",
        " ",
        "null",
        "nul",
        "true",
        "fals",
        "\"",
        "\\",
        "\\u",
        "\\ud800",
        "\\udc00",
        "\\u00e9",
        "\\uzzzz",
        "-",
        "0",
        "1",
        "9",
        "1e",
        "e-",
        "E+",
        ".",
        "5e999",
        "\"NaN\"",
        "\"inf\"",
        "\"-inf\"",
        "{",
        "}",
        ":",
        "\"a\"",
        "é",
        "\u{0}",
        "18446744073709551616",
        "-9223372036854775809",
        "340282366920938463463374607431768211456",
    ]);
    prop::collection::vec(token, 0..24).prop_map(|t| t.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_read_or_fail_at_a_byte(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        check_all(&bytes)?;
    }

    #[test]
    fn json_ish_text_reads_or_fails_at_a_byte(text in json_ish()) {
        check_all(text.as_bytes())?;
    }

    #[test]
    fn truncated_cases_fail_at_a_byte(cut in 0usize..60) {
        let case = br#"[3, [1, -2, 30000000000], [[1.5, "NaN"], [2e3, "-inf"]], "a\u00e9\"b"]"#;
        check::<(usize, Vec<i64>, Array2<f64>, String)>(&case[..cut.min(case.len())])?;
    }
}
