//! The bank as a whole: verify, list, show.

use crate::{fixture, judge};

/// Every problem of the bank (docs/bank.md), by id.
const BANK: [&str; 21] = [
    "min-max-normalize",
    "get-dummies",
    "iqr-outliers",
    "crack-pin",
    "class-weights",
    "smote",
    "simple-impute",
    "linear-regression",
    "stratified-split",
    "decision-tree",
    "grid-search-knn",
    "median-rainfall",
    "impute-median-price",
    "fill-none",
    "grades-colors",
    "t-value",
    "knn",
    "permutation-forest",
    "logistic-regression",
    "kmeans",
    "gradient-descent",
];

#[test]
fn verify_passes_over_the_whole_bank() {
    let run = judge(&["verify"]);
    run.code(0);
    for id in BANK {
        run.stdout_has(&format!("ok      {id} ("));
    }
    // Known submissions are judged only up to their first failure, which is named.
    run.stdout_has("submissions/TLE/selection_sort.rs: TLE as expected on large-1");
    run.stdout_has("submissions/WA/upper_middle.rs: WA as expected on sample-1");
    run.stdout_has("submissions/MLE/all_candidates.rs: MLE as expected on basic-4");
    // The Python ones too, every verdict of them (where python3 is: else they are named
    // as not judged, and CI=true requires it).
    if crate::python::python_found("verify_passes_over_the_whole_bank (its Python submissions)") {
        run.stdout_has("submissions/AC/argsort.py: AC as expected")
            .stdout_has("submissions/TLE/count_nearer_rows.py: TLE as expected on large-1")
            .stdout_has("submissions/RE/index_first.py: RE as expected")
            .stdout_has("submissions/MLE/all_candidates.py: MLE as expected")
            .stdout_has("submissions/WA/bool_columns.py: WA as expected on sample-1")
            .stdout_lacks(".py: not judged");
    }
}

#[test]
fn list_shows_id_title_difficulty_and_tags() {
    let run = judge(&["list"]);
    run.code(0)
        .stdout_has("k-nearest neighbours from scratch")
        .stdout_has("medium")
        .stdout_has("pandas, statistics");
    for id in BANK {
        run.stdout_has(&format!("\n{id} "));
    }
}

#[test]
fn list_filters_by_difficulty_and_tag_and_speaks_json() {
    let run = judge(&["list", "--difficulty", "hard"]);
    run.code(0)
        .stdout_has("decision-tree")
        .stdout_has("grid-search-knn")
        .stdout_lacks("fill-none");
    let run = judge(&["list", "--tag", "pandas", "--tag", "missing-data", "--json"]);
    run.code(0);
    let ids: Vec<String> = run
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["fill-none", "impute-median-price"]);
}

/// `judge list` shows the user's own state of each problem, from what `submit` and `run`
/// recorded in the cache: not tried, tried (with the best score once submitted), solved.
/// What `verify` judges is not the user's.
#[test]
fn list_shows_the_users_own_state_of_each_problem() {
    let tmp = tempfile::tempdir().unwrap();
    // Ids of their own: the record is kept by id in the cache the tests share.
    let ids = [
        "list-state-solved",
        "list-state-tried",
        "list-state-run",
        "list-state-untouched",
    ];
    for id in ids {
        let dir = tmp.path().join("problems").join(id);
        std::fs::create_dir_all(&dir).unwrap();
        for file in ["problem.toml", "tests.toml", "reference.rs"] {
            let text = std::fs::read_to_string(fixture(&format!("problems/base/{file}"))).unwrap();
            std::fs::write(
                dir.join(file),
                text.replace("add_one", &id.replace('-', "_")),
            )
            .unwrap();
        }
    }
    let bank = tmp.path().to_str().unwrap();
    let solution = |id: &str, body: &str| {
        let file = tmp.path().join(format!("{id}.rs"));
        let f = id.replace('-', "_");
        std::fs::write(
            &file,
            format!("pub fn {f}(xs: Vec<i64>) -> Vec<i64> {{ {body} }}"),
        )
        .unwrap();
        file.to_str().unwrap().to_string()
    };
    let right = "xs.into_iter().map(|x| x + 1).collect()";
    let wrong = "xs.into_iter().map(|x| if x > 4 { x } else { x + 1 }).collect()";
    let fresh = |args: &[&str]| {
        let mut all = vec!["--bank", bank, "--fresh"];
        all.extend_from_slice(args);
        judge(&all)
    };
    let solved = solution("list-state-solved", right);
    fresh(&[
        "submit",
        "list-state-solved",
        &solution("list-state-solved-wrong", wrong),
    ])
    .code(1);
    fresh(&["submit", "list-state-solved", &solved]).code(0);
    fresh(&[
        "submit",
        "list-state-tried",
        &solution("list-state-tried", wrong),
    ])
    .code(1);
    fresh(&["run", "list-state-run", &solution("list-state-run", right)]).code(0);
    fresh(&["verify", "list-state-untouched"]).code(0);
    let run = judge(&["--bank", bank, "list"]);
    run.code(0)
        .stdout_has("list-state-solved     easy    solved 10/10")
        .stdout_has("list-state-tried      easy    tried 0/10")
        .stdout_has("list-state-run        easy    tried ")
        .stdout_has("list-state-untouched  easy    not tried ");
    let json = judge(&["--bank", bank, "list", "--json"]).code(0).json();
    let states: Vec<(String, String, serde_json::Value)> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["id"].to_string(),
                p["state"].to_string(),
                p["best_score"].clone(),
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            (
                "\"list-state-run\"".into(),
                "\"tried\"".into(),
                serde_json::Value::Null
            ),
            (
                "\"list-state-solved\"".into(),
                "\"solved\"".into(),
                10.into()
            ),
            ("\"list-state-tried\"".into(), "\"tried\"".into(), 0.into()),
            (
                "\"list-state-untouched\"".into(),
                "\"not-tried\"".into(),
                serde_json::Value::Null
            ),
        ]
    );
}

#[test]
fn show_renders_statement_signature_types_and_samples() {
    judge(&["show", "median-rainfall"])
        .code(0)
        .stdout_has("# Median rainfall on rainy days")
        .stdout_has("pub fn median_rainfall(df_rain: Vec<RainDay>) -> Option<f64>")
        .stdout_has("pub struct RainDay { pub day: String, pub rainfall: f64 }")
        .stdout_has("returns 3.5")
        .stdout_has("returns \"None\"");
}

#[test]
fn the_stub_compiles_and_panics_with_todo() {
    let stub = judge(&["show", "median-rainfall", "--stub"]);
    stub.code(0).stdout_has("todo!()");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("stub.rs");
    std::fs::write(&file, &stub.stdout).unwrap();
    let run = judge(&["run", "median-rainfall", file.to_str().unwrap(), "--json"]);
    run.code(1);
    let report = run.json();
    assert_eq!(report["compile"]["ok"], true, "{report}");
    assert_eq!(report["verdict"], "RE");
    assert!(
        report["samples"][0]["message"]
            .as_str()
            .unwrap()
            .contains("not yet implemented"),
        "{report}"
    );
}

#[test]
fn a_problem_can_be_named_by_path() {
    judge(&[
        "submit",
        &fixture("problems/base"),
        &fixture("problems/base/reference.rs"),
    ])
    .code(0)
    .stdout_has("score: 10/10");
}

#[test]
fn unknown_problem_and_missing_solution_are_usage_errors() {
    judge(&["submit", "no-such-problem", "x.rs"])
        .code(2)
        .stderr_has("no problem `no-such-problem`")
        .stderr_has("knn");
    judge(&["submit", "knn", "does/not/exist.rs"])
        .code(2)
        .stderr_has("no solution file at does/not/exist.rs");
    judge(&["frobnicate"]).code(2);
}

#[test]
fn a_reader_that_stops_early_ends_the_judge_quietly() {
    for args in [&["list"][..], &["cases", "t-value"], &["show", "knn"]] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_judge"))
            .args(args)
            .current_dir(crate::repo())
            .env(
                "JUDGE_CACHE_DIR",
                std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("judge-cache"),
            )
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before the judge has written anything (`judge list | head -0`).
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    }
}

#[test]
fn a_compile_error_with_a_long_type_shows_the_type_not_a_file_in_the_box() {
    // rustc writes a type this long to `*.long-type-*.txt` in the compile box, and its note
    // named that file, which the candidate can never open.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("long_type.rs");
    std::fs::write(
        &file,
        "pub fn t_value(var: Vec<f64>, mu0: f64) -> f64 {\n    \
         let it = var.iter().map(|x| x + mu0).filter(|x| *x > 0.0).map(|x| x * 2.0).filter(|x| *x > 0.0)\n        \
         .map(|x| x * 2.0).filter(|x| *x > 0.0).map(|x| x * 2.0).filter(|x| *x > 0.0)\n        \
         .zip(var.iter().map(|x| x + 1.0).filter(|x| *x > 0.0).map(|x| x * 3.0).filter(|x| *x > 1.0))\n        \
         .map(|(a, b)| a + b).filter(|x| *x > 0.0).map(|x| x * 5.0).filter(|x| *x > 0.0);\n    \
         let () = it;\n    0.0\n}\n",
    )
    .unwrap();
    let run = judge(&["run", "t-value", file.to_str().unwrap(), "--json"]);
    run.code(1);
    let report = run.json();
    assert_eq!(report["verdict"], "CE", "{report}");
    let stderr = report["compile"]["stderr"].as_str().unwrap();
    assert!(stderr.contains("mismatched types"), "{stderr}");
    assert!(!stderr.contains("long-type"), "{stderr}");
    assert!(!stderr.contains("consider using `--verbose`"), "{stderr}");
    // The whole type, down to the slice iterator the chain starts from.
    assert!(stderr.contains("std::slice::Iter<'_, f64>"), "{stderr}");
}
