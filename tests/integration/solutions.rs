//! Real submissions, good and bad, against the bank's problems.

use crate::{fixture, judge};

/// The JSON report of `judge run <problem> <fixture solution>`, which must not be accepted.
fn failing_run(problem: &str, solution: &str) -> serde_json::Value {
    judge(&[
        "run",
        problem,
        &fixture(&format!("solutions/{solution}")),
        "--json",
    ])
    .code(1)
    .json()
}

#[test]
fn a_right_solution_is_accepted_with_full_score() {
    judge(&["submit", "knn", &fixture("solutions/knn_good.rs")])
        .code(0)
        .stdout_has("verdict: AC (accepted)")
        .stdout_has("score: 100/100")
        .stdout_has("group large: AC (30/30 points)");
}

#[test]
fn a_solution_may_implement_methods_and_traits_on_the_records() {
    // Such a file is compiled with the records as its own types, not against the problem's
    // prebuilt harness library (where they would be foreign).
    judge(&[
        "submit",
        "median-rainfall",
        &fixture("solutions/median_rainfall_impl.rs"),
        "--fresh",
    ])
    .code(0)
    .stdout_has("verdict: AC (accepted)");
}

#[test]
fn the_json_report_has_the_documented_shape() {
    let report = judge(&["submit", "knn", &fixture("solutions/knn_good.rs"), "--json"])
        .code(0)
        .json();
    assert_eq!(report["schema"], 2);
    assert_eq!(report["problem"], "knn");
    assert_eq!(report["mode"], "submit");
    assert_eq!(report["verdict"], "AC");
    assert_eq!(report["score"], report["max_score"]);
    assert_eq!(report["compile"]["ok"], true);
    let groups: Vec<&str> = report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(groups, ["basic", "edge", "large"]);
    let case = &report["groups"][0]["cases"][0];
    for key in ["name", "verdict", "time_ms", "memory_kb", "diff"] {
        assert!(case.get(key).is_some(), "case lacks {key}: {case}");
    }
    assert!(case["memory_kb"].as_u64().unwrap() > 0);
    assert_eq!(report["samples"].as_array().unwrap().len(), 2);
}

#[test]
fn a_wrong_answer_shows_a_diff_on_samples_and_hides_hidden_cases() {
    let run = judge(&[
        "submit",
        "median-rainfall",
        &fixture("solutions/median_upper.rs"),
        "--json",
    ]);
    let report = run.code(1).json();
    assert_eq!(report["verdict"], "WA");
    let sample = &report["samples"][0];
    assert_eq!(sample["verdict"], "WA");
    let diff = sample["diff"].as_str().unwrap();
    assert!(diff.contains("-3.5") && diff.contains("+4.0"), "{diff}");
    let hidden = report["groups"][0]["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["verdict"] == "WA")
        .unwrap();
    assert_eq!(hidden["diff"], serde_json::Value::Null);
    assert_eq!(hidden["input"], serde_json::Value::Null);
    // The kind of mismatch (the default feedback), never the values.
    let message = hidden["message"].as_str().unwrap();
    assert!(
        message.starts_with("wrong answer: a float outside the tolerance (off by about 1e"),
        "{message}"
    );
}

#[test]
fn groups_score_only_when_every_case_passes() {
    let report = judge(&[
        "submit",
        "fill-none",
        &fixture("solutions/fill_none_wrong.rs"),
        "--json",
    ])
    .code(1)
    .json();
    let scores: Vec<u64> = report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["score"].as_u64().unwrap())
        .collect();
    assert_eq!(scores, [0, 0, 0]);
    assert_eq!(report["score"], 0);
}

#[test]
fn run_judges_samples_only_with_full_diffs() {
    judge(&[
        "run",
        "median-rainfall",
        &fixture("solutions/median_upper.rs"),
    ])
    .code(1)
    .stdout_has("diff (- expected, + actual)")
    .stdout_has("input:")
    .stdout_has("df_rain = [")
    .stdout_lacks("group basic");
}

#[test]
fn a_panic_is_a_runtime_error_with_its_message() {
    let report = failing_run("fill-none", "fill_none_panics.rs");
    assert_eq!(report["verdict"], "RE");
    let message = report["samples"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("panicked") && message.contains("list too long: 6"),
        "{message}"
    );
}

#[test]
fn an_endless_loop_is_a_time_limit_exceeded() {
    let report = failing_run("fill-none", "fill_none_loops.rs");
    assert_eq!(report["verdict"], "TLE");
}

#[test]
fn a_sleeper_is_stopped_by_the_wall_clock() {
    let report = failing_run("fill-none", "fill_none_sleeps.rs");
    assert_eq!(report["verdict"], "TLE");
    assert!(report["samples"][0]["message"]
        .as_str()
        .unwrap()
        .contains("wall-clock"));
    // How long a case waits depends on the machine's load: such a report is not kept.
    assert_eq!(
        failing_run("fill-none", "fill_none_sleeps.rs")["cached"],
        false
    );
}

#[test]
fn endless_output_is_output_limit_exceeded() {
    let report = failing_run("fill-none", "fill_none_floods.rs");
    assert_eq!(report["verdict"], "OLE");
}

#[test]
fn a_heap_bomb_is_memory_limit_exceeded() {
    let report = failing_run("fill-none", "fill_none_heap_bomb.rs");
    assert_eq!(report["verdict"], "MLE", "{report}");
}

#[test]
fn exiting_before_answering_is_never_accepted() {
    let report = failing_run("fill-none", "fill_none_exit_early.rs");
    assert_eq!(report["verdict"], "RE");
    assert!(report["samples"][0]["message"]
        .as_str()
        .unwrap()
        .contains("without returning an answer"));
}

#[test]
fn printing_to_stdout_does_not_corrupt_the_answer() {
    judge(&[
        "submit",
        "fill-none",
        &fixture("solutions/fill_none_prints.rs"),
    ])
    .code(0)
    .stdout_has("verdict: AC");
}

#[test]
fn a_compile_error_shows_rustcs_message_with_the_solutions_lines() {
    let run = judge(&[
        "submit",
        "fill-none",
        &fixture("solutions/fill_none_syntax_error.rs"),
        "--json",
    ]);
    let report = run.code(1).json();
    assert_eq!(report["verdict"], "CE");
    assert_eq!(report["score"], 0);
    let stderr = report["compile"]["stderr"].as_str().unwrap();
    assert!(stderr.contains("fill_none_syntax_error.rs:2"), "{stderr}");
    assert!(!stderr.contains("judge-harness.rs"), "{stderr}");
}

#[test]
fn a_wrong_signature_is_a_compile_error_naming_the_expected_one() {
    for file in ["fill_none_wrong_signature.rs", "fill_none_misnamed.rs"] {
        judge(&["submit", "fill-none", &fixture(&format!("solutions/{file}"))])
            .code(1)
            .stdout_has("compile error:")
            .stdout_has("the judge calls your function as `fn fill_none(input_list: Vec<Option<i64>>) -> Vec<i64>`")
            .stdout_has("verdict: CE");
    }
}

#[test]
fn rejudging_an_unchanged_file_uses_the_cached_build() {
    let solution = fixture("solutions/median_good.rs");
    judge(&["submit", "median-rainfall", &solution]).code(0);
    let report = judge(&["submit", "median-rainfall", &solution, "--json"])
        .code(0)
        .json();
    assert_eq!(report["compile"]["cached"], true);
    assert_eq!(report["cached"], true);
    judge(&["submit", "median-rainfall", &solution])
        .code(0)
        .stdout_has("cached result: this exact source was judged before");
    // --fresh runs every case again (the build is still reused).
    let fresh = judge(&["submit", "median-rainfall", &solution, "--json", "--fresh"])
        .code(0)
        .json();
    assert_eq!(fresh["cached"], false);
    assert_eq!(fresh["compile"]["cached"], true);
}

#[test]
fn a_changed_problem_is_judged_again() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("add-one");
    std::fs::create_dir(&dir).unwrap();
    for name in ["problem.toml", "tests.toml", "reference.rs"] {
        std::fs::copy(fixture(&format!("problems/base/{name}")), dir.join(name)).unwrap();
    }
    let dir = dir.to_str().unwrap();
    let solution = fixture("problems/base/reference.rs");
    judge(&["submit", dir, &solution]).code(0);
    judge(&["submit", dir, &solution])
        .code(0)
        .stdout_has("cached result");
    let tests = std::path::Path::new(dir).join("tests.toml");
    let text = std::fs::read_to_string(&tests).unwrap();
    // A change never seen before (the cache outlives test runs).
    let unique = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
        % 1_000_000_007;
    std::fs::write(
        &tests,
        text.replace("xs = [5]", &format!("xs = [5, {unique}]")),
    )
    .unwrap();
    judge(&["submit", dir, &solution])
        .code(0)
        .stdout_lacks("cached result");
}

#[test]
fn every_argument_type_reaches_the_solution_exactly() {
    // The harness library reads arguments straight into their types; a stored `expected`
    // pins what the function must see, so `verify` fails if any value arrives changed.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("echo");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("problem.toml"),
        r#"title = "Echo"
difficulty = "easy"
signature = "fn echo(a: Vec<f64>, b: Option<u8>, c: Array2<f64>, d: (i32, String), e: Vec<Option<bool>>, f: Array1<f64>, g: u64) -> String"
statement = "Echo."

[checker]
kind = "exact"

[[sample]]
a = [1.5, nan, inf, -inf, -0.25]
b = 7
c = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.5]]
d = [-3, "tab\there"]
e = [true, "None", false]
f = [0.5, 0.25]
g = "18446744073709551615"
expected = "[1.5, NaN, inf, -inf, -0.25] Some(7) [3, 2] 6.5 (-3, \"tab\\there\") [Some(true), None, Some(false)] 0.75 18446744073709551615"

[[sample]]
a = []
b = "None"
c = []
d = [0, ""]
e = []
f = []
g = 0
expected = "[] None [0, 0] 0 (0, \"\") [] 0 0"
"#,
    )
    .unwrap();
    std::fs::write(dir.join("tests.toml"), "[[group]]\nname = \"all\"\npoints = 1\n\n[[group.case]]\na = [2.0]\nb = 255\nc = [[1.0]]\nd = [2147483647, \"x\"]\ne = [\"None\"]\nf = [1.0]\ng = 1\n").unwrap();
    let body = "pub fn echo(a: Vec<f64>, b: Option<u8>, c: Array2<f64>, d: (i32, String), e: Vec<Option<bool>>, f: Array1<f64>, g: u64) -> String {\n    format!(\"{:?} {:?} {:?} {} {:?} {:?} {} {}\", a, b, c.shape(), c.iter().cloned().fold(0.0, f64::max), d, e, f.sum(), g)\n}\n";
    std::fs::write(dir.join("reference.rs"), body).unwrap();
    judge(&["verify", dir.to_str().unwrap()])
        .code(0)
        .stdout_has("ok      echo");
}

#[test]
fn run_on_an_input_of_ones_own_shows_the_answer_beside_the_references() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("case.toml");
    std::fs::write(&input, "var = [1.0, 2.0, 4.0]\nmu0 = 1.5\n").unwrap();
    let input = input.to_str().unwrap();
    let wrong = crate::repo().join("problems/t-value/submissions/WA/population_std.rs");
    let run = judge(&["run", "t-value", wrong.to_str().unwrap(), "--input", input]);
    run.code(1)
        .stdout_has("input:\n  var = [1.0, 2.0, 4.0]\n  mu0 = 1.5\n")
        .stdout_has("your answer:      1.157275124715689")
        .stdout_has("reference answer: 0.944911182523068")
        .stdout_has("verdict: WA (wrong answer); an input run, not a submission");
    let right = crate::repo().join("problems/t-value/submissions/AC/two_pass.rs");
    let json = judge(&[
        "run",
        "t-value",
        right.to_str().unwrap(),
        "--input",
        input,
        "--json",
    ]);
    json.code(0);
    let report = json.json();
    assert_eq!(report["mode"], "input");
    assert_eq!(report["case"]["verdict"], "AC");
    // An input that is not one of the problem's: named where it is wrong, nothing run.
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "var = [1.0]\nmu = 1.5\n").unwrap();
    judge(&[
        "run",
        "t-value",
        right.to_str().unwrap(),
        "--input",
        bad.to_str().unwrap(),
    ])
    .code(2)
    .stderr_has("bad.toml:2: `mu`: `t_value` has no argument `mu` (its arguments: var, mu0)");
}

/// The default feedback on a hidden failure (`kind`): what kind of mismatch, with the place
/// and the solution's own counts but never a value of the case, for known wrong submissions
/// of three bank problems.
#[test]
fn hidden_wrong_answers_say_what_kind_of_mismatch() {
    let known = [
        (
            "min-max-normalize",
            "nan_on_constant.rs",
            "edge-1",
            "wrong answer: NaN where a number was expected at [0][0]",
        ),
        (
            "get-dummies",
            "first_seen_order.rs",
            "basic-1",
            "wrong answer: the expected elements in another order (the first out of place at [0][0])",
        ),
        (
            "fill-none",
            "drops_none.rs",
            "basic-1",
            "wrong answer: wrong length: your list has 2 elements, fewer than expected",
        ),
    ];
    for (problem, file, case, message) in known {
        let solution = crate::repo()
            .join("problems")
            .join(problem)
            .join("submissions/WA")
            .join(file);
        let report = judge(&["submit", problem, solution.to_str().unwrap(), "--json"])
            .code(1)
            .json();
        let hidden: Vec<&serde_json::Value> = report["groups"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|g| g["cases"].as_array().unwrap())
            .collect();
        let failed = hidden.iter().find(|c| c["name"] == case).unwrap();
        assert_eq!(failed["verdict"], "WA", "{problem}: {failed}");
        assert_eq!(failed["message"], message, "{problem}: {failed}");
        for c in &hidden {
            for data in ["input", "diff", "output"] {
                assert_eq!(c[data], serde_json::Value::Null, "{problem}: {c}");
            }
        }
    }
}
