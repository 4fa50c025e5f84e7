//! Authoring mistakes: each gives an error naming the file, the line and the key, exit 2.

use std::path::PathBuf;

use crate::{fixture, judge};

/// A copy of the fixture problem `base` with `from` replaced by `to` in `file`.
fn broken(file: &str, from: &str, to: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let problem = dir.path().join("add-one");
    std::fs::create_dir(&problem).unwrap();
    for name in ["problem.toml", "tests.toml", "reference.rs"] {
        let text = std::fs::read_to_string(fixture(&format!("problems/base/{name}"))).unwrap();
        let text = if name == file {
            assert!(text.contains(from), "{from:?} not in {name}");
            text.replacen(from, to, 1)
        } else {
            text
        };
        std::fs::write(problem.join(name), text).unwrap();
    }
    (dir, problem)
}

#[track_caller]
fn expect_error(file: &str, from: &str, to: &str, needles: &[&str]) {
    let (_keep, problem) = broken(file, from, to);
    let run = judge(&["show", problem.to_str().unwrap()]);
    run.code(2);
    for needle in needles {
        run.stderr_has(needle);
    }
}

#[test]
fn the_unbroken_fixture_loads() {
    let (_keep, problem) = broken("tests.toml", "xs = [5]", "xs = [5]");
    judge(&["show", problem.to_str().unwrap()])
        .code(0)
        .stdout_has("# Add one");
}

#[test]
fn toml_syntax_error() {
    expect_error(
        "tests.toml",
        "points = 10",
        "points = = 10",
        &["tests.toml:3", "points = = 10"],
    );
}

#[test]
fn wrong_type_in_a_case() {
    expect_error(
        "tests.toml",
        "xs = [5]",
        "xs = [5, \"six\"]",
        &[
            "tests.toml:6",
            "`group.basic.case[0].xs[1]`",
            "expected an integer (i64), found the string \"six\"",
            "help: `xs` is a `Vec<i64>` (from the signature): write it like `xs = [3, 3]`",
        ],
    );
}

/// `base` with its argument's type changed to `ty` and its hidden case's `xs` set to `xs`.
fn retyped(ty: &str, xs: &str) -> (tempfile::TempDir, PathBuf) {
    let (keep, problem) = broken("tests.toml", "xs = [5]", &format!("xs = {xs}"));
    let spec = std::fs::read_to_string(problem.join("problem.toml")).unwrap();
    std::fs::write(
        problem.join("problem.toml"),
        spec.replace("xs: Vec<i64>", &format!("xs: {ty}")),
    )
    .unwrap();
    (keep, problem)
}

#[test]
fn integer_out_of_range_for_its_type() {
    let (_keep, problem) = retyped("Vec<u8>", "[5, 300]");
    judge(&["show", problem.to_str().unwrap()])
        .code(2)
        .stderr_has("tests.toml:6")
        .stderr_has("300 is out of range for u8");
}

#[test]
fn missing_argument() {
    expect_error(
        "tests.toml",
        "xs = [5]",
        "ys = [5]",
        &["tests.toml:6", "`add_one` has no argument `ys`"],
    );
}

#[test]
fn case_without_its_argument() {
    expect_error(
        "tests.toml",
        "xs = [5]",
        "expected = [6]",
        &[
            "tests.toml:5",
            "`group.basic.case[0]`",
            "missing argument `xs`",
            "help: add `xs = [3, 3]` to this case",
        ],
    );
}

#[test]
fn unknown_key_in_the_spec() {
    expect_error(
        "problem.toml",
        "difficulty = \"easy\"",
        "difficulty = \"easy\"\ntime_limit = 3",
        &[
            "problem.toml:3",
            "unknown field `time_limit`",
            "help: remove `time_limit` or correct its spelling",
        ],
    );
}

#[test]
fn group_without_points() {
    expect_error(
        "tests.toml",
        "points = 10\n",
        "",
        &[
            "tests.toml:2",
            "`group.basic.points`: group `basic` has no points",
            "help: give the group its points, like `points = 10`",
        ],
    );
}

#[test]
fn unknown_difficulty() {
    expect_error(
        "problem.toml",
        "difficulty = \"easy\"",
        "difficulty = \"trivial\"",
        &["problem.toml:2", "unknown variant `trivial`"],
    );
}

#[test]
fn unsupported_type_in_the_signature() {
    expect_error(
        "problem.toml",
        "fn add_one(xs: Vec<i64>)",
        "fn add_one(xs: HashMap<i64, i64>)",
        &[
            "problem.toml:3",
            "`signature`",
            "unsupported type `HashMap<i64,i64>`",
        ],
    );
}

#[test]
fn misspelled_none() {
    let (_keep, problem) = retyped("Vec<Option<i64>>", "[5, \"null\"]");
    judge(&["show", problem.to_str().unwrap()])
        .code(2)
        .stderr_has("found the string \"null\" (or \"None\")");
}

#[test]
fn duplicate_group() {
    let (_keep, problem) = broken(
        "tests.toml",
        "xs = [5]\n",
        "xs = [5]\n\n[[group]]\nname = \"basic\"\npoints = 1\n[[group.case]]\nxs = []\n",
    );
    judge(&["show", problem.to_str().unwrap()])
        .code(2)
        .stderr_has("group `basic` is defined twice");
}

#[test]
fn a_reference_that_fails_its_own_samples_fails_verify() {
    let (_keep, problem) = broken("reference.rs", "x + 1", "x + 2");
    judge(&["verify", problem.to_str().unwrap()])
        .code(1)
        .stdout_has("FAILED  add-one")
        .stdout_has(
            "problem.toml:6: the reference gets WA on sample-1 (group samples): wrong answer",
        )
        .stdout_has("help: either the case's `expected` or the reference is wrong");
}

#[test]
fn a_reference_slower_than_the_limit_fails_verify() {
    // The reference makes the hidden case's answer with ten times the CPU budget; judged
    // afterwards (from those same runs), it must still be held to the real limit. It burns
    // 1.8 s of its own CPU time (CLOCK_PROCESS_CPUTIME_ID), not of the wall clock: on a
    // loaded machine 1.8 s of wall time can be under the 1 s CPU limit.
    let (_keep, problem) = broken(
        "reference.rs",
        "xs.into_iter()",
        "if xs == [5] { extern \"C\" { fn clock_gettime(clock: i32, ts: *mut [i64; 2]) -> i32; } \
         let mut ts = [0i64; 2]; while ts[0] * 1000 + ts[1] / 1_000_000 < 1800 { unsafe { clock_gettime(2, &mut ts); } } }\n    xs.into_iter()",
    );
    judge(&["verify", problem.to_str().unwrap()])
        .code(1)
        .stdout_has("FAILED  add-one")
        .stdout_has("the reference gets TLE on basic-1 (group basic): used ")
        .stdout_has("ms of CPU time; the limit is 1000 ms");
}

#[test]
fn a_reference_that_does_not_compile_is_a_judge_error() {
    let (_keep, problem) = broken("reference.rs", "x + 1", "x +");
    let run = judge(&[
        "submit",
        problem.to_str().unwrap(),
        &fixture("problems/base/reference.rs"),
    ]);
    run.code(2)
        .stderr_has("judge error: the reference")
        .stderr_has("does not compile");
}

#[test]
fn integer_too_large_for_toml_names_the_string_spelling() {
    let (_keep, problem) = retyped("Vec<u64>", "[18446744073709551615]");
    judge(&["show", problem.to_str().unwrap()])
        .code(2)
        .stderr_has("tests.toml:6")
        .stderr_has("write a larger u64 as a string of decimal digits");
}

#[test]
fn big_u64_written_as_a_string_loads() {
    let (_keep, problem) = retyped("Vec<u64>", "[\"18446744073709551615\", 3]");
    judge(&["show", problem.to_str().unwrap()]).code(0);
}

#[test]
fn custom_checker_without_its_file() {
    expect_error(
        "problem.toml",
        "[[sample]]",
        "[checker]\nkind = \"custom\"\n\n[[sample]]",
        &[
            "problem.toml",
            "checker.kind",
            "a custom checker needs checker.rs in the problem folder, defining `fn check(xs: Vec<i64>, answer: Vec<i64>, reference: Vec<i64>) -> Result<(), String>`",
        ],
    );
}

#[test]
fn a_generated_case_without_a_generator() {
    expect_error(
        "tests.toml",
        "xs = [5]",
        "generate = { seed = 1, size = 10 }",
        &[
            "tests.toml:6",
            "no generator.rs",
            "help: add generator.rs defining `fn generate(seed: u64, size: usize) -> Vec<i64>`",
        ],
    );
}

#[test]
fn a_checker_that_panics_is_named_by_verify() {
    let (_keep, problem) = broken(
        "problem.toml",
        "[[sample]]",
        "[checker]\nkind = \"custom\"\n\n[[sample]]",
    );
    std::fs::write(
        problem.join("checker.rs"),
        "fn check(xs: Vec<i64>, answer: Vec<i64>, reference: Vec<i64>) -> Result<(), String> {\n    let _ = (answer, reference);\n    assert!(xs.len() < 2, \"only short lists\");\n    Ok(())\n}\n",
    )
    .unwrap();
    judge(&["verify", problem.to_str().unwrap()])
        .code(1)
        .stdout_has("FAILED  add-one")
        .stdout_has(
            "the reference gets JE on sample-1 (group samples): the problem's checker failed",
        )
        .stdout_has("only short lists")
        .stdout_has("checker.rs must not panic: it rejects an answer by returning Err(reason)");
}

#[test]
fn a_generator_that_is_not_reproducible_fails_verify() {
    let (_keep, problem) = broken(
        "tests.toml",
        "xs = [5]",
        "generate = { seed = 1, size = 10 }",
    );
    std::fs::write(
        problem.join("generator.rs"),
        "fn generate(seed: u64, size: usize) -> Vec<i64> {\n    let clock = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos() as i64;\n    (0..size as i64).map(|i| (seed as i64 + clock + i) % 1000).collect()\n}\n",
    )
    .unwrap();
    judge(&["verify", problem.to_str().unwrap()])
        .code(1)
        .stdout_has("generator.rs: two runs for seed 1 size 10 (case basic-1, ")
        .stdout_has("tests.toml:5) made two different cases")
        .stdout_has(
            "help: a generator must draw every random number from `judge_rt::Rng::new(seed)`",
        );
}

#[test]
fn a_disk_limit_out_of_range() {
    expect_error(
        "problem.toml",
        "statement = \"Add one to every element.\"",
        "statement = \"Add one to every element.\"\n[limits]\ndisk_mb = 0",
        &["problem.toml", "limits.disk_mb", "between 1 and 4096"],
    );
}

#[test]
fn an_unknown_feedback_setting() {
    expect_error(
        "problem.toml",
        "statement = \"Add one to every element.\"",
        "statement = \"Add one to every element.\"\n[feedback]\nhidden = \"everything\"",
        &["problem.toml", "everything"],
    );
}

#[test]
fn hidden_cases_can_show_their_verdicts_only() {
    let (_keep, problem) = broken(
        "problem.toml",
        "statement = \"Add one to every element.\"",
        "statement = \"Add one to every element.\"\n[feedback]\nhidden = \"verdict\"",
    );
    let solution = fixture("solutions/add_one.rs");
    let run = judge(&[
        "submit",
        problem.to_str().unwrap(),
        &solution,
        "--json",
        "--fresh",
    ]);
    let report = run.json();
    let hidden = &report["groups"][0]["cases"][0];
    assert_eq!(hidden["withheld"], true, "{}", run.stdout);
    // Not measured as far as the candidate can tell: null, never a figure (schema 2).
    assert_eq!(hidden["time_ms"], serde_json::Value::Null, "{}", run.stdout);
    assert_eq!(
        hidden["memory_kb"],
        serde_json::Value::Null,
        "{}",
        run.stdout
    );
    // Samples are shown whole.
    assert_eq!(report["samples"][0]["withheld"], false, "{}", run.stdout);
    assert!(
        report["samples"][0]["memory_kb"].as_u64().unwrap() > 0,
        "{}",
        run.stdout
    );
    let text = judge(&["submit", problem.to_str().unwrap(), &solution]);
    assert!(
        text.stdout
            .lines()
            .any(|l| l.trim_start().starts_with("basic-1") && l.contains(" - ")),
        "{}",
        text.stdout
    );
}
