//! The streamed readings against the tree ones they stand in for: the same shape verdict
//! and count as `value::check_json`, the same first difference as `checker::compare` (but
//! for `Order`), and a prefix that renders as the whole answer does, as far as it is shown.

use proptest::prelude::*;
use serde_json::{json, Value as Json};

use super::*;
use crate::problem::spec::{Checker, CheckerKind};
use crate::problem::value::proptests::{json, ty, Rec};

fn text(v: &Json) -> Vec<u8> {
    serde_json::to_vec(v).unwrap()
}

fn checker(kind: CheckerKind) -> Checker {
    Checker {
        kind,
        abs_tol: 1e-6,
        rel_tol: 1e-6,
    }
}

fn kinds() -> impl Strategy<Value = Checker> {
    prop::sample::select(vec![
        CheckerKind::Exact,
        CheckerKind::Float,
        CheckerKind::Custom,
    ])
    .prop_map(checker)
}

/// `v` with one value somewhere changed, added or removed: answers near the expected one.
fn near(v: Json, at: usize, with: &Json) -> Json {
    fn go(v: Json, at: &mut usize, with: &Json) -> Json {
        if *at == 0 {
            *at = usize::MAX;
            return with.clone();
        }
        *at -= 1;
        match v {
            Json::Array(items) => {
                let mut items: Vec<Json> = items.into_iter().map(|i| go(i, at, with)).collect();
                if *at == 0 {
                    items.push(with.clone());
                } else if *at == 1 {
                    items.pop();
                }
                Json::Array(items)
            }
            Json::Object(map) => {
                Json::Object(map.into_iter().map(|(k, i)| (k, go(i, at, with))).collect())
            }
            other => other,
        }
    }
    go(v, &mut { at }, with)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_shape_is_the_trees(v in json(), ty in ty()) {
        let tree = value::check_json(&v, &ty, &Rec);
        let streamed = shape(&text(&v), &ty, &Rec);
        prop_assert_eq!(tree.is_ok(), streamed.is_ok(), "{} as {}: {:?} / {:?}", v, ty, tree, streamed);
        match streamed {
            Ok(count) => prop_assert_eq!(count, values(&v)),
            Err(why) => prop_assert!(why.is_some(), "valid JSON is never unreadable"),
        }
    }

    #[test]
    fn the_first_difference_is_the_trees(
        e in json(),
        a in json(),
        at in 0usize..40,
        with in json(),
        c in kinds(),
    ) {
        for actual in [a, near(e.clone(), at, &with), e.clone()] {
            let tree = checker::compare(&e, &actual, &c);
            if tree.as_ref().is_err_and(|m| m.kind == MismatchKind::Order) {
                continue;
            }
            prop_assert_eq!(compare(&e, &text(&actual), &c), tree, "{} against {}", actual, e);
        }
    }

    #[test]
    fn an_unordered_answer_with_more_values_is_told_wrong(
        e in prop::collection::vec(json(), 0..6),
        a in prop::collection::vec(json(), 0..8),
    ) {
        let (e, a) = (Json::Array(e), Json::Array(a));
        let c = checker(CheckerKind::Unordered);
        // (A tree comparison passes over fields a table of the answer has beyond the
        // expected ones: answers of the return type never have them.)
        if let (true, Err(tree)) = (values(&a) > values(&e), checker::compare(&e, &a, &c)) {
            let streamed = compare(&e, &text(&a), &c).unwrap_err();
            if matches!(tree.kind, MismatchKind::Length { .. }) {
                prop_assert_eq!(streamed, tree);
            }
        }
    }

    #[test]
    fn a_prefix_renders_as_the_whole_as_far_as_shown(v in json(), bytes in 8usize..60) {
        let kept = prefix(&text(&v), 2 * bytes + 80);
        prop_assert_eq!(
            value::render_limited(&kept, bytes),
            value::render_limited(&v, bytes),
            "{}", v
        );
        prop_assert!(values(&kept) <= 2 * bytes as u64 + 80);
    }
}

#[test]
fn millions_of_values_are_read_without_a_tree() {
    let answer = format!("[{}0]", "0,".repeat(2_000_000));
    let ty = Ty::Vec(Box::new(Ty::Int(crate::problem::types::IntKind::I64)));
    assert_eq!(shape(answer.as_bytes(), &ty, &Rec), Ok(2_000_002));
    let m = compare(
        &json!([0, 0, 0]),
        answer.as_bytes(),
        &checker(CheckerKind::Exact),
    )
    .unwrap_err();
    assert_eq!(m.detail, "expected 3 elements, found 2000001");
    assert_eq!(
        m.kind,
        MismatchKind::Length {
            found: 2_000_001,
            more: true
        }
    );
    let kept = prefix(answer.as_bytes(), 100);
    assert_eq!(values(&kept), 100);
}

#[test]
fn a_difference_inside_a_long_answer_is_named_by_its_place() {
    let expected = json!([[1.0, 2.0], [3.0, 4.0]]);
    let answer = br"[[1.0, 2.0], [3.5, 4.0, 5.0, 6.0]]";
    let m = compare(&expected, answer, &checker(CheckerKind::Float)).unwrap_err();
    assert_eq!(
        (m.path.as_str(), m.detail.as_str()),
        ("[1]", "expected 2 elements, found 4")
    );
    let answer = br"[[1.0, 2.5], [3.0, 4.0, 5.0]]";
    let m = compare(&expected, answer, &checker(CheckerKind::Float)).unwrap_err();
    assert_eq!(
        (m.path.as_str(), m.detail.as_str()),
        ("[0][1]", "expected 2.0, found 2.5")
    );
}

#[test]
fn shape_errors_say_what_does_not_fit() {
    let shape = |text: &[u8], ty: &Ty, records: &Rec| {
        super::shape(text, ty, records).map_err(|why| why.map(|w| w.to_string()))
    };
    let ty = Ty::Vec(Box::new(Ty::Int(crate::problem::types::IntKind::U8)));
    assert_eq!(
        super::shape(b"[1, 2, 300]", &ty, &Rec),
        Err(Some(ShapeError::NotA {
            found: "300".into(),
            expected: Ty::Int(crate::problem::types::IntKind::U8)
        }))
    );
    assert_eq!(
        shape(b"[1, 2, 300]", &ty, &Rec),
        Err(Some("300 is not a u8".to_string()))
    );
    assert_eq!(
        shape(b"[1, [2]]", &ty, &Rec),
        Err(Some("a list is not a u8".to_string()))
    );
    assert_eq!(shape(b"[1, 2", &ty, &Rec), Err(None));
    assert_eq!(shape(b"[1] [2]", &ty, &Rec), Err(None));
    let rec = Ty::Record("Rec".into());
    assert_eq!(
        shape(br#"{"a": 1, "a": 2, "b": []}"#, &rec, &Rec),
        Err(Some("Rec has field a twice".to_string()))
    );
    assert_eq!(
        shape(br#"{"a": 1}"#, &rec, &Rec),
        Err(Some("Rec is missing field b".to_string()))
    );
}
