//! The Kattis format's default grader: a test group's verdict and score from its items'
//! (cases and subgroups, in order), as `testdata.yaml` sets it: `on_reject` (break: items
//! after a rejected one do not count), the verdict mode (worst_error, first_error,
//! always_accept, accept_if_any_accepted) and the score mode (sum, avg, min, max), a case
//! scoring its group's `accept_score` or `reject_score` (or its validator's `score.txt`).
//!
//! Invariant: pure.

use std::collections::HashMap;

use crate::problem::package::{Grading, Item, ScoreMode, TestGroup, VerdictMode};
use crate::report::Verdict;

/// A judged case: its verdict, and the score its validator gave (`score.txt`), if any.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CaseResult {
    pub verdict: Verdict,
    pub validator_score: Option<f64>,
}

/// A group's result.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Graded {
    pub verdict: Verdict,
    pub score: f64,
}

/// The order `worst_error` picks from: the first of these that occurs.
const WORST_FIRST: [Verdict; 6] = [
    Verdict::JE,
    Verdict::RE,
    Verdict::MLE,
    Verdict::TLE,
    Verdict::OLE,
    Verdict::WA,
];

/// `group`'s result from the cases judged (`results`, by case name); `None` when none of
/// its items was judged. Items after a rejected one are left out under `on_reject: break`.
#[expect(
    clippy::implicit_hasher,
    reason = "results are keyed by case name in one std HashMap everywhere"
)]
pub fn grade_group(group: &TestGroup, results: &HashMap<String, CaseResult>) -> Option<Graded> {
    let g = &group.grading;
    let mut items = Vec::new();
    for item in &group.items {
        let graded = match item {
            Item::Case(case) => results.get(&case.name).map(|r| Graded {
                verdict: r.verdict,
                score: case_score(g, r),
            }),
            Item::Group(sub) => grade_group(sub, results),
        };
        let Some(graded) = graded else { continue };
        items.push(graded);
        if g.on_reject_break && graded.verdict != Verdict::AC {
            break;
        }
    }
    (!items.is_empty()).then(|| aggregate(g, &items))
}

/// What a case scores in a group graded by `g`.
fn case_score(g: &Grading, r: &CaseResult) -> f64 {
    if r.verdict == Verdict::AC {
        r.validator_score.unwrap_or(g.accept_score)
    } else {
        g.reject_score
    }
}

/// The default grader over items already judged.
pub fn aggregate(g: &Grading, items: &[Graded]) -> Graded {
    let all_accepted = items.iter().all(|i| i.verdict == Verdict::AC);
    let any_accepted = items.iter().any(|i| i.verdict == Verdict::AC);
    let verdict = if g.verdict_mode == VerdictMode::AlwaysAccept
        || all_accepted
        || (g.accept_if_any_accepted && any_accepted)
    {
        Verdict::AC
    } else if g.verdict_mode == VerdictMode::FirstError {
        items
            .iter()
            .map(|i| i.verdict)
            .find(|v| *v != Verdict::AC)
            .unwrap_or(Verdict::AC)
    } else {
        WORST_FIRST
            .into_iter()
            .find(|w| items.iter().any(|i| i.verdict == *w))
            .unwrap_or(Verdict::WA)
    };
    let scores = items.iter().map(|i| i.score);
    let score = match g.score_mode {
        ScoreMode::Sum => scores.sum(),
        ScoreMode::Avg => scores.sum::<f64>() / items.len().max(1) as f64,
        ScoreMode::Min => scores.fold(f64::INFINITY, f64::min),
        ScoreMode::Max => scores.fold(f64::NEG_INFINITY, f64::max),
    };
    let score = if score.is_finite() { score } else { 0.0 };
    Graded {
        verdict,
        score: score.clamp(g.range.0, g.range.1),
    }
}

/// The score `group` gives when every case is accepted with its group's `accept_score`:
/// the most a submission can get without a validator's own scores.
pub fn max_score(group: &TestGroup) -> f64 {
    if group.grading.range.1.is_finite() {
        return group.grading.range.1;
    }
    let all: HashMap<String, CaseResult> = group
        .cases()
        .into_iter()
        .map(|c| {
            (
                c.name.clone(),
                CaseResult {
                    verdict: Verdict::AC,
                    validator_score: None,
                },
            )
        })
        .collect();
    grade_group(group, &all).map_or(0.0, |g| g.score)
}

/// The whole judging's verdict: the root grades the sample and secret groups (the sample
/// ignored under `ignore_sample`). Samples never score: the score is the secret group's.
pub fn overall(root: &Grading, sample: Option<Graded>, secret: Option<Graded>) -> Graded {
    let items: Vec<Graded> = if root.ignore_sample {
        secret.into_iter().collect()
    } else {
        sample.into_iter().chain(secret).collect()
    };
    let verdict = if items.is_empty() {
        Verdict::AC
    } else {
        let mut g = root.clone();
        // Under `break`, a sample that failed is the result.
        g.score_mode = ScoreMode::Sum;
        let items = match items.iter().position(|i| i.verdict != Verdict::AC) {
            Some(i) if g.on_reject_break => &items[..=i],
            _ => &items[..],
        };
        aggregate(&g, items).verdict
    };
    Graded {
        verdict,
        score: secret.map_or(0.0, |s| s.score),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::package::TestCase;
    use std::path::PathBuf;

    fn case(name: &str) -> Item {
        Item::Case(TestCase {
            name: name.into(),
            input: PathBuf::new(),
            answer: PathBuf::new(),
        })
    }

    fn group(name: &str, grading: Grading, items: Vec<Item>) -> TestGroup {
        TestGroup {
            name: name.into(),
            grading,
            items,
        }
    }

    fn results(pairs: &[(&str, Verdict)]) -> HashMap<String, CaseResult> {
        pairs
            .iter()
            .map(|(n, v)| {
                (
                    (*n).to_string(),
                    CaseResult {
                        verdict: *v,
                        validator_score: None,
                    },
                )
            })
            .collect()
    }

    /// IOI-style: two subtasks of 30 and 70, all or nothing, summed and always accepted.
    fn subtasks() -> TestGroup {
        let subtask = |points: f64| Grading {
            score_mode: ScoreMode::Min,
            accept_score: points,
            ..Grading::default()
        };
        let secret = Grading {
            verdict_mode: VerdictMode::AlwaysAccept,
            on_reject_break: false,
            ..Grading::default()
        };
        group(
            "secret",
            secret,
            vec![
                Item::Group(group(
                    "secret/a",
                    subtask(30.0),
                    vec![case("a1"), case("a2")],
                )),
                Item::Group(group("secret/b", subtask(70.0), vec![case("b1")])),
            ],
        )
    }

    #[test]
    fn subtasks_score_all_or_nothing() {
        let g = subtasks();
        assert!((max_score(&g) - 100.0).abs() < 1e-9);
        let r = results(&[
            ("a1", Verdict::AC),
            ("a2", Verdict::AC),
            ("b1", Verdict::WA),
        ]);
        let graded = grade_group(&g, &r).unwrap();
        assert_eq!(graded.verdict, Verdict::AC, "always_accept");
        assert!((graded.score - 30.0).abs() < 1e-9);
        let r = results(&[
            ("a1", Verdict::TLE),
            ("a2", Verdict::AC),
            ("b1", Verdict::AC),
        ]);
        let graded = grade_group(&g, &r).unwrap();
        assert!((graded.score - 70.0).abs() < 1e-9, "{graded:?}");
    }

    #[test]
    fn break_stops_at_the_first_rejection_and_worst_error_picks_by_rank() {
        let g = group(
            "secret",
            Grading::default(),
            vec![case("1"), case("2"), case("3")],
        );
        let r = results(&[("1", Verdict::WA), ("2", Verdict::RE), ("3", Verdict::AC)]);
        assert_eq!(
            grade_group(&g, &r).unwrap().verdict,
            Verdict::WA,
            "break: 2 never counts"
        );
        let cont = Grading {
            on_reject_break: false,
            ..Grading::default()
        };
        let g = group(
            "secret",
            cont.clone(),
            vec![case("1"), case("2"), case("3")],
        );
        assert_eq!(
            grade_group(&g, &r).unwrap().verdict,
            Verdict::RE,
            "RE ranks above WA"
        );
        let first = Grading {
            verdict_mode: VerdictMode::FirstError,
            ..cont
        };
        let g = group("secret", first, vec![case("1"), case("2"), case("3")]);
        assert_eq!(grade_group(&g, &r).unwrap().verdict, Verdict::WA);
    }

    #[test]
    fn score_modes_and_accept_if_any() {
        let items = [
            Graded {
                verdict: Verdict::AC,
                score: 2.0,
            },
            Graded {
                verdict: Verdict::WA,
                score: 0.0,
            },
            Graded {
                verdict: Verdict::AC,
                score: 4.0,
            },
        ];
        let with = |score_mode| Grading {
            score_mode,
            ..Grading::default()
        };
        assert!((aggregate(&with(ScoreMode::Sum), &items).score - 6.0).abs() < 1e-9);
        assert!((aggregate(&with(ScoreMode::Avg), &items).score - 2.0).abs() < 1e-9);
        assert!((aggregate(&with(ScoreMode::Min), &items).score).abs() < 1e-9);
        assert!((aggregate(&with(ScoreMode::Max), &items).score - 4.0).abs() < 1e-9);
        assert_eq!(
            aggregate(&with(ScoreMode::Sum), &items).verdict,
            Verdict::WA
        );
        let any = Grading {
            accept_if_any_accepted: true,
            ..Grading::default()
        };
        assert_eq!(aggregate(&any, &items).verdict, Verdict::AC);
    }

    #[test]
    fn a_range_bounds_the_score_and_gives_the_maximum() {
        let g = group(
            "secret",
            Grading {
                range: (0.0, 5.0),
                ..Grading::default()
            },
            vec![case("1")],
        );
        let mut r = results(&[("1", Verdict::AC)]);
        r.get_mut("1").unwrap().validator_score = Some(9.0);
        assert!((grade_group(&g, &r).unwrap().score - 5.0).abs() < 1e-9);
        assert!((max_score(&g) - 5.0).abs() < 1e-9);
    }

    #[test]
    fn a_validator_score_replaces_the_accept_score() {
        let g = group("secret", Grading::default(), vec![case("1")]);
        let mut r = results(&[("1", Verdict::AC)]);
        r.get_mut("1").unwrap().validator_score = Some(0.25);
        assert!((grade_group(&g, &r).unwrap().score - 0.25).abs() < 1e-9);
        assert!(grade_group(&g, &HashMap::new()).is_none());
    }

    #[test]
    fn samples_decide_the_verdict_unless_ignored_and_never_score() {
        let ac = Graded {
            verdict: Verdict::AC,
            score: 5.0,
        };
        let wa = Graded {
            verdict: Verdict::WA,
            score: 1.0,
        };
        let root = Grading::default();
        let o = overall(&root, Some(wa), Some(ac));
        assert_eq!(o.verdict, Verdict::WA);
        assert!((o.score - 5.0).abs() < 1e-9);
        let ignore = Grading {
            ignore_sample: true,
            ..Grading::default()
        };
        assert_eq!(overall(&ignore, Some(wa), Some(ac)).verdict, Verdict::AC);
    }
}
