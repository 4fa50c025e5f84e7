//! Compares an answer with the expected one under the problem's checker.
//!
//! Float rule (as Kattis's default validator): accept when |s - a| <= abs_tol or
//! |s - a| <= rel_tol * |a|, `a` the expected value. NaN equals NaN; infinities are equal when
//! their signs agree. Under the exact checker floats must be equal (NaN still equals NaN).
//! Invariant: pure; no IO.

use std::cmp::Ordering;

use serde_json::Value as Json;

use crate::spec::{Checker, CheckerKind};
use crate::value::{json_float, render_flat};

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
                    render_flat(y)
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
                path.push_str(&format!("[{i}]"));
                walk(x, y, tol, path)?;
                path.truncate(len);
            }
            Ok(())
        }
        (Json::Object(e), Json::Object(a)) => {
            for (k, x) in e {
                let len = path.len();
                path.push_str(&format!(".{k}"));
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
                            render_flat(expected),
                            render_flat(actual)
                        ),
                    )
                }
            }
            _ if expected == actual => Ok(()),
            _ => differ(
                path,
                format!(
                    "expected {}, found {}",
                    render_flat(expected),
                    render_flat(actual)
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
        (Json::Object(a), Json::Object(b)) => a
            .values()
            .zip(b.values())
            .map(|(p, q)| total_order(p, q))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal),
        _ => match (json_float(x), json_float(y)) {
            (Some(a), Some(b)) => a.total_cmp(&b),
            _ => Ordering::Equal,
        },
    }
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

    #[test]
    fn unordered_compares_multisets() {
        let c = Checker {
            kind: CheckerKind::Unordered,
            ..float()
        };
        assert!(compare(&json!([3, 1, 2, 2]), &json!([2, 1, 2, 3]), &c).is_ok());
        assert!(compare(&json!([3, 1, 2, 2]), &json!([2, 1, 3, 3]), &c).is_err());
        assert!(compare(&json!([0.5, 0.25]), &json!([0.2500000001, 0.5]), &c).is_ok());
        assert!(compare(&json!([[1, 2], [0, 5]]), &json!([[0, 5], [1, 2]]), &c).is_ok());
    }
}
