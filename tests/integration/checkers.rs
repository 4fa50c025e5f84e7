//! Custom checkers (checker.rs): right answers other than the reference's pass, wrong ones
//! fail with the checker's reason, and a broken checker is the judge's error, not the
//! candidate's.

use std::path::PathBuf;

use crate::{fixture, judge};

/// The add-one fixture graded by `checker` (the body of `check`), which sees the input, the
/// answer and the reference's answer.
fn custom_problem(checker_body: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let problem = dir.path().join("add-one");
    std::fs::create_dir(&problem).unwrap();
    for name in ["problem.toml", "tests.toml", "reference.rs"] {
        let text = std::fs::read_to_string(fixture(&format!("problems/base/{name}"))).unwrap();
        let text = if name == "problem.toml" {
            text.replacen(
                "[[sample]]",
                "[checker]\nkind = \"custom\"\n\n[[sample]]",
                1,
            )
        } else {
            text
        };
        std::fs::write(problem.join(name), text).unwrap();
    }
    std::fs::write(
        problem.join("checker.rs"),
        format!(
            "fn check(xs: Vec<i64>, answer: Vec<i64>, reference: Vec<i64>) -> Result<(), String> {{\n{checker_body}\n}}\n"
        ),
    )
    .unwrap();
    (dir, problem)
}

/// Accepts xs + 1 in any order.
const ANY_ORDER: &str = r#"
    let _ = reference;
    let mut want: Vec<i64> = xs.iter().map(|x| x + 1).collect();
    let mut got = answer.clone();
    want.sort();
    got.sort();
    if want == got { Ok(()) } else { Err(format!("{answer:?} is not xs + 1 in any order")) }
"#;

fn solution(dir: &tempfile::TempDir, body: &str) -> String {
    let path = dir.path().join("solution.rs");
    std::fs::write(
        &path,
        format!("pub fn add_one(xs: Vec<i64>) -> Vec<i64> {{ {body} }}"),
    )
    .unwrap();
    path.display().to_string()
}

#[test]
fn a_right_answer_unlike_the_reference_is_accepted() {
    let (dir, problem) = custom_problem(ANY_ORDER);
    let reversed = solution(&dir, "xs.into_iter().rev().map(|x| x + 1).collect()");
    judge(&["submit", problem.to_str().unwrap(), &reversed])
        .code(0)
        .stdout_has("verdict: AC");
}

#[test]
fn a_wrong_answer_fails_with_the_checkers_reason_and_the_answer() {
    let (dir, problem) = custom_problem(ANY_ORDER);
    let add_two = solution(&dir, "xs.into_iter().map(|x| x + 2).collect()");
    let run = judge(&["run", problem.to_str().unwrap(), &add_two, "--json"]);
    run.code(1);
    let report = run.json();
    assert_eq!(report["verdict"], "WA", "{report}");
    let message = report["samples"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("[3, 4] is not xs + 1 in any order"),
        "{message}"
    );
    assert!(message.contains("the answer was: [3, 4]"), "{message}");
}

#[test]
fn a_panicking_checker_is_a_judge_error() {
    let (dir, problem) = custom_problem("let _ = (xs, answer, reference); panic!(\"checker bug\")");
    let right = solution(&dir, "xs.into_iter().map(|x| x + 1).collect()");
    let run = judge(&["run", problem.to_str().unwrap(), &right, "--json"]);
    run.code(2);
    let report = run.json();
    assert_eq!(report["verdict"], "JE", "{report}");
    let message = report["samples"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("the problem's checker failed"),
        "{message}"
    );
    assert!(message.contains("checker bug"), "{message}");
}

#[test]
fn a_checker_that_does_not_compile_names_its_file_and_signature() {
    let (dir, problem) = custom_problem("Ok(undefined_name)");
    let right = solution(&dir, "xs.into_iter().map(|x| x + 1).collect()");
    judge(&["run", problem.to_str().unwrap(), &right])
        .code(2)
        .stderr_has("checker.rs does not compile")
        .stderr_has(
            "fn check(xs: Vec<i64>, answer: Vec<i64>, reference: Vec<i64>) -> Result<(), String>",
        )
        .stderr_has("undefined_name");
}

#[test]
fn stratified_split_explains_a_split_that_is_not_stratified() {
    let run = judge(&[
        "run",
        "stratified-split",
        "problems/stratified-split/submissions/WA/not_stratified.rs",
    ]);
    run.code(1)
        .stdout_has("class 0 has 4 rows, so exactly 1 of them belong in test")
        .stdout_has("the answer was: [[0, 1, 2, 3, 4, 5, 6], [7, 8, 9]]");
}

#[test]
fn smote_rejects_points_off_the_segments() {
    let run = judge(&[
        "run",
        "smote",
        "problems/smote/submissions/WA/gap_per_feature.rs",
    ]);
    run.code(1).stdout_has(
        "is not p + t * (q - p) for any minority row p, q among the 1 nearest other rows of p",
    );
}
