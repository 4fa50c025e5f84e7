//! Compares an answer with the expected one under the problem's checker.
//!
//! Float rule (as Kattis's default validator): accept when |s - a| <= abs_tol or
//! |s - a| <= rel_tol * |a|, `a` the expected value. NaN equals NaN; infinities are equal when
//! their signs agree. Under the exact checker floats must be equal (NaN still equals NaN).
//!
//! A mismatch says where and how in words with values (`detail`, for cases that may be shown)
//! and what kind of mismatch it is without them (`kind`, for hidden cases under `[feedback]
//! hidden = "kind"`): the kind names only the place, the candidate's own counts, and a float's
//! error to an order of magnitude, never a value of the case or of the expected answer.
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
    pub kind: MismatchKind,
}

/// What kind of mismatch, without the case's data: what a hidden case may say of a wrong
/// answer (`Mismatch::kind_words`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MismatchKind {
    /// A list of another length than the expected one: the answer's own length, and whether
    /// that is more than expected.
    Length { found: usize, more: bool },
    /// The list holds the expected elements (as a multiset) in another order.
    Order,
    /// NaN where a number was expected.
    NaN,
    /// An infinity where a finite number was expected.
    Infinite,
    /// A float outside the tolerance (or, under the exact checker, not equal), off by about
    /// `magnitude` (a power of ten): relative to the expected value, or absolute when that is
    /// 0.
    Off { magnitude: f64, relative: bool },
    /// Another value: an integer, a string, a label, a float where a non-finite one was
    /// expected, `None` for a value or a value for `None`.
    Value,
    /// A record lacks a field.
    MissingField,
    /// Compared as a multiset: this many of the answer's elements match no expected one.
    Unmatched { count: usize },
}

impl Mismatch {
    /// The mismatch in words without data: "wrong length: your list has 3 elements, fewer
    /// than expected", "a float outside the tolerance at `[2]` (off by about 1e-3 of the
    /// expected value)".
    pub fn kind_words(&self) -> String {
        let at = if self.path.is_empty() {
            String::new()
        } else {
            format!(" at {}", self.path)
        };
        match self.kind {
            MismatchKind::Length { found, more } => format!(
                "wrong length{at}: your list has {found} element{}, {} than expected",
                if found == 1 { "" } else { "s" },
                if more { "more" } else { "fewer" }
            ),
            MismatchKind::Order => {
                format!("the expected elements in another order (the first out of place{at})")
            }
            MismatchKind::NaN => format!("NaN where a number was expected{at}"),
            MismatchKind::Infinite => format!("an infinity where a finite number was expected{at}"),
            MismatchKind::Off {
                magnitude,
                relative,
            } => format!(
                "a float outside the tolerance{at} (off by about {}{})",
                power_of_ten(magnitude),
                if relative {
                    " relative to the expected value"
                } else {
                    " in absolute terms"
                }
            ),
            MismatchKind::Value => format!("a wrong value{at}"),
            MismatchKind::MissingField => format!("a missing field{at}"),
            MismatchKind::Unmatched { count } => format!(
                "{count} of your elements match{} no expected element (order does not matter)",
                if count == 1 { "es" } else { "" }
            ),
        }
    }
}

/// `1e-3`, `1e0`, `1e5`: an order of magnitude as people write it.
fn power_of_ten(magnitude: f64) -> String {
    if magnitude.is_finite() && magnitude > 0.0 {
        format!("1e{}", magnitude.log10().round() as i64)
    } else {
        "an unbounded amount".to_string()
    }
}

/// How far off a finite float is, to a power of ten: relative to `expected`, or absolute
/// when `expected` is 0.
fn off_by(expected: f64, actual: f64) -> MismatchKind {
    let diff = (expected - actual).abs();
    let relative = expected != 0.0;
    let error = if relative {
        diff / expected.abs()
    } else {
        diff
    };
    MismatchKind::Off {
        magnitude: 10f64.powf(error.log10().round()),
        relative,
    }
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
    walk(expected, actual, tol, &mut String::new(), true)
}

/// `compare` of a value found at `path` of an answer, element by element (never telling
/// `Order`): how `streamed` names a difference it meets while reading.
pub(super) fn compare_at(
    expected: &Json,
    actual: &Json,
    tol: Option<(f64, f64)>,
    path: &str,
) -> Result<(), Mismatch> {
    walk(expected, actual, tol, &mut path.to_string(), false)
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
            kind: MismatchKind::Length {
                found: actual.len(),
                more: actual.len() > expected.len(),
            },
        });
    }
    let mut e: Vec<&Json> = expected.iter().collect();
    let mut a: Vec<&Json> = actual.iter().collect();
    e.sort_by(|x, y| total_order(x, y));
    a.sort_by(|x, y| total_order(x, y));
    let matches = |x: &Json, y: &Json| walk(x, y, tol, &mut String::new(), false).is_ok();
    let Some(y) = e.iter().zip(&a).find(|(x, y)| !matches(x, y)).map(|p| *p.1) else {
        return Ok(());
    };
    Err(Mismatch {
        path: String::new(),
        detail: format!(
            "the answer is not the expected multiset: {} is not matched",
            render_short(y, SHOWN_BYTES)
        ),
        kind: MismatchKind::Unmatched {
            count: unmatched(&e, &a, &matches),
        },
    })
}

/// How many of the sorted `actual` elements match none of the sorted `expected` ones: a
/// merge of the two sorted lists.
fn unmatched(
    expected: &[&Json],
    actual: &[&Json],
    matches: &dyn Fn(&Json, &Json) -> bool,
) -> usize {
    let (mut i, mut j, mut count) = (0, 0, 0);
    while i < expected.len() && j < actual.len() {
        if matches(expected[i], actual[j]) {
            i += 1;
            j += 1;
        } else if total_order(expected[i], actual[j]).is_lt() {
            i += 1;
        } else {
            j += 1;
            count += 1;
        }
    }
    count + (actual.len() - j)
}

/// Compares `expected` with `actual`, naming the first difference. With `ordering`, a list
/// whose elements differ is also compared as a multiset, to tell a wrong order from wrong
/// elements; never inside that multiset comparison, which would repeat it at every level.
fn walk(
    expected: &Json,
    actual: &Json,
    tol: Option<(f64, f64)>,
    path: &mut String,
    ordering: bool,
) -> Result<(), Mismatch> {
    let differ = |path: &str, detail: String, kind: MismatchKind| {
        Err(Mismatch {
            path: path.to_string(),
            detail,
            kind,
        })
    };
    let values_differ = |path: &str, kind: MismatchKind| {
        differ(
            path,
            format!(
                "expected {}, found {}",
                render_short(expected, SHOWN_BYTES),
                render_short(actual, SHOWN_BYTES)
            ),
            kind,
        )
    };
    match (expected, actual) {
        (Json::Array(e), Json::Array(a)) => {
            if e.len() != a.len() {
                return differ(
                    path,
                    format!("expected {} elements, found {}", e.len(), a.len()),
                    MismatchKind::Length {
                        found: a.len(),
                        more: a.len() > e.len(),
                    },
                );
            }
            for (i, (x, y)) in e.iter().zip(a).enumerate() {
                let len = path.len();
                let _ = write!(path, "[{i}]");
                let here = path.len();
                if let Err(mut m) = walk(x, y, tol, path, ordering) {
                    // The right elements in another order: worth saying, and checked only
                    // once a list differs (the multiset comparison sorts both).
                    let plain = matches!(m.kind, MismatchKind::Value | MismatchKind::Off { .. });
                    if ordering && plain && compare_unordered(e, a, tol).is_ok() {
                        m.kind = MismatchKind::Order;
                        path.truncate(here);
                        m.path.clone_from(path);
                    }
                    return Err(m);
                }
                path.truncate(len);
            }
            Ok(())
        }
        (Json::Object(e), Json::Object(a)) => {
            for (k, x) in e {
                let len = path.len();
                let _ = write!(path, ".{k}");
                match a.get(k) {
                    Some(y) => walk(x, y, tol, path, ordering)?,
                    None => {
                        return differ(path, "field is missing".into(), MismatchKind::MissingField)
                    }
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
                    values_differ(path, float_kind(e, a))
                }
            }
            _ if expected == actual => Ok(()),
            _ => values_differ(path, MismatchKind::Value),
        },
    }
}

/// What kind of float mismatch, seen from the expected value's side only as far as "a
/// number was expected".
fn float_kind(expected: f64, actual: f64) -> MismatchKind {
    match (expected.is_finite(), actual) {
        (true, a) if a.is_nan() => MismatchKind::NaN,
        (true, a) if a.is_infinite() => MismatchKind::Infinite,
        (true, a) => off_by(expected, a),
        (false, _) => MismatchKind::Value,
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

    fn kind(e: &Json, a: &Json, c: &Checker) -> String {
        compare(e, a, c).unwrap_err().kind_words()
    }

    #[test]
    fn a_mismatch_has_a_kind_that_shows_no_data() {
        let exact = Checker {
            kind: CheckerKind::Exact,
            ..float()
        };
        assert_eq!(
            kind(&json!([1, 2, 3]), &json!([1, 2]), &exact),
            "wrong length: your list has 2 elements, fewer than expected"
        );
        assert_eq!(
            kind(&json!([[1], [2]]), &json!([[1], [2, 5]]), &exact),
            "wrong length at [1]: your list has 2 elements, more than expected"
        );
        assert_eq!(
            kind(&json!([7, 8, 9]), &json!([7, 9, 8]), &exact),
            "the expected elements in another order (the first out of place at [1])"
        );
        assert_eq!(
            kind(
                &json!([{"a": 1, "b": "x"}, {"a": 2, "b": "y"}]),
                &json!([{"a": 2, "b": "y"}, {"a": 1, "b": "x"}]),
                &exact
            ),
            "the expected elements in another order (the first out of place at [0])"
        );
        assert_eq!(
            kind(&json!([7, 8, 9]), &json!([7, 8, 4]), &exact),
            "a wrong value at [2]"
        );
        assert_eq!(kind(&json!(3), &json!(4), &exact), "a wrong value");
        assert_eq!(
            kind(&json!([1.0, 2.0]), &json!([1.0, "NaN"]), &float()),
            "NaN where a number was expected at [1]"
        );
        assert_eq!(
            kind(&json!([1.0, 2.0]), &json!(["-inf", 2.0]), &float()),
            "an infinity where a finite number was expected at [0]"
        );
        assert_eq!(
            kind(&json!([100.0]), &json!([100.1]), &float()),
            "a float outside the tolerance at [0] (off by about 1e-3 relative to the expected value)"
        );
        assert_eq!(
            kind(&json!(0.0), &json!(0.02), &float()),
            "a float outside the tolerance (off by about 1e-2 in absolute terms)"
        );
        // A non-finite expected value is not told apart: that would show it.
        assert_eq!(kind(&json!("NaN"), &json!(1.0), &float()), "a wrong value");
        let unordered = Checker {
            kind: CheckerKind::Unordered,
            ..float()
        };
        assert_eq!(
            kind(&json!([1, 2, 3]), &json!([3, 4, 5]), &unordered),
            "2 of your elements match no expected element (order does not matter)"
        );
        assert_eq!(
            kind(&json!([1, 2, 3]), &json!([3]), &unordered),
            "wrong length: your list has 1 element, fewer than expected"
        );
    }

    /// A mismatch deep in nested lists explains itself once per level, not once per level
    /// of every multiset comparison (which would double at each level).
    #[test]
    fn kinds_of_deeply_nested_mismatches_cost_little() {
        let (mut e, mut a) = (json!([1, 2]), json!([1, 3]));
        for _ in 0..200 {
            e = json!([e, 0]);
            a = json!([a, 0]);
        }
        let m = compare(&e, &a, &float()).unwrap_err();
        assert_eq!(m.kind, MismatchKind::Value);
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
