//! Compares an answer with the expected one under the problem's checker.
//!
//! Float rule (as Kattis's default validator): accept when |s - a| <= abs_tol or
//! |s - a| <= rel_tol * |a|, `a` the expected value. NaN equals NaN; infinities are equal when
//! their signs agree. Under the exact checker floats must be equal (NaN still equals NaN).
//! Invariant: pure; no IO.

use std::cmp::Ordering;
use std::fmt::Write as _;

use serde_json::Value as Json;

use crate::problem::spec::{Checker, CheckerKind};
use crate::problem::value::{json_float, render_short};

/// How much of a value a mismatch message quotes.
const SHOWN_BYTES: usize = 200;

/// Why an answer was rejected.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    /// Where in the answer, e.g. `[3]` or `.1[0]`; empty for the whole answer.
    pub path: String,
    pub detail: String,
}

pub fn compare(expected: &Json, actual: &Json, checker: &Checker) -> Result<(), Mismatch> {
    let tol = match checker.kind {
        CheckerKind::Exact => None,
        CheckerKind::Float | CheckerKind::Unordered | CheckerKind::Custom => {
            Some((checker.abs_tol, checker.rel_tol))
        }
    };
    if checker.kind == CheckerKind::Unordered {
        if let (Json::Array(e), Json::Array(a)) = (expected, actual) {
            return compare_unordered(e, a, tol);
        }
    }
    walk(expected, actual, tol, &mut String::new())
}

fn compare_unordered(
    expected: &[Json],
    actual: &[Json],
    tol: Option<(f64, f64)>,
) -> Result<(), Mismatch> {
    if expected.len() != actual.len() {
        return Err(Mismatch {
            path: String::new(),
            detail: format!(
                "expected {} elements (in any order), found {}",
                expected.len(),
                actual.len()
            ),
        });
    }
    let mut e: Vec<&Json> = expected.iter().collect();
    let mut a: Vec<&Json> = actual.iter().collect();
    e.sort_by(|x, y| total_order(x, y));
    a.sort_by(|x, y| total_order(x, y));
    for (x, y) in e.iter().zip(&a) {
        if walk(x, y, tol, &mut String::new()).is_err() {
            return Err(Mismatch {
                path: String::new(),
                detail: format!(
                    "the answer is not the expected multiset: {} is not matched",
                    render_short(y, SHOWN_BYTES)
                ),
            });
        }
    }
    Ok(())
}

fn walk(
    expected: &Json,
    actual: &Json,
    tol: Option<(f64, f64)>,
    path: &mut String,
) -> Result<(), Mismatch> {
    let differ = |path: &str, detail: String| {
        Err(Mismatch {
            path: path.to_string(),
            detail,
        })
    };
    match (expected, actual) {
        (Json::Array(e), Json::Array(a)) => {
            if e.len() != a.len() {
                return differ(
                    path,
                    format!("expected {} elements, found {}", e.len(), a.len()),
                );
            }
            for (i, (x, y)) in e.iter().zip(a).enumerate() {
                let len = path.len();
                let _ = write!(path, "[{i}]");
                walk(x, y, tol, path)?;
                path.truncate(len);
            }
            Ok(())
        }
        (Json::Object(e), Json::Object(a)) => {
            for (k, x) in e {
                let len = path.len();
                let _ = write!(path, ".{k}");
                match a.get(k) {
                    Some(y) => walk(x, y, tol, path)?,
                    None => return differ(path, "field is missing".into()),
                }
                path.truncate(len);
            }
            Ok(())
        }
        _ => match (
            json_float(expected),
            json_float(actual),
            expected.is_number() || expected.is_string(),
        ) {
            (Some(e), Some(a), _) if is_float(expected) || is_float(actual) => {
                if floats_match(e, a, tol) {
                    Ok(())
                } else {
                    differ(
                        path,
                        format!(
                            "expected {}, found {}",
                            render_short(expected, SHOWN_BYTES),
                            render_short(actual, SHOWN_BYTES)
                        ),
                    )
                }
            }
            _ if expected == actual => Ok(()),
            _ => differ(
                path,
                format!(
                    "expected {}, found {}",
                    render_short(expected, SHOWN_BYTES),
                    render_short(actual, SHOWN_BYTES)
                ),
            ),
        },
    }
}

fn is_float(v: &Json) -> bool {
    match v {
        Json::Number(n) => n.is_f64(),
        Json::String(s) => matches!(s.as_str(), "NaN" | "inf" | "-inf"),
        _ => false,
    }
}

/// The float rule of the module doc; `None` tolerance means exact.
#[expect(
    clippy::float_cmp,
    reason = "exact is meant: infinities of one sign, and no tolerance (0.0 equals -0.0)"
)]
pub fn floats_match(expected: f64, actual: f64, tol: Option<(f64, f64)>) -> bool {
    if expected.is_nan() || actual.is_nan() {
        return expected.is_nan() && actual.is_nan();
    }
    if expected.is_infinite() || actual.is_infinite() {
        return expected == actual;
    }
    match tol {
        None => expected == actual,
        Some((abs, rel)) => {
            let diff = (expected - actual).abs();
            diff <= abs || diff <= rel * expected.abs()
        }
    }
}

/// A total order on JSON values, numbers by value, used to line up multisets.
fn total_order(x: &Json, y: &Json) -> Ordering {
    let rank = |v: &Json| match v {
        Json::Null => 0,
        Json::Bool(_) => 1,
        Json::Number(_) => 2,
        Json::String(_) if json_float(v).is_some() => 2,
        Json::String(_) => 3,
        Json::Array(_) => 4,
        Json::Object(_) => 5,
    };
    match (x, y) {
        _ if rank(x) != rank(y) => rank(x).cmp(&rank(y)),
        (Json::Bool(a), Json::Bool(b)) => a.cmp(b),
        (Json::String(a), Json::String(b)) if rank(x) == 3 => a.cmp(b),
        (Json::Array(a), Json::Array(b)) => a
            .iter()
            .zip(b)
            .map(|(p, q)| total_order(p, q))
            .find(|o| o.is_ne())
            .unwrap_or(a.len().cmp(&b.len())),
        // By entries in key order: zipping values in stored order is no order at all when
        // an answer (written straight to the answer pipe) lists the same keys differently,
        // and `sort_by` panics on a comparison that is not a total order.
        (Json::Object(a), Json::Object(b)) => {
            let (a, b) = (by_key(a), by_key(b));
            a.iter()
                .zip(&b)
                .map(|((k, p), (l, q))| k.cmp(l).then_with(|| total_order(p, q)))
                .find(|o| o.is_ne())
                .unwrap_or(a.len().cmp(&b.len()))
        }
        _ => match (json_float(x), json_float(y)) {
            (Some(a), Some(b)) => a.total_cmp(&b),
            _ => Ordering::Equal,
        },
    }
}

fn by_key(map: &serde_json::Map<String, Json>) -> Vec<(&String, &Json)> {
    let mut entries: Vec<(&String, &Json)> = map.iter().collect();
    entries.sort_by(|p, q| p.0.cmp(q.0));
    entries
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn float() -> Checker {
        Checker {
            kind: CheckerKind::Float,
            abs_tol: 1e-6,
            rel_tol: 1e-6,
        }
    }

    #[test]
    fn float_tolerance_is_abs_or_rel() {
        assert!(floats_match(1.0, 1.0 + 5e-7, Some((1e-6, 0.0))));
        assert!(!floats_match(1.0, 1.0 + 2e-6, Some((1e-6, 1e-6))));
        assert!(floats_match(1e9, 1e9 + 100.0, Some((1e-6, 1e-6))));
        assert!(floats_match(f64::NAN, f64::NAN, None));
        assert!(!floats_match(f64::NAN, 1.0, Some((1.0, 1.0))));
        assert!(floats_match(
            f64::INFINITY,
            f64::INFINITY,
            Some((1e-6, 1e-6))
        ));
        assert!(!floats_match(
            f64::INFINITY,
            f64::NEG_INFINITY,
            Some((1e-6, 1e-6))
        ));
        assert!(!floats_match(0.1 + 0.2, 0.3, None));
    }

    #[test]
    fn mismatch_names_the_place() {
        let e = json!([{"day": "a", "rainfall": 1.0}, {"day": "b", "rainfall": 2.0}]);
        let a = json!([{"day": "a", "rainfall": 1.0}, {"day": "b", "rainfall": 2.5}]);
        let m = compare(&e, &a, &float()).unwrap_err();
        assert_eq!(m.path, "[1].rainfall");
        assert_eq!(m.detail, "expected 2.0, found 2.5");
        assert!(compare(&json!([1, 2]), &json!([1, 2, 3]), &float()).is_err());
        assert!(compare(&json!(null), &json!(2.0), &float()).is_err());
        assert!(compare(&json!(3), &json!(3), &float()).is_ok());
        assert!(compare(&json!(3), &json!(4), &float()).is_err());
        assert!(compare(&json!("NaN"), &json!("NaN"), &float()).is_ok());
    }

    /// A solution can write its answer to the pipe itself, keys in any order; sorting such
    /// records for the unordered checker paired them by value position, so equal multisets
    /// were judged WA, and objects with different keys panicked the sort ("does not
    /// correctly implement a total order"), taking the judge down.
    #[test]
    fn unordered_records_with_keys_in_any_order_do_not_crash_the_sort() {
        let c = Checker {
            kind: CheckerKind::Unordered,
            ..float()
        };
        let mut seed = 1u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            seed >> 33
        };
        for _ in 0..2_000 {
            let records: Vec<Json> = (0..2 + next() % 60)
                .map(|_| {
                    let (a, b) = (json!(next() % 2), json!(next() % 3));
                    if next() % 2 == 0 {
                        json!({"a": a, "b": b})
                    } else {
                        json!({"b": b, "a": a})
                    }
                })
                .collect();
            let mut reversed = records.clone();
            reversed.reverse();
            assert!(compare(&Json::Array(records.clone()), &Json::Array(reversed), &c).is_ok());
            // Objects with different keys (no answer of a record type has them) panicked
            // the sort outright.
            let ragged: Vec<Json> = records
                .into_iter()
                .map(|r| {
                    if next() % 2 == 0 {
                        json!({"a": r["a"]})
                    } else {
                        r
                    }
                })
                .collect();
            let _ = compare(&Json::Array(ragged.clone()), &Json::Array(ragged), &c);
        }
    }

    #[test]
    fn unordered_compares_multisets() {
        let c = Checker {
            kind: CheckerKind::Unordered,
            ..float()
        };
        assert!(compare(&json!([3, 1, 2, 2]), &json!([2, 1, 2, 3]), &c).is_ok());
        assert!(compare(&json!([3, 1, 2, 2]), &json!([2, 1, 3, 3]), &c).is_err());
        assert!(compare(&json!([0.5, 0.25]), &json!([0.250_000_000_1, 0.5]), &c).is_ok());
        assert!(compare(&json!([[1, 2], [0, 5]]), &json!([[0, 5], [1, 2]]), &c).is_ok());
    }
}

/// Property tests: any two JSON values under any checker give Ok or a mismatch, never a
/// panic; a value always matches itself.
#[cfg(test)]
mod proptests {
    use super::*;
    use crate::problem::value::proptests::{json, nested};
    use proptest::prelude::*;

    fn checker() -> impl Strategy<Value = Checker> {
        let kind = prop::sample::select(vec![
            CheckerKind::Exact,
            CheckerKind::Float,
            CheckerKind::Unordered,
            CheckerKind::Custom,
        ]);
        let tol = prop_oneof![
            Just(1e-6),
            Just(0.0),
            Just(f64::NAN),
            Just(f64::INFINITY),
            any::<f64>()
        ];
        (kind, tol.clone(), tol).prop_map(|(kind, abs_tol, rel_tol)| Checker {
            kind,
            abs_tol,
            rel_tol,
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn any_values_compare_without_panic(e in json(), a in json(), c in checker()) {
            let _ = compare(&e, &a, &c);
            let _ = compare(&nested(100, e.clone()), &nested(100, a.clone()), &c);
        }

        #[test]
        fn lists_of_values_compare_as_multisets_without_panic(
            e in prop::collection::vec(json(), 0..40),
            a in prop::collection::vec(json(), 0..40),
            c in checker(),
        ) {
            let _ = compare(&Json::Array(e), &Json::Array(a), &c);
        }

        #[test]
        fn a_value_matches_itself(v in json(), c in checker()) {
            let tolerant = c.abs_tol >= 0.0 && c.rel_tol >= 0.0;
            if tolerant || c.kind == CheckerKind::Exact {
                prop_assert_eq!(compare(&v, &v, &c), Ok(()));
            }
        }
    }
}
