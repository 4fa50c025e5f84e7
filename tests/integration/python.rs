//! Python solutions to the bank's function problems: the real judge on real problems with
//! Python files (accepted, wrong, too slow, crashing, not compiling, of the wrong return
//! type), the stub, and the contract's conversions both ways. Every test needs python3 (and
//! numpy and pandas, which the judge installs into its cache on first use): it says SKIPPED
//! without python3, and fails under CI=true.

use crate::{judge, repo, Run};

/// Whether python3 is here; says SKIPPED when it is not (and fails under CI=true).
pub fn python_found(test: &str) -> bool {
    let found = std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none_or(|v| v != "true"),
            "python3 is not installed, and CI=true requires it for the Python tests"
        );
        eprintln!("SKIPPED {test}: python3 is not installed, so Python solutions cannot be judged");
    }
    found
}

/// Judges `source` as a Python solution of `problem` with `command` (`submit` or `run`).
pub fn judge_python(problem: &str, source: &str, command: &str) -> (tempfile::TempDir, Run) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("solution.py");
    std::fs::write(&file, source).unwrap();
    // --fresh: the report cache outlives test runs, and the code must really run.
    let run = judge(&[
        command,
        problem,
        file.to_str().unwrap(),
        "--json",
        "--fresh",
    ]);
    (dir, run)
}

fn report(run: &Run) -> serde_json::Value {
    let j = run.json();
    assert!(j.is_object(), "{}\n{}", run.stdout, run.stderr);
    j
}

/// Every case's report, samples first.
fn cases(j: &serde_json::Value) -> Vec<serde_json::Value> {
    let mut all: Vec<serde_json::Value> = j["samples"].as_array().cloned().unwrap_or_default();
    for g in j["groups"].as_array().into_iter().flatten() {
        all.extend(g["cases"].as_array().cloned().unwrap_or_default());
    }
    all
}

fn first_failure(j: &serde_json::Value) -> serde_json::Value {
    cases(j)
        .into_iter()
        .find(|c| c["verdict"] != "AC")
        .unwrap_or_default()
}

#[test]
fn python_accepted_on_a_numpy_problem_and_a_record_problem() {
    if !python_found("python_accepted_on_a_numpy_problem_and_a_record_problem") {
        return;
    }
    for (problem, file) in [
        ("knn", "problems/knn/submissions/AC/argsort.py"),
        (
            "impute-median-price",
            "problems/impute-median-price/submissions/AC/pandas_fillna.py",
        ),
    ] {
        let path = repo().join(file);
        let run = judge(&[
            "submit",
            problem,
            path.to_str().unwrap(),
            "--json",
            "--fresh",
        ]);
        let j = report(&run);
        assert_eq!(j["verdict"], "AC", "{problem}: {:#}", first_failure(&j));
        assert_eq!(j["score"], j["max_score"]);
        assert_eq!(run.code, 0);
    }
}

#[test]
fn python_wrong_answer_shows_the_diff_like_rust() {
    if !python_found("python_wrong_answer_shows_the_diff_like_rust") {
        return;
    }
    // np.std without ddof=1: the population deviation.
    let path = repo().join("problems/t-value/submissions/WA/population_std.py");
    let run = judge(&[
        "run",
        "t-value",
        path.to_str().unwrap(),
        "--json",
        "--fresh",
    ]);
    let j = report(&run);
    let failed = first_failure(&j);
    assert_eq!(failed["verdict"], "WA", "{j:#}");
    assert!(failed["diff"]
        .as_str()
        .is_some_and(|d| d.contains('-') && d.contains('+')));
}

#[test]
fn python_wrong_return_type_is_wa_naming_the_expected_type() {
    if !python_found("python_wrong_return_type_is_wa_naming_the_expected_type") {
        return;
    }
    // pandas' indicator columns are bool; the signature wants integers (u8).
    let (_d, run) = judge_python(
        "get-dummies",
        "import pandas as pd\n\ndef get_dummies(column):\n    d = pd.get_dummies(pd.Series(column, dtype=object))\n    return list(d.columns), d.values.tolist()\n",
        "run",
    );
    let failed = first_failure(&report(&run));
    assert_eq!(failed["verdict"], "WA", "{failed:#}");
    let message = failed["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("wrong return type: expected int (u8) at [1][0][0], got bool"),
        "{message}"
    );
    // A tuple where a number goes, a dict missing a key of a record.
    let (_d, run) = judge_python(
        "t-value",
        "def t_value(var, mu0):\n    return (1.0, 2.0)\n",
        "run",
    );
    let message = first_failure(&report(&run))["message"].clone();
    assert!(
        message
            .as_str()
            .is_some_and(|m| m.contains("expected float, got tuple")),
        "{message}"
    );
    let (_d, run) = judge_python(
        "grades-colors",
        "def grades_colors(students):\n    return [{\"name\": s.name, \"grade\": s.grade} for s in students]\n",
        "run",
    );
    let failed = first_failure(&report(&run));
    let message = failed["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("expected Student") && message.contains("a dict with 2 keys"),
        "{message}"
    );
}

#[test]
fn python_returns_in_every_form_the_contract_allows() {
    if !python_found("python_returns_in_every_form_the_contract_allows") {
        return;
    }
    // Records as dicts; a list of records as a DataFrame; a tuple as a list; numpy
    // scalars and arrays where numbers and lists go.
    let sources = [
        (
            "grades-colors",
            "import pandas as pd\n\ndef grades_colors(students):\n    df = pd.DataFrame(students, columns=['name', 'grade', 'favorite_color'])\n    return df[df.favorite_color.isin(['green', 'red']) & (df.grade > 90)]\n",
        ),
        (
            "impute-median-price",
            "from statistics import median\n\ndef impute_median_price(cheeses):\n    present = [c.price for c in cheeses if c.price is not None]\n    fill = median(present) if present else None\n    return [{'name': c.name, 'price': fill if c.price is None else c.price} for c in cheeses]\n",
        ),
        (
            "gradient-descent",
            "import numpy as np\n\ndef gradient_descent(x, y, learning_rate, epochs):\n    s = b = np.float64(0)\n    for _ in range(epochs):\n        r = y - (s * x + b)\n        s, b = s + learning_rate * 2 * np.mean(x * r), b + learning_rate * 2 * np.mean(r)\n    return [s, b]\n",
        ),
        (
            "class-weights",
            "import numpy as np\n\ndef class_weights(labels):\n    classes, counts = np.unique(labels, return_counts=True)\n    return list(zip(classes, len(labels) / (len(classes) * counts)))\n",
        ),
    ];
    for (problem, source) in sources {
        let (_d, run) = judge_python(problem, source, "submit");
        let j = report(&run);
        assert_eq!(j["verdict"], "AC", "{problem}: {:#}", first_failure(&j));
    }
}

#[test]
fn python_exception_is_re_with_its_place_and_prints_do_not_corrupt_the_answer() {
    if !python_found("python_exception_is_re_with_its_place_and_prints_do_not_corrupt_the_answer") {
        return;
    }
    let path = repo().join("problems/fill-none/submissions/RE/index_first.py");
    let run = judge(&[
        "run",
        "fill-none",
        path.to_str().unwrap(),
        "--json",
        "--fresh",
    ]);
    let failed = first_failure(&report(&run));
    assert_eq!(failed["verdict"], "RE", "{failed:#}");
    let message = failed["message"].as_str().unwrap_or_default();
    assert!(
        message
            .contains("IndexError: list index out of range (index_first.py, line 5, in fill_none)"),
        "{message}"
    );
    // Printing JSON, even `1e300`, to stdout does not touch the answer.
    let (_d, run) = judge_python(
        "t-value",
        "import sys\nfrom statistics import mean, stdev\n\ndef t_value(var, mu0):\n    print('1e300')\n    print('[1]', file=sys.stderr)\n    return (mean(var) - mu0) / (stdev(var) / len(var) ** 0.5)\n",
        "submit",
    );
    assert_eq!(report(&run)["verdict"], "AC", "{}", run.stdout);
}

#[test]
fn python_syntax_error_or_missing_function_is_a_compile_error() {
    if !python_found("python_syntax_error_or_missing_function_is_a_compile_error") {
        return;
    }
    let (_d, run) = judge_python(
        "t-value",
        "def t_value(var, mu0:\n    return 0.0\n",
        "submit",
    );
    let j = report(&run);
    assert_eq!(j["verdict"], "CE");
    let stderr = j["compile"]["stderr"].as_str().unwrap_or_default();
    assert!(stderr.contains("File \"solution.py\", line 1"), "{stderr}");
    assert!(stderr.contains("SyntaxError"), "{stderr}");
    assert_eq!(run.code, 1);

    let (_d, run) = judge_python(
        "t-value",
        "def tvalue(var, mu0):\n    return 0.0\n",
        "submit",
    );
    let j = report(&run);
    assert_eq!(j["verdict"], "CE");
    let stderr = j["compile"]["stderr"].as_str().unwrap_or_default();
    assert!(
        stderr.contains("defines no top-level function `t_value`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the judge calls `t_value(var, mu0)`"),
        "{stderr}"
    );
    // Defined inside a class is not top-level; an async def is no plain function.
    for source in [
        "class S:\n    def t_value(var, mu0):\n        return 0.0\n",
        "async def t_value(var, mu0):\n    return 0.0\n",
    ] {
        let (_d, run) = judge_python("t-value", source, "submit");
        assert_eq!(report(&run)["verdict"], "CE", "{source}");
    }
}

#[test]
fn python_time_limit_is_five_times_the_problems() {
    if !python_found("python_time_limit_is_five_times_the_problems") {
        return;
    }
    // t-value's limit is 1000 ms. 1.5 s of CPU time is within Python's 5000 ms.
    let (_d, run) = judge_python(
        "t-value",
        "import time\nfrom statistics import mean, stdev\n\ndef t_value(var, mu0):\n    start = time.process_time()\n    while time.process_time() - start < 1.5:\n        pass\n    return (mean(var) - mu0) / (stdev(var) / len(var) ** 0.5)\n",
        "run",
    );
    let j = report(&run);
    assert_eq!(first_failure(&j), serde_json::Value::Null, "{j:#}");
    // An endless loop is TLE, and the CPU limit it broke is Python's. (On a machine too
    // busy to give it the CPU, the wall clock stops it first: also TLE.)
    let (_d, run) = judge_python(
        "t-value",
        "def t_value(var, mu0):\n    while True:\n        pass\n",
        "run",
    );
    let failed = first_failure(&report(&run));
    assert_eq!(failed["verdict"], "TLE", "{failed:#}");
    let message = failed["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("the limit is 5000 ms") || message.contains("wall-clock"),
        "{message}"
    );
}

#[test]
fn python_stub_is_a_file_that_runs_and_is_judged() {
    if !python_found("python_stub_is_a_file_that_runs_and_is_judged") {
        return;
    }
    let run = judge(&["show", "median-rainfall", "--stub", "--lang", "python"]);
    run.code(0)
        .stdout_has("@dataclass\nclass RainDay:\n    day: str\n    rainfall: float\n")
        .stdout_has("def median_rainfall(df_rain: list[RainDay]) -> float | None:");
    // It compiles and raises NotImplementedError: RE, not CE.
    let (_d, judged) = judge_python("median-rainfall", &run.stdout, "run");
    let failed = first_failure(&report(&judged));
    assert_eq!(failed["verdict"], "RE", "{failed:#}");
    assert!(failed["message"]
        .as_str()
        .is_some_and(|m| m.contains("NotImplementedError")));
}

#[test]
fn python_doctor_says_where_numpy_and_pandas_come_from() {
    if !python_found("python_doctor_says_where_numpy_and_pandas_come_from") {
        return;
    }
    // Once a Python solution was judged, the packages are set up in the shared cache.
    let (_d, run) = judge_python("t-value", "def t_value(var, mu0):\n    return 0.0\n", "run");
    assert!(run.code <= 1, "{}\n{}", run.stdout, run.stderr);
    let doctor = judge(&["doctor"]);
    let line = doctor
        .stdout
        .lines()
        .find(|l| l.contains("function problems:"))
        .unwrap_or_else(|| panic!("no function problems line:\n{}", doctor.stdout));
    assert!(
        line.contains("numpy") && line.contains("pandas") && !line.contains("not set up"),
        "{line}"
    );
    // A fresh cache has none yet, and doctor says what the first judging will do.
    let fresh = tempfile::tempdir().unwrap();
    let doctor = crate::judge_with_cache(fresh.path(), &["doctor"], &[]);
    assert!(
        doctor
            .stdout
            .contains("the first Python judging installs numpy")
            || doctor.stdout.contains("(the interpreter's own)"),
        "{}",
        doctor.stdout
    );
}
