//! `judge show` as a candidate reads it before submitting: the statement, the signature, the
//! scoring (each group's points and the rule, the limits, the checker's tolerance in words)
//! and the samples, with how values are written and, for a problem with many right answers,
//! which answer a sample shows.
//!
//! Snapshots are of small problems written here (not the bank's, which its authors change).
//! Every sample stores its answer, so nothing is compiled and nothing needs redacting.

use std::path::Path;

use crate::judge;

/// A float checker with a tolerance of its own, records, an `Option`, a tuple answer, and
/// three groups.
const FLOAT_PROBLEM: &str = r#"title = "Total and shares"
difficulty = "medium"
tags = ["arithmetic"]
signature = "fn total_and_shares(items: Vec<Item>, label: Option<String>) -> (f64, Vec<f64>)"
statement = "Return the total of the prices and each price's share of it."

[records.Item]
name = "String"
price = "f64"

[limits]
time_ms = 1500
memory_mb = 128
output_kb = 64

[checker]
kind = "float"
abs_tol = 1e-9
rel_tol = 0.001

[[sample]]
items = [{ name = "a", price = 1.0 }, { name = "b", price = 3.0 }]
label = "None"
expected = [4.0, [0.25, 0.75]]

[[sample]]
items = [{ name = "c", price = 2.0 }]
label = "shop"
expected = [2.0, [1.0]]
"#;

const FLOAT_TESTS: &str = r#"[[group]]
name = "basic"
points = 30

[[group.case]]
items = [{ name = "a", price = 5.0 }]
label = "None"

[[group.case]]
items = [{ name = "a", price = 1.0 }, { name = "b", price = 1.0 }]
label = "x"

[[group]]
name = "edge"
points = 50

[[group.case]]
items = [{ name = "z", price = 0.5 }]
label = "None"

[[group]]
name = "large"
points = 20

[[group.case]]
items = [{ name = "a", price = 9.0 }, { name = "b", price = 1.0 }]
label = "None"
"#;

/// Many right answers: a custom checker, an exact `u64` past i64::MAX in a sample.
const CUSTOM_PROBLEM: &str = r#"title = "Any two"
difficulty = "easy"
signature = "fn any_two(xs: Vec<i64>, seed: u64) -> Vec<i64>"
statement = "Return any two of the elements."

[checker]
kind = "custom"

[[sample]]
xs = [1, 2, 3]
seed = "18446744073709551615"
expected = [1, 2]
"#;

const CUSTOM_TESTS: &str = r#"[[group]]
name = "all"
points = 100

[[group.case]]
xs = [4, 5, 6]
seed = 1
"#;

const CHECKER: &str = "fn check(xs: Vec<i64>, _seed: u64, answer: Vec<i64>, _reference: Vec<i64>) -> \
                       Result<(), String> {\n    if answer.len() == 2 && answer.iter().all(|a| xs.contains(a)) \
                       { Ok(()) } else { Err(\"not two of the elements\".into()) }\n}\n";

/// `judge show` of a problem folder holding these files.
fn show(id: &str, files: &[(&str, &str)]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let problem = dir.path().join(id);
    std::fs::create_dir(&problem).unwrap();
    for (name, text) in files {
        std::fs::write(problem.join(name), text).unwrap();
    }
    let run = judge(&["show", path(&problem)]);
    run.code(0);
    run.stdout.clone()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn show_lists_the_groups_points_limits_and_tolerance() {
    let text = show(
        "total-and-shares",
        &[("problem.toml", FLOAT_PROBLEM), ("tests.toml", FLOAT_TESTS)],
    );
    assert!(text.contains("| total | 4 | 100 |"), "{text}");
    insta::assert_snapshot!("show_float_groups", text);
}

#[test]
fn show_labels_one_right_answer_of_many() {
    let text = show(
        "any-two",
        &[
            ("problem.toml", CUSTOM_PROBLEM),
            ("tests.toml", CUSTOM_TESTS),
            ("checker.rs", CHECKER),
        ],
    );
    assert!(
        text.contains("(one right answer; the checker accepts any valid one)"),
        "{text}"
    );
    insta::assert_snapshot!("show_custom_checker", text);
}

#[test]
fn show_states_the_limits_in_python_beside_rusts() {
    let text = show(
        "total-and-shares",
        &[("problem.toml", FLOAT_PROBLEM), ("tests.toml", FLOAT_TESTS)],
    );
    // 1500 ms and 128 MiB, as the problem gives them; Python's from the languages table.
    assert!(
        text.contains(
            "Limits per case: 1500 ms of CPU time (every thread counted), 128 MiB of memory"
        ),
        "{text}"
    );
    assert!(
        text.contains("In Python 3: 7500 ms of CPU time and 224 MiB of memory per case (the time limit counts 5 times, and the interpreter gets 96 MiB more)."),
        "{text}"
    );
}
