//! A submission's result on a Kattis package from its cases', in either of the format's
//! models. The legacy default grader: a test group's verdict and score from its items'
//! (cases and subgroups, in order), as `testdata.yaml` sets it: `on_reject` (break: items
//! after a rejected one do not count), the verdict mode (worst_error, first_error,
//! always_accept, accept_if_any_accepted) and the score mode (sum, avg, min, max), a case
//! scoring its group's `accept_score` or `reject_score` (or its validator's `score.txt`).
//! 2023-07 and 2025-09's result aggregation: `score_aggregation` pass-fail, sum or min
//! over `max_score`, a case's share of it (or its validator's `score.txt`, or
//! `score_multiplier.txt` times its share), `require_pass`; a scoring problem's
//! submission gets its score, accepted when it scores.
//!
//! Invariant: pure.

use std::collections::HashMap;

use crate::problem::package::{
    Aggregation, Grading, Item, Model, ScoreMode, TestGroup, VerdictMode,
};
use crate::report::Verdict;

/// A judged case: its verdict, and the score its validator gave (`score.txt`), if any.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CaseResult {
    pub verdict: Verdict,
    pub validator_score: Option<f64>,
    /// `score_multiplier.txt` (2023-07 and later): the share of the case's maximum.
    pub score_multiplier: Option<f64>,
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
    grade_group_with(group, results, &mut |g, items| aggregate(&g.grading, items))
}

/// Grouping by the legacy graders, with `grader` aggregating each group's items (the
/// default grader, or a package's own for `grading: custom`).
#[expect(
    clippy::implicit_hasher,
    reason = "results are keyed by case name in one std HashMap everywhere"
)]
pub fn grade_group_with(
    group: &TestGroup,
    results: &HashMap<String, CaseResult>,
    grader: &mut dyn FnMut(&TestGroup, &[Graded]) -> Graded,
) -> Option<Graded> {
    if group.grading.model == Model::Aggregation {
        return aggregated(group, results);
    }
    let g = &group.grading;
    let mut items = Vec::new();
    for item in &group.items {
        let graded = match item {
            Item::Case(case) => results.get(&case.name).map(|r| Graded {
                verdict: r.verdict,
                score: case_score(g, r),
            }),
            Item::Group(sub) => grade_group_with(sub, results, grader),
        };
        let Some(graded) = graded else { continue };
        items.push(graded);
        if g.on_reject_break && graded.verdict != Verdict::AC {
            break;
        }
    }
    (!items.is_empty()).then(|| grader(group, &items))
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
/// the most a submission can get without a validator's own scores (under the aggregation
/// model, its `max_score`; 0 when unbounded).
pub fn max_score(group: &TestGroup) -> f64 {
    if group.grading.model == Model::Aggregation {
        return group.grading.max_score.unwrap_or(0.0);
    }
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
                    score_multiplier: None,
                },
            )
        })
        .collect();
    grade_group(group, &all).map_or(0.0, |g| g.score)
}

/// The most a case of `group` can score under the aggregation model: the group's maximum
/// under `min`, its share under `sum`; `None` when unbounded (its validator's `score.txt`
/// is then its score) or when the group is pass-fail (cases do not score).
pub fn case_max(group: &TestGroup) -> Option<f64> {
    let g = &group.grading;
    let cases = group
        .items
        .iter()
        .filter(|i| matches!(i, Item::Case(_)))
        .count()
        .max(1);
    match g.aggregation {
        Aggregation::PassFail => None,
        Aggregation::Min => g.max_score,
        Aggregation::Sum => g.max_score.map(|m| m / cases as f64),
    }
}

/// The aggregation model's group: its items' verdicts (the first failure, a judge error
/// before all) and its score.
fn aggregated(group: &TestGroup, results: &HashMap<String, CaseResult>) -> Option<Graded> {
    let g = &group.grading;
    let case_max = case_max(group);
    let mut items = Vec::new();
    for item in &group.items {
        let graded = match item {
            Item::Case(case) => results.get(&case.name).map(|r| Graded {
                verdict: r.verdict,
                score: match (r.verdict, case_max) {
                    (Verdict::AC, Some(max)) => r
                        .validator_score
                        .or(r.score_multiplier.map(|m| m * max))
                        .unwrap_or(max),
                    (Verdict::AC, None) => r.validator_score.unwrap_or(0.0),
                    _ => 0.0,
                },
            }),
            Item::Group(sub) => aggregated(sub, results),
        };
        items.extend(graded);
    }
    if items.is_empty() {
        return None;
    }
    let verdict = first_failure(items.iter().map(|i| i.verdict));
    let score = match g.aggregation {
        Aggregation::PassFail if verdict == Verdict::AC => g.max_score.unwrap_or(0.0),
        Aggregation::PassFail => 0.0,
        Aggregation::Sum => items.iter().map(|i| i.score).sum(),
        Aggregation::Min => items.iter().map(|i| i.score).fold(f64::INFINITY, f64::min),
    };
    // A group whose required groups were not all accepted scores nothing.
    let blocked = g
        .require_pass
        .iter()
        .map(|name| passed(name, results))
        .find(|v| *v != Verdict::AC);
    Some(match blocked {
        Some(why) => Graded {
            verdict: if verdict == Verdict::AC { why } else { verdict },
            score: 0.0,
        },
        None => Graded {
            verdict,
            score: if score.is_finite() { score } else { 0.0 },
        },
    })
}

/// AC when every item is; else a judge error if any, else the first failure.
fn first_failure(verdicts: impl Iterator<Item = Verdict> + Clone) -> Verdict {
    if verdicts.clone().any(|v| v == Verdict::JE) {
        return Verdict::JE;
    }
    verdicts
        .into_iter()
        .find(|v| *v != Verdict::AC)
        .unwrap_or(Verdict::AC)
}

/// Whether every case of the group named `name` (under `data/`) was accepted: AC, else
/// its first failure's verdict (WA when none of its cases was judged).
fn passed(name: &str, results: &HashMap<String, CaseResult>) -> Verdict {
    let prefix = format!("{name}/");
    let mut mine: Vec<(&String, &CaseResult)> = results
        .iter()
        .filter(|(case, _)| case.starts_with(&prefix))
        .collect();
    if mine.is_empty() {
        return Verdict::WA;
    }
    mine.sort_by(|a, b| a.0.cmp(b.0));
    first_failure(mine.iter().map(|(_, r)| r.verdict))
}

/// A legacy grader's input: one `VERDICT score` line per item.
pub fn grader_input(items: &[Graded]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for i in items {
        let code = match i.verdict {
            Verdict::RE => "RTE",
            other => other.code(),
        };
        let _ = writeln!(out, "{code} {}", i.score);
    }
    out
}

/// A legacy grader's output, `VERDICT score` alone; `None` when it is not that.
pub fn grader_output(text: &str) -> Option<Graded> {
    let mut words = text.split_whitespace();
    let (verdict, score, rest) = (words.next()?, words.next()?, words.next());
    if rest.is_some() {
        return None;
    }
    let verdict = match verdict {
        "AC" => Verdict::AC,
        "WA" => Verdict::WA,
        "TLE" => Verdict::TLE,
        "RTE" => Verdict::RE,
        "MLE" => Verdict::MLE,
        "OLE" => Verdict::OLE,
        "JE" => Verdict::JE,
        _ => return None,
    };
    let score: f64 = score.parse().ok().filter(|s: &f64| s.is_finite())?;
    Some(Graded { verdict, score })
}

/// The whole judging's verdict and score under either model. Samples never score: the
/// score is the secret group's. The legacy graders' root grades the sample and secret
/// groups (the sample ignored under `ignore_sample`); under the aggregation model a
/// pass-fail problem is accepted when every case is, and a scoring problem's submission
/// is accepted when it scores (or every case is accepted), a judge error before all.
pub fn overall(
    root: &Grading,
    scoring: bool,
    sample: Option<Graded>,
    secret: Option<Graded>,
) -> Graded {
    if root.model == Model::Aggregation {
        let verdicts = sample.iter().chain(secret.iter()).map(|g| g.verdict);
        let failure = first_failure(verdicts);
        let score = secret.map_or(0.0, |s| s.score);
        let verdict = if scoring && failure != Verdict::JE && score > 0.0 {
            Verdict::AC
        } else {
            failure
        };
        return Graded { verdict, score };
    }
    legacy_overall(root, sample, secret)
}

fn legacy_overall(root: &Grading, sample: Option<Graded>, secret: Option<Graded>) -> Graded {
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
            settings: None,
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
                        score_multiplier: None,
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
        let o = overall(&root, false, Some(wa), Some(ac));
        assert_eq!(o.verdict, Verdict::WA);
        assert!((o.score - 5.0).abs() < 1e-9);
        let ignore = Grading {
            ignore_sample: true,
            ..Grading::default()
        };
        assert_eq!(
            overall(&ignore, false, Some(wa), Some(ac)).verdict,
            Verdict::AC
        );
    }

    /// The misjudge of issue 29: a 2023-07 scoring problem's subtasks (`scoring: {score,
    /// aggregation: min}`) were graded by the legacy grader's defaults (break, worst
    /// error), so a submission solving the first subtask only was WA instead of
    /// accepted with its 30 points.
    #[test]
    fn a_partial_score_on_a_2023_07_scoring_problem_is_accepted_with_its_score() {
        let dir = tempfile::tempdir().unwrap();
        let subtask = "scoring:\n  score: {}\n  aggregation: min\n";
        for (path, text) in [
            (
                "problem.yaml",
                "problem_format_version: 2023-07-draft\nname: X\ntype: scoring\n".to_string(),
            ),
            ("data/sample/1.in", String::new()),
            ("data/sample/1.ans", String::new()),
            (
                "data/secret/test_group.yaml",
                "scoring:\n  aggregation: sum\n".into(),
            ),
            (
                "data/secret/subtask1/test_group.yaml",
                subtask.replace("{}", "30"),
            ),
            (
                "data/secret/subtask2/test_group.yaml",
                subtask.replace("{}", "70"),
            ),
            ("data/secret/subtask1/1.in", String::new()),
            ("data/secret/subtask1/1.ans", String::new()),
            ("data/secret/subtask1/2.in", String::new()),
            ("data/secret/subtask1/2.ans", String::new()),
            ("data/secret/subtask2/1.in", String::new()),
            ("data/secret/subtask2/1.ans", String::new()),
            ("data/secret/subtask2/2.in", String::new()),
            ("data/secret/subtask2/2.ans", String::new()),
        ] {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let package = crate::problem::package::load(dir.path()).unwrap();
        let judge = |pairs: &[(&str, Verdict)]| {
            let r = results(pairs);
            let sample = grade_group(&package.samples, &r);
            let secret = grade_group(&package.secret, &r);
            overall(&package.root_grading, true, sample, secret)
        };
        let partial = judge(&[
            ("sample/1", Verdict::AC),
            ("secret/subtask1/1", Verdict::AC),
            ("secret/subtask1/2", Verdict::AC),
            ("secret/subtask2/1", Verdict::WA),
            ("secret/subtask2/2", Verdict::AC),
        ]);
        assert_eq!(partial.verdict, Verdict::AC, "{partial:?}");
        assert!((partial.score - 30.0).abs() < 1e-9, "{partial:?}");
        assert!((max_score(&package.secret) - 100.0).abs() < 1e-9);
        let nothing = judge(&[
            ("sample/1", Verdict::AC),
            ("secret/subtask1/1", Verdict::TLE),
            ("secret/subtask1/2", Verdict::AC),
            ("secret/subtask2/1", Verdict::WA),
            ("secret/subtask2/2", Verdict::AC),
        ]);
        assert_eq!(
            nothing.verdict,
            Verdict::TLE,
            "no points: the first failure"
        );
        assert!(nothing.score.abs() < 1e-9);
        let broken = judge(&[
            ("sample/1", Verdict::AC),
            ("secret/subtask1/1", Verdict::AC),
            ("secret/subtask1/2", Verdict::AC),
            ("secret/subtask2/1", Verdict::JE),
            ("secret/subtask2/2", Verdict::AC),
        ]);
        assert_eq!(
            broken.verdict,
            Verdict::JE,
            "a judge error is never a score"
        );
    }

    #[test]
    fn sum_groups_share_their_maximum_and_require_pass_blocks() {
        let aggregation = |aggregation, max: Option<f64>, require: &[&str]| Grading {
            model: Model::Aggregation,
            aggregation,
            max_score: max,
            require_pass: require.iter().map(|s| (*s).to_string()).collect(),
            ..Grading::default()
        };
        let tree = group(
            "secret",
            aggregation(Aggregation::Sum, Some(100.0), &[]),
            vec![
                Item::Group(group(
                    "secret/a",
                    aggregation(Aggregation::Sum, Some(40.0), &[]),
                    vec![case("secret/a/1"), case("secret/a/2")],
                )),
                Item::Group(group(
                    "secret/b",
                    aggregation(Aggregation::PassFail, Some(60.0), &["secret/a"]),
                    vec![case("secret/b/1")],
                )),
            ],
        );
        let mut r = results(&[
            ("secret/a/1", Verdict::AC),
            ("secret/a/2", Verdict::WA),
            ("secret/b/1", Verdict::AC),
        ]);
        let graded = grade_group(&tree, &r).unwrap();
        assert!(
            (graded.score - 20.0).abs() < 1e-9,
            "b needs a passed: {graded:?}"
        );
        r.get_mut("secret/a/2").unwrap().verdict = Verdict::AC;
        r.get_mut("secret/a/1").unwrap().score_multiplier = Some(0.5);
        let graded = grade_group(&tree, &r).unwrap();
        assert!((graded.score - 90.0).abs() < 1e-9, "{graded:?}");
        assert_eq!(case_max(tree.groups()[1]), Some(20.0));
    }

    #[test]
    fn a_custom_graders_lines_are_read_strictly() {
        let items = [
            Graded {
                verdict: Verdict::AC,
                score: 2.0,
            },
            Graded {
                verdict: Verdict::RE,
                score: 0.0,
            },
        ];
        assert_eq!(grader_input(&items), "AC 2\nRTE 0\n");
        assert_eq!(
            grader_output("RTE 1.5\n"),
            Some(Graded {
                verdict: Verdict::RE,
                score: 1.5
            })
        );
        assert_eq!(grader_output("AC"), None);
        assert_eq!(grader_output("AC 1 extra"), None);
        assert_eq!(grader_output("OK 1"), None);
        assert_eq!(grader_output("AC nan"), None);
    }
}
