//! Authors' tools: `judge new`, `judge stress` and `judge verify --calibrate`.

use super::{fixture, judge, judge_in, repo, Run};

/// A fresh folder with a new problem made by `judge new`.
fn new_problem(id: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    judge_in(tmp.path(), &["new", id])
        .code(0)
        .stdout_has(&format!("created ./problems/{id}/problem.toml"))
        .stdout_has(&format!("created ./reference/{}.rs", id.replace('-', "_")));
    tmp
}

#[test]
fn a_new_problem_verifies_as_it_is() {
    let tmp = new_problem("clip-it");
    judge_in(tmp.path(), &["verify", "clip-it"])
        .code(0)
        .stdout_has("ok      clip-it")
        .stdout_has("submissions/AC/iterator.rs: AC as expected")
        .stdout_has("submissions/WA/swapped_bounds.rs: WA as expected");
    let toml = std::fs::read_to_string(tmp.path().join("problems/clip-it/problem.toml")).unwrap();
    for key in [
        "title",
        "difficulty",
        "tags",
        "signature",
        "statement",
        "reveal_hidden",
        "[records.",
        "[limits]",
        "time_ms",
        "memory_mb",
        "output_kb",
        "[checker]",
        "kind",
        "[[sample]]",
    ] {
        assert!(toml.contains(key), "problem.toml lacks {key}");
    }
    // Every key has a comment above it.
    assert!(toml.matches("\n# ").count() >= 12, "{toml}");
    judge_in(tmp.path(), &["show", "clip-it", "--stub"])
        .code(0)
        .stdout_has("pub fn clip_it(values: Vec<f64>, low: f64, high: f64) -> Vec<f64> {");
}

#[test]
fn new_refuses_bad_ids_and_never_overwrites() {
    let tmp = new_problem("clip-it");
    judge_in(tmp.path(), &["new", "clip-it"])
        .code(2)
        .stderr_has("already exists; `judge new` never overwrites a problem");
    judge_in(tmp.path(), &["new", "Clip_It"])
        .code(2)
        .stderr_has("is not a problem id");
    judge_in(tmp.path(), &["new", "match"])
        .code(2)
        .stderr_has("a Rust keyword");
}

/// The TOML table stress printed, ready for tests.toml.
fn printed_case(run: &Run) -> String {
    let start = run
        .stdout
        .find("[[group.case]]")
        .expect("a case is printed");
    let rest = &run.stdout[start..];
    rest[..rest.find("\n\n").unwrap_or(rest.len())].to_string()
}

/// A copy of a bank problem whose only hidden case is `case`.
fn problem_with_only(id: &str, case: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(id);
    std::fs::create_dir(&dir).unwrap();
    let src = repo().join("problems").join(id);
    for name in ["problem.toml", "generator.rs"] {
        std::fs::copy(src.join(name), dir.join(name)).unwrap();
    }
    std::fs::copy(
        repo()
            .join("reference")
            .join(format!("{}.rs", id.replace('-', "_"))),
        dir.join("reference.rs"),
    )
    .unwrap();
    std::fs::write(
        dir.join("tests.toml"),
        format!("[[group]]\nname = \"found\"\npoints = 1\n\n{case}\n"),
    )
    .unwrap();
    tmp
}

#[test]
fn stress_finds_a_failing_case_and_shrinks_it() {
    let wrong = "problems/knn/submissions/WA/tie_smallest_label.rs";
    let run = judge(&["stress", "knn", wrong, "--iterations", "60"]);
    run.code(1)
        .stdout_has("stress knn: WA (wrong answer) on random case ")
        .stdout_has("shrunk in ")
        .stdout_has("diff (- reference, + solution)");
    let case = printed_case(&run);
    assert!(case.len() < 120, "not shrunk much:\n{case}");
    // Pasted into tests.toml, it loads, the wrong solution fails it and the right one passes.
    let tmp = problem_with_only("knn", &case);
    let dir = tmp.path().join("knn");
    let dir = dir.to_str().unwrap();
    judge(&["submit", dir, wrong])
        .code(1)
        .stdout_has("verdict: WA (wrong answer) on found-1, group found");
    judge(&["submit", dir, "problems/knn/submissions/AC/sort_all.rs"]).code(0);
}

#[test]
fn stress_is_reproducible_from_its_seed() {
    let args = [
        "stress",
        "median-rainfall",
        "problems/median-rainfall/submissions/WA/upper_middle.rs",
        "--seed",
        "7",
        "--iterations",
        "30",
    ];
    let first = judge(&args);
    first.code(1);
    assert_eq!(first.stdout, judge(&args).stdout);
}

#[test]
fn stress_agrees_with_a_right_solution() {
    judge(&[
        "stress",
        "median-rainfall",
        "problems/median-rainfall/submissions/AC/sort.rs",
        "--iterations",
        "40",
    ])
    .code(0)
    .stdout_has(
        "40 random case(s) (seeds 1.., sizes 1..=10): the solution agrees with the reference",
    );
}

#[test]
fn stress_needs_a_generator_and_a_solution_that_compiles() {
    judge(&[
        "stress",
        &fixture("problems/base"),
        &fixture("problems/base/reference.rs"),
    ])
    .code(2)
    .stderr_has("has no generator.rs: stress testing draws its cases from `fn generate(seed: u64, size: usize)");
    let tmp = tempfile::tempdir().unwrap();
    let broken = tmp.path().join("broken.rs");
    std::fs::write(
        &broken,
        "pub fn median_rainfall(df_rain: Vec<RainDay>) -> Option<f64> { None ",
    )
    .unwrap();
    judge(&["stress", "median-rainfall", broken.to_str().unwrap()])
        .code(1)
        .stdout_has("the solution does not compile");
}

#[test]
fn calibration_proposes_a_limit_and_catches_a_tle_that_would_pass() {
    let tmp = new_problem("clip-it");
    let problem = tmp.path().join("problems/clip-it");
    let tle = problem.join("submissions/TLE");
    std::fs::create_dir_all(&tle).unwrap();
    // Labelled TLE but as fast as the reference: the limit would let it pass.
    std::fs::copy(
        problem.join("submissions/AC/iterator.rs"),
        tle.join("fast.rs"),
    )
    .unwrap();
    // Truly too slow: quadratic on a million values.
    std::fs::write(
        tle.join("quadratic.rs"),
        "pub fn clip_it(values: Vec<f64>, low: f64, high: f64) -> Vec<f64> {\n    values.iter().map(|v| { let mut x = *v; for _ in values.iter() { x = std::hint::black_box(x); } x.max(low).min(high) }).collect()\n}\n",
    )
    .unwrap();
    let run = judge_in(
        tmp.path(),
        &["verify", "--calibrate", "clip-it", "--repeats", "1"],
    );
    run.code(1)
        .stdout_has("calibrate clip-it")
        .stdout_has("reference: slowest case ")
        .stdout_has("submissions/AC/iterator.rs: slowest case ")
        .stdout_has("proposed time_ms = ")
        .stdout_has("(2 x the slowest accepted case, rounded up to 100 ms, at least 100); now 1000")
        .stdout_has("submissions/TLE/quadratic.rs: TLE even at ")
        .stdout_has("warning: submissions/TLE/fast.rs would pass under the proposed ");
    std::fs::remove_file(tle.join("fast.rs")).unwrap();
    judge_in(
        tmp.path(),
        &["verify", "--calibrate", "clip-it", "--repeats", "1"],
    )
    .code(0)
    .stdout_lacks("warning");
}

#[test]
fn calibration_on_the_bank_keeps_its_tle_submissions_too_slow() {
    let run = judge(&["verify", "--calibrate", "median-rainfall", "--repeats", "1"]);
    run.code(0)
        .stdout_has("submissions/TLE/insertion_sort.rs: TLE even at ");
    let proposed: u64 = run
        .stdout
        .split("proposed time_ms = ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("a proposed limit");
    assert!(
        proposed >= 100 && proposed.is_multiple_of(100),
        "{proposed}"
    );
}

#[test]
fn stress_with_no_iterations_is_refused_not_a_panic() {
    let run = judge(&[
        "stress",
        "t-value",
        "reference/t_value.rs",
        "--iterations",
        "0",
    ]);
    run.code(2).stderr_has("--iterations");
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}
