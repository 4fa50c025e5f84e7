//! Property tests: whatever problem.toml and tests.toml hold, loading gives a `Problem` or
//! an error naming the file, never a panic. Each starts from a valid problem and mutates it.

use super::*;
use crate::problem::value::proptests::toml_value_text;
use proptest::prelude::*;

const PROBLEM: &str = r#"title = "Mixed"
difficulty = "easy"
signature = "fn mixed(xs: Vec<i64>, r: Option<Rec>, m: Array2<f64>, t: (usize, String)) -> Vec<f64>"
statement = "Anything."

[records.Rec]
a = "i64"
b = "Vec<Option<f64>>"

[checker]
kind = "float"
abs_tol = 1e-6
rel_tol = 1e-6

[[sample]]
xs = [1, 2]
r = "None"
m = [[1.0, 2.0]]
t = [3, "x"]
expected = [2.5]
"#;

const TESTS: &str = r#"[[group]]
name = "basic"
points = 10

[[group.case]]
xs = [5]
r = { a = 1, b = [2.5, "None"] }
m = []
t = [0, ""]
expected = [1.0, nan]
"#;

/// Loads a problem folder `mixed` holding these two files.
fn load_files(problem: &[u8], tests: &[u8]) -> Result<Problem, SpecError> {
    let root = tempfile::tempdir().expect("a temp dir");
    let dir = root.path().join("mixed");
    std::fs::create_dir(&dir).expect("the problem folder");
    std::fs::write(dir.join("problem.toml"), problem).expect("problem.toml");
    std::fs::write(dir.join("tests.toml"), tests).expect("tests.toml");
    load(&dir)
}

/// The error names one of the problem's files, and its text starts with that file.
fn names_a_file(result: Result<Problem, SpecError>, files: &[&str]) -> Result<(), TestCaseError> {
    if let Err(e) = result {
        let name = e
            .file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        prop_assert!(files.contains(&name), "{e}");
        prop_assert!(e.to_string().starts_with(&e.file.display().to_string()));
    }
    Ok(())
}

/// `text` with `len` bytes at `at` (both taken modulo its length, on char boundaries)
/// replaced by `with`.
fn splice(text: &str, at: usize, len: usize, with: &str) -> String {
    let mut from = at % (text.len() + 1);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (from + len).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    format!("{}{with}{}", &text[..from], &text[to..])
}

#[test]
fn the_fixture_loads() {
    let p = load_files(PROBLEM.as_bytes(), TESTS.as_bytes()).unwrap();
    assert_eq!(p.cases().count(), 2);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_problem_toml_loads_or_names_it(text in ".{0,200}") {
        names_a_file(load_files(text.as_bytes(), TESTS.as_bytes()), &["problem.toml"])?;
    }

    #[test]
    fn arbitrary_tests_toml_loads_or_names_it(text in ".{0,200}") {
        names_a_file(load_files(PROBLEM.as_bytes(), text.as_bytes()), &["tests.toml"])?;
    }

    #[test]
    fn arbitrary_bytes_load_or_name_the_file(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        names_a_file(load_files(&bytes, TESTS.as_bytes()), &["problem.toml"])?;
        names_a_file(load_files(PROBLEM.as_bytes(), &bytes), &["tests.toml"])?;
    }

    #[test]
    fn spliced_files_load_or_name_the_file(
        at in any::<usize>(),
        len in 0usize..12,
        with in prop_oneof![".{0,12}", toml_value_text(), Just("\n[[group.case]]\n".to_string())],
    ) {
        let problem = splice(PROBLEM, at, len, &with);
        names_a_file(load_files(problem.as_bytes(), TESTS.as_bytes()), &["problem.toml", "tests.toml"])?;
        let tests = splice(TESTS, at, len, &with);
        names_a_file(load_files(PROBLEM.as_bytes(), tests.as_bytes()), &["tests.toml"])?;
    }

    #[test]
    fn any_value_for_an_argument_loads_or_names_tests_toml(
        key in prop::sample::select(vec!["xs", "r", "m", "t", "expected"]),
        value in toml_value_text(),
    ) {
        let tests: String = TESTS
            .lines()
            .map(|l| if l.starts_with(&format!("{key} = ")) { format!("{key} = {value}\n") } else { format!("{l}\n") })
            .collect();
        names_a_file(load_files(PROBLEM.as_bytes(), tests.as_bytes()), &["tests.toml"])?;
    }

    #[test]
    fn any_signature_loads_or_names_problem_toml(sig in "fn [a-z]{1,3}\\(.{0,30}\\) -> .{0,20}") {
        let problem = PROBLEM.replace(
            "fn mixed(xs: Vec<i64>, r: Option<Rec>, m: Array2<f64>, t: (usize, String)) -> Vec<f64>",
            &sig.replace(['"', '\\'], ""),
        );
        names_a_file(load_files(problem.as_bytes(), TESTS.as_bytes()), &["problem.toml", "tests.toml"])?;
    }
}
