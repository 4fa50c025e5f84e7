//! The `--json` report as tools read it (docs/report-schema.md): snapshots of whole reports
//! from the real binary, so that any change to the schema shows in review, and the run's
//! own wording (a run is not a submission).
//!
//! Snapshots are of a small problem written here (not the bank's, which its authors change),
//! with every figure that depends on the machine, its load or the cache's state redacted.

use std::path::PathBuf;

use serde_json::{Map, Value};

use crate::{fixture, judge};

const PROBLEM_TOML: &str = r#"title = "Add one"
difficulty = "easy"
signature = "fn add_one(xs: Vec<i64>) -> Vec<i64>"
statement = "Add one to every element."

# Far above what adding one takes, so that a loaded machine never turns a case into a TLE.
[limits]
time_ms = 10000

[[sample]]
xs = [1, 2]
expected = [2, 3]

[[sample]]
xs = []
expected = []
"#;

const TESTS_TOML: &str = r#"[[group]]
name = "basic"
points = 40

[[group.case]]
xs = [5]

[[group.case]]
xs = [-1, 0, 1]

[[group]]
name = "large"
points = 60

[[group.case]]
xs = [1000000, 2000000]
"#;

const RIGHT: &str = "xs.into_iter().map(|x| x + 1).collect()";
/// Wrong on the first sample (and on some hidden cases).
const WRONG: &str = "xs.into_iter().map(|x| if x > 1 { x + 2 } else { x + 1 }).collect()";
/// Right on the samples, wrong on some hidden cases.
const HIDDEN_WRONG: &str = "xs.into_iter().map(|x| if x > 4 { x + 2 } else { x + 1 }).collect()";

/// A folder holding the problem `id` (optionally with `[feedback]`) and solution files.
struct Fixture {
    dir: tempfile::TempDir,
    problem: PathBuf,
}

impl Fixture {
    fn new(id: &str, feedback: Option<&str>) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let problem = dir.path().join(id);
        Fixture::write(dir, problem, feedback)
    }

    /// The problem inside a bank's `problems/` folder, whose `bank.toml` says `[feedback]
    /// hidden = bank_default`.
    fn in_bank(id: &str, feedback: Option<&str>, bank_default: &str) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let problems = dir.path().join("problems");
        std::fs::create_dir(&problems).unwrap();
        std::fs::write(
            problems.join("bank.toml"),
            format!("[feedback]\nhidden = \"{bank_default}\"\n"),
        )
        .unwrap();
        let problem = problems.join(id);
        Fixture::write(dir, problem, feedback)
    }

    fn write(dir: tempfile::TempDir, problem: PathBuf, feedback: Option<&str>) -> Fixture {
        std::fs::create_dir(&problem).unwrap();
        let toml = match feedback {
            Some(hidden) => format!("{PROBLEM_TOML}\n[feedback]\nhidden = \"{hidden}\"\n"),
            None => PROBLEM_TOML.to_string(),
        };
        std::fs::write(problem.join("problem.toml"), toml).unwrap();
        std::fs::write(problem.join("tests.toml"), TESTS_TOML).unwrap();
        std::fs::write(problem.join("reference.rs"), solution_text(RIGHT)).unwrap();
        Fixture { dir, problem }
    }

    fn solution(&self, name: &str, body: &str) -> String {
        let file = self.dir.path().join(name);
        std::fs::write(&file, solution_text(body)).unwrap();
        file.display().to_string()
    }

    /// `judge <command> <problem> <file> --json`, with its exit code checked.
    fn json(&self, command: &str, file: &str, code: i32) -> Value {
        judge(&[command, self.problem.to_str().unwrap(), file, "--json"])
            .code(code)
            .json()
    }
}

fn solution_text(body: &str) -> String {
    format!("pub fn add_one(xs: Vec<i64>) -> Vec<i64> {{\n    {body}\n}}\n")
}

/// The report with what depends on the machine, its load or the cache replaced by a
/// placeholder: times, memory, whether the report or build came from the cache, the
/// isolation warnings, and rustc's own words (its version decides them). A withheld case's
/// null figures stay null: that is part of the schema.
fn redacted(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let v = match (k.as_str(), v) {
                        ("time_ms", Value::Number(_)) => "[ms]".into(),
                        ("memory_kb", Value::Number(_)) => "[kb]".into(),
                        ("cached", Value::Bool(_)) => "[cached]".into(),
                        ("warnings", Value::Array(_)) => "[warnings]".into(),
                        ("stderr", Value::String(s)) if !s.is_empty() => "[rustc]".into(),
                        _ => redacted(v),
                    };
                    (k.clone(), v)
                })
                .collect::<Map<_, _>>(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(redacted).collect()),
        other => other.clone(),
    }
}

#[test]
fn snapshot_of_an_accepted_submission() {
    let f = Fixture::new("add-one", None);
    let report = f.json("submit", &f.solution("right.rs", RIGHT), 0);
    insta::assert_json_snapshot!("submit_ac", redacted(&report));
}

#[test]
fn snapshot_of_a_wrong_answer_with_a_diff() {
    let f = Fixture::new("add-one", None);
    let report = f.json("submit", &f.solution("wrong.rs", WRONG), 1);
    assert!(report["samples"][0]["diff"].is_string(), "{report}");
    insta::assert_json_snapshot!("submit_wa", redacted(&report));
}

#[test]
fn snapshot_of_a_compile_error() {
    let f = Fixture::new("add-one", None);
    let report = f.json(
        "submit",
        &f.solution("broken.rs", "xs.into_iter().map(|x| x + ).collect()"),
        1,
    );
    let stderr = report["compile"]["stderr"].as_str().unwrap();
    assert!(stderr.contains("broken.rs:2"), "{stderr}");
    insta::assert_json_snapshot!("submit_ce", redacted(&report));
}

#[test]
fn snapshot_of_hidden_cases_withheld() {
    let f = Fixture::new("add-one-verdicts-only", Some("verdict"));
    let report = f.json("submit", &f.solution("wrong.rs", HIDDEN_WRONG), 1);
    insta::assert_json_snapshot!("submit_withheld", redacted(&report));
}

#[test]
fn snapshot_of_the_first_hidden_failure_shown_whole() {
    let f = Fixture::new("add-one-first-failure", Some("first-failure"));
    let report = f.json("submit", &f.solution("wrong.rs", HIDDEN_WRONG), 1);
    insta::assert_json_snapshot!("submit_first_failure", redacted(&report));
}

/// The hidden cases of `HIDDEN_WRONG`'s report: (name, message, input, diff, withheld).
fn hidden_cases(report: &Value) -> Vec<(String, Value, Value, Value, Value)> {
    report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["cases"].as_array().unwrap())
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_string(),
                c["message"].clone(),
                c["input"].clone(),
                c["diff"].clone(),
                c["withheld"].clone(),
            )
        })
        .collect()
}

/// `[feedback] hidden` decides what `submit --json` shows of hidden cases, level by level;
/// the samples are shown whole at every level.
#[test]
fn each_feedback_level_shows_what_it_says() {
    let null = Value::Null;
    let kind = Value::from("wrong answer: a wrong value at [0]");
    let levels = [
        ("verdict", Value::Null, false),
        ("outcome", Value::from("wrong answer"), false),
        ("kind", kind.clone(), false),
        ("first-failure", kind.clone(), true),
    ];
    for (level, message, first_whole) in levels {
        let f = Fixture::new("add-one", Some(level));
        let report = f.json("submit", &f.solution("wrong.rs", HIDDEN_WRONG), 1);
        assert_eq!(report["verdict"], "WA", "{level}: {report}");
        assert_eq!(report["score"], 0, "{level}: {report}");
        let cases = hidden_cases(&report);
        let (first, last) = (&cases[0], &cases[2]);
        assert_eq!((first.0.as_str(), last.0.as_str()), ("basic-1", "large-1"));
        assert_eq!(last.1, message, "{level}: {report}");
        assert_eq!((&last.2, &last.3), (&null, &null), "{level}: {report}");
        assert_eq!(last.4, level == "verdict", "{level}: {report}");
        if first_whole {
            assert_eq!(first.2, "xs = [5]", "{level}: {report}");
            assert!(first.3.as_str().unwrap().contains("+[7]"), "{report}");
            assert_eq!(first.1, "wrong answer at [0]: expected 6, found 7");
        } else {
            assert_eq!(
                first,
                &(
                    first.0.clone(),
                    message,
                    null.clone(),
                    null.clone(),
                    last.4.clone()
                )
            );
        }
    }
}

/// Without `[feedback]`, a problem takes its bank's default from `problems/bank.toml`; its
/// own setting wins; with neither, hidden cases show the kind of mismatch.
#[test]
fn the_bank_default_applies_unless_a_problem_says_otherwise() {
    let wrong = |f: &Fixture| f.json("submit", &f.solution("wrong.rs", HIDDEN_WRONG), 1);
    let f = Fixture::in_bank("add-one", None, "outcome");
    assert_eq!(hidden_cases(&wrong(&f))[2].1, "wrong answer");
    let f = Fixture::in_bank("add-one", Some("verdict"), "first-failure");
    assert_eq!(hidden_cases(&wrong(&f))[0].4, true);
    let f = Fixture::new("add-one", None);
    assert_eq!(
        hidden_cases(&wrong(&f))[2].1,
        "wrong answer: a wrong value at [0]"
    );
}

#[test]
fn snapshot_of_runs() {
    let f = Fixture::new("add-one", None);
    let passed = f.json("run", &f.solution("right.rs", RIGHT), 0);
    insta::assert_json_snapshot!("run_passed", redacted(&passed));
    let failed = f.json("run", &f.solution("wrong.rs", WRONG), 1);
    insta::assert_json_snapshot!("run_failed", redacted(&failed));
    let broken = f.json("run", &f.solution("broken.rs", "xs +"), 1);
    insta::assert_json_snapshot!("run_ce", redacted(&broken));
}

/// Every key a report can carry is in the schema's document.
#[test]
fn every_field_is_documented() {
    let doc = std::fs::read_to_string(crate::repo().join("docs/report-schema.md")).unwrap();
    let f = Fixture::new("add-one-verdicts-only", Some("verdict"));
    let reports = [
        f.json("submit", &f.solution("wrong.rs", HIDDEN_WRONG), 1),
        f.json("run", &f.solution("wrong.rs", WRONG), 1),
    ];
    let mut keys = Vec::new();
    for report in &reports {
        collect_keys(report, &mut keys);
    }
    for key in keys {
        assert!(
            doc.contains(&format!("`{key}`")),
            "docs/report-schema.md lacks `{key}`"
        );
    }
}

fn collect_keys(value: &Value, keys: &mut Vec<String>) {
    match value {
        Value::Object(map) => map.iter().for_each(|(k, v)| {
            keys.push(k.clone());
            collect_keys(v, keys);
        }),
        Value::Array(items) => items.iter().for_each(|v| collect_keys(v, keys)),
        _ => {}
    }
}

/// `judge run` on a real bank problem: a run passes or fails its samples, and is never
/// reported as an accepted submission.
fn bank_run(solution: &str, code: i32) -> (crate::Run, Value) {
    let file = fixture(&format!("solutions/{solution}"));
    let text = judge(&["run", "median-rainfall", &file]);
    text.code(code);
    let json = judge(&["run", "median-rainfall", &file, "--json"])
        .code(code)
        .json();
    (text, json)
}

#[test]
fn a_run_whose_samples_pass_is_not_called_accepted() {
    let (text, json) = bank_run("median_good.rs", 0);
    text.stdout_lacks("verdict")
        .stdout_lacks("accepted")
        .stdout_lacks("score:");
    assert!(
        text.stdout
            .ends_with("\nsamples passed (not a submission)\n"),
        "{}",
        text.stdout
    );
    assert_eq!(json["mode"], "run", "{json}");
    assert_eq!(json["result"], "samples-passed", "{json}");
    for absent in ["verdict", "score", "max_score", "groups", "first_failure"] {
        assert!(json.get(absent).is_none(), "{absent} in {json}");
    }
}

#[test]
fn a_run_whose_sample_fails_names_it_and_its_verdict() {
    let (text, json) = bank_run("median_upper.rs", 1);
    assert!(
        text.stdout.ends_with(
            "\nsample-1 failed, verdict: WA (wrong answer)\nsamples failed (not a submission)\n"
        ),
        "{}",
        text.stdout
    );
    text.stdout_lacks("accepted");
    assert_eq!(json["mode"], "run", "{json}");
    assert_eq!(json["result"], "samples-failed", "{json}");
    assert_eq!(json["verdict"], "WA", "{json}");
    assert_eq!(json["first_failure"]["case"], "sample-1", "{json}");
    assert_eq!(json["first_failure"]["group"], Value::Null, "{json}");
    assert!(json.get("score").is_none(), "{json}");
}
