//! Shrinking a failing case: smaller versions of a case's arguments (fewer rows, shorter
//! lists, smaller numbers), and the greedy loop that keeps the first one that still fails,
//! until none does. `judge stress` drives it with real runs; the tests here with predicates.
//!
//! Arguments that are sequences of the same length are taken for columns of one table and
//! lose the same rows together (a knn's `data` rows and `labels`), so a smaller case keeps
//! the shape the problem's rules need. A candidate the reference rejects is simply not
//! failing, so no candidate outside the rules is ever kept.
//!
//! Invariant: pure; every candidate is strictly smaller (see `Measure`), so shrinking ends.

use serde_json::{Number, Value as Json};

use crate::problem::types::Ty;
use crate::problem::value::{self, Records};

/// Size of a case: (values in it, sum of its numbers' magnitudes, length written out).
/// Compared lexicographically; a candidate must be smaller than the case it comes from.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Measure(usize, f64, usize);

impl Measure {
    /// How many values (numbers, strings, lists, ...) the case holds.
    pub fn values(&self) -> usize {
        self.0
    }

    /// How long the case is written out.
    pub fn characters(&self) -> usize {
        self.2
    }
}

pub fn measure(args: &[Json]) -> Measure {
    fn walk(v: &Json, m: &mut (usize, f64)) {
        m.0 += 1;
        match v {
            Json::Array(items) => items.iter().for_each(|i| walk(i, m)),
            Json::Object(map) => map.values().for_each(|i| walk(i, m)),
            Json::Number(n) => m.1 += n.as_f64().unwrap_or(0.0).abs(),
            Json::String(s) => m.1 += s.len() as f64,
            _ => {}
        }
    }
    let mut m = (0, 0.0);
    for a in args {
        walk(a, &mut m);
    }
    let text: usize = args.iter().map(|a| value::render_flat(a).len()).sum();
    Measure(m.0, m.1, text)
}

/// Every smaller case to try, most reducing first.
pub fn candidates(args: &[Json], types: &[Ty], records: &dyn Records) -> Vec<Vec<Json>> {
    let mut out = Vec::new();
    drop_rows(args, types, &mut out);
    drop_columns(args, types, &mut out);
    for (i, (arg, ty)) in args.iter().zip(types).enumerate() {
        let mut smaller = Vec::new();
        inner_candidates(arg, ty, records, true, &mut smaller);
        for s in smaller {
            let mut c = args.to_vec();
            c[i] = s;
            out.push(c);
        }
    }
    let here = measure(args);
    let mut seen = std::collections::HashSet::new();
    out.retain(|c| measure(c) < here && seen.insert(serde_json::to_string(c).unwrap_or_default()));
    out
}

fn is_sequence(ty: &Ty) -> bool {
    matches!(ty, Ty::Vec(_) | Ty::Array1 | Ty::Array2)
}

fn len(v: &Json) -> usize {
    v.as_array().map_or(0, Vec::len)
}

/// Spans to cut from a sequence of `n`: everything, then halves, quarters, ... single items.
fn spans(n: usize) -> Vec<(usize, usize)> {
    let mut out = vec![(0, n)];
    let mut k = n / 2;
    while k >= 1 {
        out.extend((0..n).step_by(k).map(|s| (s, (s + k).min(n))));
        k /= 2;
    }
    out
}

fn without(v: &Json, (from, to): (usize, usize)) -> Json {
    let items: &[Json] = v.as_array().map_or(&[], Vec::as_slice);
    Json::Array(
        items[..from.min(items.len())]
            .iter()
            .chain(&items[to.min(items.len())..])
            .cloned()
            .collect(),
    )
}

/// The column counts of the matrices among the arguments.
fn widths(args: &[Json], types: &[Ty]) -> Vec<usize> {
    args.iter()
        .zip(types)
        .filter(|(_, t)| **t == Ty::Array2)
        .filter_map(|(a, _)| a.as_array()?.first().map(len))
        .collect()
}

/// Removes the same rows from every top-level sequence of the same length. An `Array1` as
/// long as a matrix is wide is a point in the matrix's space: it loses items only with the
/// matrix's columns (`drop_columns`).
fn drop_rows(args: &[Json], types: &[Ty], out: &mut Vec<Vec<Json>>) {
    let widths = widths(args, types);
    let row_like =
        |a: &Json, t: &Ty| is_sequence(t) && !(*t == Ty::Array1 && widths.contains(&len(a)));
    let mut lengths: Vec<usize> = args
        .iter()
        .zip(types)
        .filter(|(a, t)| row_like(a, t) && len(a) > 0)
        .map(|(a, _)| len(a))
        .collect();
    lengths.sort_unstable_by(|a, b| b.cmp(a));
    lengths.dedup();
    for n in lengths {
        for span in spans(n) {
            out.push(
                args.iter()
                    .zip(types)
                    .map(|(a, t)| {
                        if row_like(a, t) && len(a) == n {
                            without(a, span)
                        } else {
                            a.clone()
                        }
                    })
                    .collect(),
            );
        }
    }
}

/// Removes the same columns from every matrix with that many columns, and the same items
/// from every `Array1` of that length (a point with one value per column).
fn drop_columns(args: &[Json], types: &[Ty], out: &mut Vec<Vec<Json>>) {
    let mut widths: Vec<usize> = widths(args, types).into_iter().filter(|w| *w > 1).collect();
    widths.sort_unstable_by(|a, b| b.cmp(a));
    widths.dedup();
    for m in widths {
        for span in spans(m).into_iter().skip(1) {
            out.push(
                args.iter()
                    .zip(types)
                    .map(|(a, t)| match t {
                        Ty::Array2 if a.as_array().and_then(|r| r.first()).map(len) == Some(m) => {
                            Json::Array(len_rows(a).map(|r| without(r, span)).collect())
                        }
                        Ty::Array1 if len(a) == m => without(a, span),
                        _ => a.clone(),
                    })
                    .collect(),
            );
        }
    }
}

fn len_rows(v: &Json) -> impl Iterator<Item = &Json> {
    v.as_array().into_iter().flatten()
}

/// Smaller versions of one value: shorter nested lists and smaller leaves. Top-level
/// sequences lose rows in `drop_rows`; here only their items shrink.
fn inner_candidates(v: &Json, ty: &Ty, records: &dyn Records, top: bool, out: &mut Vec<Json>) {
    match (ty, v) {
        (Ty::Vec(item), Json::Array(items)) => {
            if !top {
                out.extend(spans(items.len()).into_iter().map(|s| without(v, s)));
            }
            each_item(
                items,
                |x, o| inner_candidates(x, item, records, false, o),
                out,
            );
        }
        (Ty::Array1, Json::Array(items)) => {
            each_item(
                items,
                |x, o| inner_candidates(x, &Ty::F64, records, false, o),
                out,
            );
        }
        (Ty::Array2, Json::Array(rows)) => {
            each_item(
                rows,
                |x, o| inner_candidates(x, &Ty::Array1, records, false, o),
                out,
            );
        }
        (Ty::Tuple(tys), Json::Array(items)) => {
            for (i, (x, t)) in items.iter().zip(tys).enumerate() {
                let mut smaller = Vec::new();
                inner_candidates(x, t, records, false, &mut smaller);
                out.extend(smaller.into_iter().map(|s| {
                    let mut c = items.clone();
                    c[i] = s;
                    Json::Array(c)
                }));
            }
        }
        (Ty::Option(_), Json::Null) => {}
        (Ty::Option(inner), x) => {
            out.push(Json::Null);
            inner_candidates(x, inner, records, false, out);
        }
        (Ty::Record(name), Json::Object(map)) => {
            let fields = records.fields(name).unwrap_or(&[]);
            for (f, t) in fields {
                let Some(x) = map.get(f) else { continue };
                let mut smaller = Vec::new();
                inner_candidates(x, t, records, false, &mut smaller);
                out.extend(smaller.into_iter().map(|s| {
                    let mut c = map.clone();
                    c.insert(f.clone(), s);
                    Json::Object(c)
                }));
            }
        }
        (Ty::Int(_), Json::Number(n)) => smaller_ints(n, out),
        (Ty::F64, x) => smaller_floats(x, out),
        (Ty::Str, Json::String(s)) if !s.is_empty() => {
            let chars: Vec<char> = s.chars().collect();
            let n = chars.len();
            for (from, to) in [(0, 0), (0, n / 2), (n / 2, n), (1, n), (0, n - 1)] {
                out.push(Json::String(chars[from..to].iter().collect()));
            }
        }
        (Ty::Bool, Json::Bool(true)) => out.push(Json::Bool(false)),
        _ => {}
    }
}

/// Candidates of a list with one item replaced by each of that item's candidates.
fn each_item(items: &[Json], shrink: impl Fn(&Json, &mut Vec<Json>), out: &mut Vec<Json>) {
    for (i, x) in items.iter().enumerate() {
        let mut smaller = Vec::new();
        shrink(x, &mut smaller);
        out.extend(smaller.into_iter().map(|s| {
            let mut c = items.to_vec();
            c[i] = s;
            Json::Array(c)
        }));
    }
}

/// Steps toward zero by halving distances: `x - x/2, x - x/4, ..., x - 1` (as QuickCheck
/// shrinks integers), so a greedy search reaches a threshold in about log² x tries.
fn toward_zero(x: i128) -> Vec<i128> {
    let mut out = vec![0];
    let mut d = x / 2;
    while d != 0 {
        out.push(x - d);
        d /= 2;
    }
    if x != 0 {
        out.push(x - x.signum());
    }
    out
}

fn smaller_ints(n: &Number, out: &mut Vec<Json>) {
    let Some(x) = n.as_i64().map(i128::from).or(n.as_u64().map(i128::from)) else {
        return;
    };
    for t in toward_zero(x) {
        if let Ok(i) = i64::try_from(t) {
            out.push(Json::from(i));
        } else if let Ok(u) = u64::try_from(t) {
            out.push(Json::from(u));
        }
    }
}

fn smaller_floats(v: &Json, out: &mut Vec<Json>) {
    let Some(x) = v.as_f64().or_else(|| value::json_float(v)) else {
        return;
    };
    if !x.is_finite() {
        out.push(Json::from(0.0));
        return;
    }
    if x == 0.0 {
        return;
    }
    let mut tries = vec![0.0, x.trunc(), (x * 10.0).trunc() / 10.0];
    if x.abs() < 1e15 {
        tries.extend(toward_zero(x.trunc() as i128).into_iter().map(|t| t as f64));
    }
    #[expect(
        clippy::float_cmp,
        reason = "a try exactly equal to the value is not smaller"
    )]
    out.extend(
        tries
            .into_iter()
            .filter(|t| *t != x)
            .filter_map(|t| Number::from_f64(t).map(Json::Number)),
    );
}

/// How a shrink ended.
pub struct Shrunk {
    pub args: Vec<Json>,
    /// Smaller failing cases found on the way.
    pub steps: usize,
    /// Candidates tried.
    pub tried: usize,
    /// True when the budget ran out before no candidate failed.
    pub cut_short: bool,
}

/// Greedy shrinking: tries `candidates` of the current case in batches of `batch` (so a
/// caller can run a batch in parallel); `first_failing` names the first in a batch that
/// still fails, and that one becomes the current case. Stops when no candidate fails or
/// after `budget` candidates.
pub fn shrink<E>(
    start: Vec<Json>,
    types: &[Ty],
    records: &dyn Records,
    batch: usize,
    budget: usize,
    mut first_failing: impl FnMut(&[Vec<Json>]) -> Result<Option<usize>, E>,
) -> Result<Shrunk, E> {
    let mut s = Shrunk {
        args: start,
        steps: 0,
        tried: 0,
        cut_short: false,
    };
    'rounds: loop {
        let all = candidates(&s.args, types, records);
        for chunk in all.chunks(batch.max(1)) {
            if s.tried >= budget {
                s.cut_short = true;
                break 'rounds;
            }
            s.tried += chunk.len();
            if let Some(i) = first_failing(chunk)? {
                s.args.clone_from(&chunk[i]);
                s.steps += 1;
                continue 'rounds;
            }
        }
        break;
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::types::IntKind;
    use serde_json::json;

    struct NoRecords;
    impl Records for NoRecords {
        fn fields(&self, _: &str) -> Option<&[(String, Ty)]> {
            None
        }
    }

    fn run(start: Json, types: &[Ty], fails: impl Fn(&[Json]) -> bool) -> Shrunk {
        let Json::Array(start) = start else {
            panic!("the start must be an array")
        };
        assert!(fails(&start), "the start must fail");
        shrink(start, types, &NoRecords, 4, 10_000, |batch| {
            Ok::<_, ()>(batch.iter().position(|c| fails(c)))
        })
        .unwrap()
    }

    fn vec_i64() -> Ty {
        Ty::Vec(Box::new(Ty::Int(IntKind::I64)))
    }

    #[test]
    fn a_list_shrinks_to_the_one_item_that_matters() {
        // Fails whenever some item is negative: the smallest such case is [-1].
        let s = run(json!([[5, 12, -7, 3, 9, 40, 2]]), &[vec_i64()], |a| {
            a[0].as_array()
                .unwrap()
                .iter()
                .any(|x| x.as_i64().unwrap() < 0)
        });
        assert_eq!(s.args, vec![json!([-1])]);
        assert!(!s.cut_short);
    }

    #[test]
    fn columns_of_one_table_lose_rows_together() {
        // Fails when some row has label 1 and x > 10; data and labels must stay aligned.
        let types = [Ty::Array2, vec_i64()];
        let fails = |a: &[Json]| {
            let (rows, labels) = (a[0].as_array().unwrap(), a[1].as_array().unwrap());
            assert_eq!(rows.len(), labels.len(), "rows and labels came apart");
            rows.iter()
                .zip(labels)
                .any(|(r, l)| l == 1 && r[0].as_f64().unwrap() > 10.0)
        };
        let s = run(
            json!([
                [[1.5, 2.0], [30.25, 4.0], [7.0, 8.0], [44.0, 1.0]],
                [0, 1, 1, 0]
            ]),
            &types,
            fails,
        );
        assert_eq!(s.args, vec![json!([[11.0]]), json!([1])]);
    }

    #[test]
    fn numbers_shrink_toward_zero_and_lose_digits() {
        let types = [Ty::F64, Ty::Int(IntKind::Usize)];
        let s = run(json!([3.25781, 17]), &types, |a| {
            a[0].as_f64().unwrap() > 3.0 && a[1].as_u64().unwrap() >= 5
        });
        assert_eq!(s.args, vec![json!(3.2), json!(5)]);
    }

    #[test]
    fn options_become_none_and_strings_shorter() {
        let types = [Ty::Vec(Box::new(Ty::Option(Box::new(Ty::Str))))];
        let s = run(json!([["alpha", null, "beta"]]), &types, |a| {
            a[0].as_array()
                .unwrap()
                .iter()
                .any(|x| x.as_str().is_some_and(|s| s.contains('a')))
        });
        assert_eq!(s.args, vec![json!(["a"])]);
    }

    #[test]
    fn every_candidate_is_smaller() {
        let args = vec![json!([[1.0, 2.0], [3.0, 4.0]]), json!([1.0, 2.0]), json!(7)];
        let types = [Ty::Array2, Ty::Array1, Ty::Int(IntKind::I32)];
        let here = measure(&args);
        let all = candidates(&args, &types, &NoRecords);
        assert!(!all.is_empty());
        assert!(all.iter().all(|c| measure(c) < here));
        // The matrix's columns and the point's items go together, and the point never
        // loses items alone.
        assert!(all.contains(&vec![json!([[1.0], [3.0]]), json!([1.0]), json!(7)]));
        assert!(all
            .iter()
            .filter(|c| len(&c[0]) > 0)
            .all(|c| len(&c[1]) == len(&c[0][0])));
    }

    #[test]
    fn the_budget_bounds_the_work() {
        let start = vec![json!((0..64).collect::<Vec<i64>>())];
        let s = shrink(start, &[vec_i64()], &NoRecords, 4, 8, |_| Ok::<_, ()>(None)).unwrap();
        assert!(s.cut_short);
        assert_eq!(s.tried, 8);
    }
}
