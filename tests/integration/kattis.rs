//! Kattis problem packages (issue 19): the real judge on the packages under
//! `tests/fixtures/kattis/` and on small broken ones written here, one per mistake.

use std::path::Path;

use crate::{fixture, judge, Run};

fn kattis(name: &str) -> String {
    fixture(&format!("kattis/{name}"))
}

/// A package in a temporary folder (named `pkg`, as the format wants lowercase names).
fn package(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join("pkg").join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn pkg(dir: &tempfile::TempDir) -> String {
    dir.path().join("pkg").display().to_string()
}

const ADD_RS: &str = "use std::io::Read;\nfn main() {\n    let mut s = String::new();\n    std::io::stdin().read_to_string(&mut s).unwrap();\n    let v: i64 = s.split_whitespace().map(|w| w.parse::<i64>().unwrap()).sum();\n    println!(\"{v}\");\n}\n";

/// A small valid package: sums of two numbers, explicit time limit.
fn sum_package(extra: &[(&str, &str)]) -> tempfile::TempDir {
    let mut files = vec![
        ("problem.yaml", "name: Sum\nlimits:\n  time_limit: 1\n"),
        ("data/sample/1.in", "1 2\n"),
        ("data/sample/1.ans", "3\n"),
        ("data/secret/1.in", "5 6\n"),
        ("data/secret/1.ans", "11\n"),
        ("submissions/accepted/add.rs", ADD_RS),
    ];
    for (path, text) in extra {
        files.retain(|(p, _)| p != path);
        files.push((path, text));
    }
    package(&files)
}

/// Judges `source` on `package` with `submit --json`.
fn submit(package: &str, source: &str) -> (tempfile::TempDir, Run) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("main.rs");
    std::fs::write(&file, source).unwrap();
    let run = judge(&["submit", package, file.to_str().unwrap(), "--json"]);
    (dir, run)
}

fn verdict(run: &Run) -> String {
    run.json()["verdict"].as_str().unwrap_or("").to_string()
}

#[test]
fn kattis_verify_legacy_package_derives_its_time_limit_and_checks_each_folder() {
    if !crate::kattis_languages::installed(
        &["python"],
        "kattis_verify_legacy_package_derives_its_time_limit_and_checks_each_folder",
    ) {
        return;
    }
    // Its accepted submissions in Python and Rust both run, and both time the limit.
    judge(&["verify", &kattis("add")])
        .code(0)
        .stdout_has("ok      add")
        .stdout_has("time limit 1000 ms (derived: 5 × accepted/")
        .stdout_has("rounded up to a multiple of 1000 ms)")
        .stdout_has("input validator input_validators/validate.py: all 5 inputs valid")
        .stdout_has("submissions/accepted/add.py: AC as expected")
        .stdout_has("submissions/accepted/add.rs: AC as expected")
        // A folder of Rust files is one program, its modules beside main.rs.
        .stdout_has("submissions/accepted/modular: AC as expected")
        .stdout_has("submissions/wrong_answer/overflow.rs: WA as expected on secret/01-big")
        .stdout_has("submissions/time_limit_exceeded/spins.rs: TLE as expected")
        .stdout_has("submissions/run_time_error/unwraps.rs: RE as expected");
}

#[test]
fn kattis_submit_and_run_a_whole_program() {
    let add = kattis("add");
    let accepted = format!("{add}/submissions/accepted/add.rs");
    let run = judge(&["submit", &add, &accepted, "--json"]);
    run.code(0);
    let json = run.json();
    assert_eq!(json["verdict"], "AC");
    assert_eq!(json["groups"][0]["name"], "secret");
    assert_eq!(json["groups"][0]["cases"].as_array().unwrap().len(), 3);
    assert_eq!(json["samples"].as_array().unwrap().len(), 2);
    judge(&["run", &add, &accepted])
        .code(0)
        .stdout_has("samples passed (not a submission)")
        .stdout_lacks("secret/");
    // Judged again unchanged: the report cache answers, as for function problems.
    judge(&["submit", &add, &accepted])
        .code(0)
        .stdout_has("cached result: this exact source was judged before");
    judge(&["submit", "--fresh", &add, &accepted])
        .code(0)
        .stdout_lacks("cached result");
    let wrong = format!("{add}/submissions/wrong_answer/overflow.rs");
    judge(&["submit", &add, &wrong])
        .code(1)
        .stdout_has("verdict: WA (wrong answer) on secret/01-big, group secret")
        // A hidden case says how it failed, without the expected token.
        .stdout_has("wrong answer: token 1 (line 1) differs")
        .stdout_lacks("4000000000");
}

#[test]
fn kattis_show_prints_latex_as_text_and_a_stub_that_compiles() {
    judge(&["show", &kattis("add")])
        .code(0)
        .stdout_has("# Add Two Numbers")
        .stdout_has("print their sum.")
        .stdout_has("## Input")
        .stdout_has("Input:\n\n```\n1 2\n```")
        .stdout_has("A solution is a whole program, in any language the judge runs")
        .stdout_lacks("\\section")
        .stdout_lacks("\\textbf");
    judge(&["show", &kattis("floats")])
        .code(0)
        .stdout_has("# Average")
        .stdout_has("Print the **average**");
    let stub = judge(&["show", &kattis("add"), "--stub"]);
    stub.code(0);
    let (_dir, run) = submit(&kattis("add"), &stub.stdout);
    // todo!() panics: the stub compiles and runs.
    assert_eq!(verdict(&run), "RE", "{}", run.stdout);
}

#[test]
fn kattis_list_and_submit_by_id_in_a_bank() {
    let bank = tempfile::tempdir().unwrap();
    let problems = bank.path().join("problems");
    copy_dir(Path::new(&kattis("floats")), &problems.join("floats"));
    let bank_dir = bank.path().to_str().unwrap();
    judge(&["list", "--bank", bank_dir])
        .code(0)
        .stdout_has("Kattis packages (stdin/stdout programs)")
        // The state column is the user's own record, shared by the tests' cache.
        .stdout_has("floats  ")
        .stdout_has("Average (4 cases)");
    judge(&["list", "--bank", bank_dir, "--difficulty", "easy"])
        .code(0)
        .stdout_lacks("floats");
    let json = judge(&["list", "--bank", bank_dir, "--json"]);
    json.code(0);
    assert_eq!(json.json()[0]["id"], "floats");
    assert_eq!(json.json()[0]["format"], "kattis");
    let solution = format!("{}/submissions/accepted/scientific.rs", kattis("floats"));
    judge(&["submit", "--bank", bank_dir, "floats", &solution]).code(0);
}

pub(crate) fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn kattis_default_validator_float_tolerance() {
    judge(&["verify", &kattis("floats")])
        .code(0)
        .stdout_has("submissions/accepted/scientific.rs: AC as expected")
        .stdout_has("submissions/wrong_answer/two_decimals.rs: WA as expected on sample/1");
    // Without the flag, exponent notation is a different token.
    let strict = sum_package(&[
        ("data/sample/1.in", "1 2\n"),
        ("data/sample/1.ans", "1.5\n"),
        ("data/secret/1.ans", "5.5\n"),
    ]);
    let (_d, run) = submit(&pkg(&strict), "fn main() { println!(\"{:e}\", 1.5); }");
    run.code(1);
    assert_eq!(verdict(&run), "WA");
    let message = run.json()["samples"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        message.contains("expected \"1.5\", found \"1.5e0\""),
        "{message}"
    );
}

#[test]
fn kattis_default_validator_case_and_space_flags() {
    let yes = sum_package(&[
        (
            "problem.yaml",
            "name: Yes\nlimits:\n  time_limit: 1\nvalidator_flags: case_sensitive\n",
        ),
        ("data/sample/1.ans", "Yes\n"),
        ("data/secret/1.ans", "Yes\n"),
    ]);
    let (_d, run) = submit(&pkg(&yes), "fn main() { println!(\"YES\"); }");
    assert_eq!(verdict(&run), "WA");
    let (_d, run) = submit(&pkg(&yes), "fn main() { println!(\"Yes\"); }");
    assert_eq!(verdict(&run), "AC");
    let spaces = sum_package(&[
        (
            "problem.yaml",
            "name: S\nlimits:\n  time_limit: 1\nvalidator_flags: space_change_sensitive\n",
        ),
        ("data/sample/1.ans", "1 2\n"),
        ("data/secret/1.ans", "1 2\n"),
    ]);
    let (_d, run) = submit(&pkg(&spaces), "fn main() { println!(\"1  2\"); }");
    assert_eq!(verdict(&run), "WA");
    let (_d, run) = submit(&pkg(&spaces), "fn main() { println!(\"1 2\"); }");
    assert_eq!(verdict(&run), "AC");
}

#[test]
fn kattis_custom_output_validators_in_cpp_rust_and_python() {
    for lang in ["cpp", "rs", "py"] {
        judge(&["verify", &kattis(&format!("divisor-{lang}"))])
            .code(0)
            .stdout_has("submissions/accepted/smallest.rs: AC as expected")
            .stdout_has("submissions/wrong_answer/prints_n.rs: WA as expected on sample/1");
    }
    // The validator's teammessage.txt is shown; judgemessage.txt on a sample too.
    let wrong = format!(
        "{}/submissions/wrong_answer/prints_n.rs",
        kattis("divisor-cpp")
    );
    judge(&["run", &kattis("divisor-cpp"), &wrong])
        .code(1)
        .stdout_has("wrong answer: 12 is not a divisor strictly between 1 and n");
}

#[test]
fn kattis_scoring_subtasks_give_partial_scores() {
    judge(&["verify", &kattis("subtasks")])
        .code(0)
        .stdout_has("submissions/accepted/i64.rs: AC with 100/100 as expected")
        .stdout_has("submissions/partially_accepted/i32.rs: AC with 30/100 as expected")
        .stdout_has("submissions/wrong_answer/zero.rs: WA as expected on sample/1");
    let partial = format!(
        "{}/submissions/partially_accepted/i32.rs",
        kattis("subtasks")
    );
    let run = judge(&["submit", &kattis("subtasks"), &partial, "--json"]);
    let json = run.json();
    assert_eq!(json["verdict"], "AC");
    assert_eq!(json["score"], 30);
    assert_eq!(json["max_score"], 100);
    let groups: Vec<(String, u64, u64)> = json["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["name"].as_str().unwrap().to_string(),
                g["score"].as_u64().unwrap(),
                g["max_score"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            ("secret/1-small".to_string(), 30, 30),
            ("secret/2-large".to_string(), 0, 70)
        ]
    );
}

#[test]
fn kattis_a_failing_input_validator_names_the_file() {
    judge(&["verify", &kattis("bad-input")])
        .code(1)
        .stdout_has("FAILED  bad-input")
        .stdout_has("data/secret/negative.in: rejected by input validator input_validators/positive.rs (exit code 43; 42 means valid)")
        .stdout_has("not a positive integer below 10^4: \"-3\"")
        .stdout_lacks("data/secret/ok.in");
}

#[test]
fn kattis_interactive_problem_with_a_rust_interactor() {
    judge(&["verify", &kattis("guess")])
        .code(0)
        .stdout_has("submissions/accepted/bisect.rs: AC as expected")
        .stdout_has("submissions/wrong_answer/counts_up.rs: WA as expected")
        .stdout_has("submissions/run_time_error/panics.rs: RE as expected")
        .stdout_has("submissions/time_limit_exceeded/waits.rs: TLE as expected");
    judge(&["show", &kattis("guess")])
        .code(0)
        .stdout_has("This problem is interactive")
        .stdout_has("## Sample interaction 1")
        .stdout_has("> 500\n< lower\n")
        .stdout_lacks("Input:");
    let wrong = format!("{}/submissions/wrong_answer/counts_up.rs", kattis("guess"));
    judge(&["submit", &kattis("guess"), &wrong])
        .code(1)
        .stdout_has("wrong answer: more than ten guesses");
}

#[test]
fn kattis_hostile_programs_on_a_stdin_stdout_problem() {
    let add = kattis("add");
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "endless output",
            "use std::io::Write; fn main() { let block = [b'3'; 1 << 16]; let mut o = std::io::stdout(); loop { let _ = o.write_all(&block); } }",
            &["OLE"],
        ),
        (
            "fork bomb",
            "fn main() { loop { unsafe { libc_fork(); } } } extern \"C\" { #[link_name = \"fork\"] fn libc_fork() -> i32; }",
            &["RE", "TLE", "MLE"],
        ),
        (
            "sleeping",
            "fn main() { std::thread::sleep(std::time::Duration::from_secs(60)); println!(\"3\"); }",
            &["TLE"],
        ),
        (
            "panics",
            "fn main() { let v: Vec<i32> = Vec::new(); println!(\"{}\", v[1]); }",
            &["RE"],
        ),
        (
            "exits early with success",
            "fn main() { std::process::exit(0); }",
            &["WA"],
        ),
    ];
    for (what, source, allowed) in cases {
        let (_dir, run) = submit(&add, source);
        let got = verdict(&run);
        assert!(
            allowed.contains(&got.as_str()),
            "{what}: got {got}\n{}",
            run.stdout
        );
    }
    // The package's answer files are not in the box: reading one fails, so the program
    // cannot copy the expected answer.
    let answer = format!("{add}/data/secret/01-big.ans");
    let source = format!(
        "fn main() {{ match std::fs::read_to_string({answer:?}) {{ Ok(s) => print!(\"{{s}}\"), Err(_) => println!(\"unreadable\") }} }}"
    );
    let (_dir, run) = submit(&add, &source);
    assert_eq!(verdict(&run), "WA", "{}", run.stdout);
    assert_eq!(
        run.json()["samples"][0]["output"].as_str().unwrap(),
        "unreadable",
        "{}",
        run.stdout
    );
}

#[test]
fn kattis_broken_packages_name_the_file_and_key() {
    let cases: &[(&[(&str, &str)], &str)] = &[
        (
            &[("problem.yaml", "name: Sum\nlimits:\n  tme_limit: 1\n")],
            "problem.yaml:3: `limits.tme_limit`: unknown key `tme_limit`",
        ),
        (
            &[("problem.yaml", "name: Sum\nlimits:\n  memory: lots\n")],
            "`limits.memory`: expected a number, found the string \"lots\"",
        ),
        (
            &[("problem.yaml", "name: [Sum\n")],
            "problem.yaml:2: not valid YAML",
        ),
        (
            &[("data/secret/2.in", "1 1\n")],
            "data/secret/2.in: the test case has no answer file 2.ans beside it",
        ),
        (
            &[("problem.yaml", "name: Sum\nvalidator_flags: float_tolerance\n")],
            "`validator_flags`: `float_tolerance` needs a number after it",
        ),
        (
            &[("data/secret/testdata.yaml", "output_validator_flags: case_insensitive\n")],
            "data/secret/testdata.yaml: `output_validator_flags`: unknown flag `case_insensitive`",
        ),
        (
            &[("data/secret/testdata.yaml", "grader_flags: median\n")],
            "`grader_flags`: unknown grader flag `median`",
        ),
        (
            &[("data/secret/testdata.yaml", "accept_score: 5\n")],
            "`accept_score`: `accept_score` may only be given for scoring problems",
        ),
        (
            &[("problem.yaml", "name: Sum\nvalidation: custom\n")],
            "problem.yaml:2: `validation`: custom validation needs an output validator, and the package has none",
        ),
        (
            &[("problem.yaml", "name: Sum\nvalidation: strict\n")],
            "`validation`: expected `default` or `custom ...`, found `strict`",
        ),
        (
            &[("problem.yaml", "problem_format_version: 2023-07-draft\nname: S\ntype: multi-pass\n")],
            "`type`: `multi-pass` problems are not supported",
        ),
        (
            &[("problem.yaml", "problem_format_version: 2019-01\nname: S\n")],
            "`problem_format_version`: unknown format version `2019-01`",
        ),
        (
            &[("problem.yaml", "name: S\ntype: speedrun\n")],
            "`type`: unknown problem type `speedrun`",
        ),
        (
            &[("problem.yaml", "name: S\ntype: pass-fail scoring\n")],
            "`type`: `pass-fail` and `scoring` exclude each other",
        ),
        (
            &[("problem.yaml", "name: S\nvalidation: custom score\n")],
            "`validation`: `custom score` needs a scoring problem (`type: scoring`)",
        ),
        (
            &[("problem.yaml", "name: S\nvalidation: custom fast\n")],
            "`validation`: unknown validation word `fast`",
        ),
        (
            &[("problem.yaml", "name: [S, T]\n")],
            "`name`: expected a string, found a list",
        ),
        (
            &[("problem.yaml", "name: S\n1: x\n")],
            "keys must be words, found the number 1",
        ),
        (
            &[("problem.yaml", "name: S\nkeywords: {a: 1}\n")],
            "`keywords`: expected a string of words or a list of strings, found a map",
        ),
        (
            &[("data/secret/testdata.yaml", "on_reject: stop\n")],
            "`on_reject`: expected `break` or `continue`, found `stop`",
        ),
        (
            &[
                ("problem.yaml", "name: S\ntype: scoring\n"),
                ("data/secret/testdata.yaml", "grading: custom\n"),
            ],
            "`grading`: `grading: custom` needs a grader program in graders/, and the package has none",
        ),
        (
            &[("data/secret/testdata.yaml", "scoring:\n  score: 10\n")],
            "`scoring`: `scoring` is a key of the 2023-07 and 2025-09 formats, which this package (format legacy) does not use here",
        ),
        (
            &[
                ("problem.yaml", "problem_format_version: 2025-09\nname: S\n"),
                ("data/secret/test_group.yaml", "max_score: 10\n"),
            ],
            "`max_score`: `max_score` may only be given for scoring problems (`type: scoring` in problem.yaml; format 2025-09)",
        ),
        (
            &[
                ("problem.yaml", "name: S\ntype: scoring\n"),
                ("data/secret/testdata.yaml", "range: 10 0\n"),
            ],
            "`range`: expected two numbers, the lower first (like `0 100` or `-inf +inf`), found `10 0`",
        ),
        (
            &[
                ("problem.yaml", "problem_format_version: 2023-07-draft\nname: S\ntype: scoring\n"),
                ("data/secret/test_group.yaml", "scoring:\n  aggregation: max\n"),
            ],
            "`scoring.aggregation`: expected `pass-fail`, `sum` or `min`, found `max`",
        ),
        (
            &[
                ("problem.yaml", "name: S\nvalidation: custom\n"),
                ("output_validators/a.py", ""),
                ("output_validators/b.py", ""),
            ],
            "output_validators: 2 output validators; the judge runs one",
        ),
        (
            &[
                ("problem.yaml", "name: S\nvalidation: custom\n"),
                ("output_validators/check.java", ""),
            ],
            "check.java: the output validator is in no language the judge builds",
        ),
    ];
    for (files, message) in cases {
        let dir = sum_package(files);
        let run = judge(&["show", &pkg(&dir)]);
        run.code(2).stderr_has(message);
    }
    let empty = package(&[("problem.yaml", "name: Sum\n")]);
    judge(&["show", &pkg(&empty)])
        .code(2)
        .stderr_has("data/secret: a package needs its secret test data here");
    // An empty data/secret (a generator's package before it ran) is read and shown;
    // verify says what it lacks.
    let no_cases = package(&[("problem.yaml", "name: Sum\n"), ("data/secret/README", "")]);
    judge(&["show", &pkg(&no_cases)])
        .code(0)
        .stdout_has("# Sum");
    judge(&["verify", &pkg(&no_cases)])
        .code(1)
        .stdout_has("warning: data/secret: no test cases (the judge runs no generators): submissions are judged on the samples alone");
}

#[test]
fn kattis_judging_errors_are_the_packages_not_the_candidates() {
    // A validator that does not compile.
    let broken = sum_package(&[
        (
            "problem.yaml",
            "name: Sum\nvalidation: custom\nlimits:\n  time_limit: 1\n",
        ),
        ("output_validators/check.cpp", "int main( {"),
    ]);
    let (_d, run) = submit(&pkg(&broken), ADD_RS);
    run.code(2)
        .stderr_has("the output validator ")
        .stderr_has("check.cpp does not compile");
    // A validator that exits with neither 42 nor 43: a judge error on the case.
    let zero = sum_package(&[
        (
            "problem.yaml",
            "name: Sum\nvalidation: custom\nlimits:\n  time_limit: 1\n",
        ),
        ("output_validators/check.py", "import sys\nsys.exit(0)\n"),
    ]);
    let (_d, run) = submit(&pkg(&zero), ADD_RS);
    run.code(2);
    assert_eq!(verdict(&run), "JE");
    let message = run.json()["samples"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        message.contains("the output validator exited with code 0 (it must exit with 42 to accept or 43 to reject)"),
        "{message}"
    );
    // A validator over the package's validation_time.
    let slow = sum_package(&[
        (
            "problem.yaml",
            "name: Sum\nvalidation: custom\nlimits:\n  time_limit: 1\n  validation_time: 1\n",
        ),
        ("output_validators/check.py", "while True:\n    pass\n"),
    ]);
    let (_d, run) = submit(&pkg(&slow), ADD_RS);
    run.code(2);
    let message = run.json()["samples"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(message, "the output validator ran out of time");
    // No time limit and nothing to derive it from.
    let untimed = sum_package(&[("problem.yaml", "name: Sum\n")]);
    std::fs::remove_dir_all(untimed.path().join("pkg/submissions")).unwrap();
    let (_d, run) = submit(&pkg(&untimed), ADD_RS);
    run.code(2)
        .stderr_has("gives no time limit (limits.time_limit) and has no accepted submission the judge can run here");
    // An accepted submission that is wrong cannot set the time limit.
    let misfiled = sum_package(&[
        ("problem.yaml", "name: Sum\n"),
        (
            "submissions/accepted/add.rs",
            "fn main() { println!(\"0\"); }",
        ),
    ]);
    let (_d, run) = submit(&pkg(&misfiled), ADD_RS);
    run.code(2).stderr_has(
        "the time limit is derived from the accepted submissions, but accepted/add.rs got WA",
    );
    // The solution file must be there.
    judge(&["submit", &kattis("add"), "/nonexistent/main.rs"])
        .code(2)
        .stderr_has("no solution file at /nonexistent/main.rs");
}

#[test]
fn kattis_verify_reports_misfiled_submissions_and_input_validator_errors() {
    let dir = sum_package(&[
        ("submissions/partially_accepted/add.rs", ADD_RS),
        ("submissions/wrong_answer/right.rs", ADD_RS),
        ("input_validators/check.cpp", "int main( {"),
    ]);
    judge(&["verify", &pkg(&dir)])
        .code(1)
        .stdout_has("submissions/wrong_answer/right.rs: got AC: no case got WA (the wrong_answer folder's default requires one)")
        .stdout_has("submissions/partially_accepted/add.rs: got AC: expected AC with a partial score, which only a scoring problem (type: scoring) has")
        .stdout_has("input validator input_validators/check.cpp could not be built, so the inputs are unchecked by it");
    // A checktestdata validator runs: one that rejects the package's inputs names them.
    if checktestdata_installed(
        "kattis_verify_reports_misfiled_submissions_and_input_validator_errors",
    ) {
        let ctd = sum_package(&[("input_validators/check.ctd", "INT(1,10) NEWLINE EOF")]);
        judge(&["verify", &pkg(&ctd)])
            .code(1)
            .stdout_has("data/sample/1.in: rejected by input validator input_validators/check.ctd (exit code 1; 0, for checktestdata, means valid)");
    }
    // A custom validator that rejects the package's own answer file.
    let strict = sum_package(&[
        ("problem.yaml", "name: Sum\nvalidation: custom\nlimits:\n  time_limit: 1\n"),
        (
            "output_validators/check.py",
            "import sys\nout = sys.stdin.read().split()\nif out != ['3'] and out != ['11']:\n    open(sys.argv[3] + 'teammessage.txt', 'w').write('not 3 or 11')\n    sys.exit(43)\nsys.exit(42)\n",
        ),
        ("data/secret/2.in", "2 2\n"),
        ("data/secret/2.ans", "4\n"),
    ]);
    judge(&["verify", &pkg(&strict)])
        .code(1)
        .stdout_has("data/secret/2.ans: the output validator does not accept the answer file as an output (exit code 43): not 3 or 11")
        .stdout_lacks("data/secret/1.ans");
    // An explicit limit with less margin over the slowest accepted case than the package's
    // multiplier asks is passed, with a warning.
    let tight = sum_package(&[
        (
            "problem.yaml",
            "name: Sum\nlimits:\n  time_limit: 1\n  time_multiplier: 20\n",
        ),
        (
            "submissions/accepted/add.rs",
            // 300 ms of its own CPU time (CLOCK_PROCESS_CPUTIME_ID), not of the wall clock:
            // on a loaded machine 300 ms of wall time can be a few ms of CPU.
            "use std::io::Read;\nextern \"C\" { fn clock_gettime(clock: i32, ts: *mut [i64; 2]) -> i32; }\nfn main() { let mut ts = [0i64; 2]; while ts[0] * 1000 + ts[1] / 1_000_000 < 300 { unsafe { clock_gettime(2, &mut ts); } } let mut s = String::new(); std::io::stdin().read_to_string(&mut s).unwrap(); let v: i64 = s.split_whitespace().map(|w| w.parse::<i64>().unwrap()).sum(); println!(\"{v}\"); }",
        ),
    ]);
    judge(&["verify", &pkg(&tight)])
        .code(0)
        .stdout_has("warning: submissions/accepted/add.rs's slowest case (")
        .stdout_has("× 20 is over the time limit of 1000 ms");
    let none = sum_package(&[]);
    std::fs::remove_dir_all(none.path().join("pkg/submissions")).unwrap();
    judge(&["verify", &pkg(&none)])
        .code(1)
        .stdout_has("no accepted submission: put at least one under submissions/accepted/");
}

#[test]
fn kattis_a_compile_error_is_ce() {
    let (_d, run) = submit(&kattis("add"), "fn main() { let x: i32 = \"no\"; }");
    run.code(1);
    assert_eq!(verdict(&run), "CE");
    assert!(run.json()["compile"]["stderr"]
        .as_str()
        .unwrap()
        .contains("main.rs"));
}

#[test]
fn kattis_new_scaffolds_a_package_that_verifies() {
    let bank = tempfile::tempdir().unwrap();
    let bank_dir = bank.path().to_str().unwrap();
    judge(&["new", "--kattis", "sumlist", "--bank", bank_dir])
        .code(0)
        .stdout_has("problems/sumlist/problem.yaml")
        .stdout_has("AUTHORING.md's section on Kattis packages");
    judge(&["verify", "--bank", bank_dir, "sumlist"])
        .code(0)
        .stdout_has("ok      sumlist")
        .stdout_has("input validator input_validators/validate.rs: all 5 inputs valid")
        .stdout_has("submissions/wrong_answer/i32.rs: WA as expected on secret/03-large")
        .stdout_has("submissions/run_time_error/first_line.rs: RE as expected");
    judge(&["new", "--kattis", "sumlist", "--bank", bank_dir])
        .code(2)
        .stderr_has("already exists; `judge new` never overwrites a problem");
    judge(&["new", "--kattis", "sum-list", "--bank", bank_dir])
        .code(2)
        .stderr_has("`sum-list` is not a package name: the Kattis format wants lowercase letters and digits only");
}

#[test]
fn kattis_function_problem_commands_refuse_a_package() {
    let add = kattis("add");
    let solution = format!("{add}/submissions/accepted/add.rs");
    for args in [
        vec!["cases", add.as_str()],
        vec!["stress", add.as_str(), solution.as_str()],
        vec!["verify", "--calibrate", add.as_str()],
        vec![
            "run",
            add.as_str(),
            solution.as_str(),
            "--input",
            solution.as_str(),
        ],
    ] {
        judge(&args)
            .code(2)
            .stderr_has("is a Kattis package: `judge ")
            .stderr_has("works on function problems (problem.toml) only");
    }
}

#[test]
fn kattis_a_scoring_validator_gives_each_case_its_score() {
    // `validation: custom score`: the validator's score.txt is the case's score, summed.
    let dir = sum_package(&[
        (
            "problem.yaml",
            "name: Sum\ntype: scoring\nvalidation: custom score\nlimits:\n  time_limit: 1\n",
        ),
        ("data/secret/2.in", "1 1\n"),
        ("data/secret/2.ans", "2\n"),
        // The most a submission can score: the scores the validator gives are its own.
        ("data/secret/testdata.yaml", "range: 0 20\n"),
        (
            "output_validators/score.py",
            "import sys\nout = sys.stdin.read().split()\nwith open(sys.argv[3] + 'score.txt', 'w') as f:\n    f.write(str(min(int(out[0]), 10)) if out else '0')\nsys.exit(42 if out else 43)\n",
        ),
    ]);
    let (_d, run) = submit(&pkg(&dir), "fn main() { println!(\"7\"); }");
    run.code(0);
    let json = run.json();
    assert_eq!(json["verdict"], "AC", "{}", run.stdout);
    assert_eq!(json["score"], 14, "two secret cases of 7: {}", run.stdout);
    assert_eq!(json["max_score"], 20, "{}", run.stdout);
}

#[test]
fn kattis_hostile_programs_see_no_network_shell_or_judge_environment() {
    let add = kattis("add");
    let verdicts: &[(&str, &str, &str)] = &[
        (
            "heap bomb",
            "fn main() { let v = vec![1u8; 1 << 34]; println!(\"{}\", v.iter().map(|&b| b as u64).sum::<u64>()); }",
            "MLE",
        ),
        (
            "stack overflow",
            "fn f(n: u64) -> u64 { let a = [n; 1000]; std::hint::black_box(&a); f(n + 1) + a[0] } fn main() { println!(\"{}\", f(0)); }",
            "RE",
        ),
    ];
    for (what, source, expected) in verdicts {
        let (_dir, run) = submit(&add, source);
        assert_eq!(verdict(&run), *expected, "{what}: {}", run.stdout);
    }
    // What the program saw, printed on the first sample (whose output is shown).
    let seen = |source: &str| -> String {
        let (_dir, run) = submit(&add, source);
        assert_eq!(verdict(&run), "WA", "{}", run.stdout);
        run.json()["samples"][0]["output"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    let network = seen(
        "fn main() { match std::net::TcpStream::connect(\"127.0.0.1:22\") { Ok(_) => println!(\"connected\"), Err(_) => println!(\"no network\") } }",
    );
    assert_eq!(network, "no network");
    let shell = seen(
        "fn main() { match std::process::Command::new(\"/bin/sh\").arg(\"-c\").arg(\"echo hi\").output() { Ok(o) => println!(\"ran {:?}\", o.stdout), Err(_) => println!(\"no shell\") } }",
    );
    assert_eq!(shell, "no shell");
    let environment = seen(
        "fn main() { let names: Vec<String> = std::env::vars().map(|(k, _)| k).collect(); println!(\"{}\", names.join(\",\")); }",
    );
    assert!(!environment.contains("JUDGE"), "{environment}");
    assert!(!environment.contains("PATH"), "{environment}");
}

// Issue 29: packages as they exist in the wild, vendored unchanged under
// tests/fixtures/kattis/wild/ (their licences beside them).

fn wild(name: &str) -> String {
    fixture(&format!("kattis/wild/{name}"))
}

/// Checktestdata runs as the `checktestdata` Python package: a test that needs it says
/// SKIPPED without it, and fails under CI=true (.ci/run installs it).
pub fn checktestdata_installed(test: &str) -> bool {
    let found = std::process::Command::new("python3")
        .args(["-c", "import checktestdata"])
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none_or(|v| v != "true"),
            "checktestdata is not installed (pip install checktestdata), and CI=true requires it"
        );
        eprintln!("SKIPPED {test}: checktestdata is not installed (pip install checktestdata)");
    }
    found
}

/// A copy of a vendored package in a temporary folder, to change.
fn wild_copy(name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let to = dir.path().join(name.rsplit('/').next().unwrap());
    copy_dir(Path::new(&wild(name)), &to);
    (dir, to)
}

#[test]
fn kattis_wild_packages_load_run_their_validators_and_name_what_they_skip() {
    if !checktestdata_installed(
        "kattis_wild_packages_load_run_their_validators_and_name_what_they_skip",
    ) {
        return;
    }
    // BAPCtools' 2025-09 `different`: a checktestdata and a Python input validator, a C++
    // output validator with its header (its submissions in C, C++, Java and Python:
    // kattis_languages.rs checks each one's verdict).
    judge(&["verify", &wild("bapctools/different")])
        .stdout_has("format 2025-09")
        .stdout_has("input validator input_validators/different.ctd: all 3 inputs valid")
        .stdout_has("input validator input_validators/validate.py: all 3 inputs valid")
        .stdout_has("submissions/accepted/different.rs.disabled: turned off by its name")
        .stdout_lacks("different.cs.disabled: not run");
    // problemtools' 2023-07-draft `guess` keeps its validator one folder down.
    judge(&["verify", &wild("problemtools/guess")])
        .stdout_has("format 2023-07-draft")
        .stdout_has("input validator input_validators/validate.py: all 10 inputs valid")
        .stdout_lacks("in no language the judge builds");
    judge(&["show", &wild("problemtools/guess")])
        .code(0)
        .stdout_has("# Guess the Number")
        .stdout_has("## Sample interaction 1");
    // The format's own 2025-09 examples, with their earlier-draft test data files.
    judge(&["verify", &wild("format/passfail")])
        .stdout_has("warning: problem.yaml: `source_url` is a legacy key")
        .stdout_has("input validator input_validators/validator.ctd: all 4 inputs valid");
    judge(&["show", &wild("format/scoring")])
        .code(0)
        .stdout_has("# Sample Scoring problem")
        .stdout_lacks("\\problemname");
}

#[test]
fn kattis_wild_scoring_example_gives_the_partial_score_its_subtasks_define() {
    if !checktestdata_installed(
        "kattis_wild_scoring_example_gives_the_partial_score_its_subtasks_define",
    ) {
        return;
    }
    // The format's scoring example with its three Python submissions written in Rust
    // (the same programs: echo, absolute value, a constant): the scores are the format's,
    // whatever the language (kattis_languages.rs verifies the Python ones as downloaded).
    let (_d, scoring) = wild_copy("format/scoring");
    let subs = scoring.join("submissions");
    for (path, text) in [
        ("accepted/solution.py", None),
        ("partially_accepted/partial_solution.py", None),
        ("wrong_answer/constant.py", None),
        (
            "accepted/echo.rs",
            Some("fn main() { let mut s = String::new(); std::io::stdin().read_line(&mut s).unwrap(); print!(\"{s}\"); }"),
        ),
        (
            "partially_accepted/abs.rs",
            Some("fn main() { let mut s = String::new(); std::io::stdin().read_line(&mut s).unwrap(); let v: i64 = s.trim().parse().unwrap(); println!(\"{}\", v.abs()); }"),
        ),
        ("wrong_answer/constant.rs", Some("fn main() { println!(\"42\"); }")),
    ] {
        match text {
            None => std::fs::remove_file(subs.join(path)).unwrap(),
            Some(t) => std::fs::write(subs.join(path), t).unwrap(),
        }
    }
    let s = scoring.display().to_string();
    judge(&["verify", &s])
        .code(0)
        .stdout_has("time limit 1000 ms (derived: 2 × accepted/echo.rs")
        .stdout_has("submissions/accepted/echo.rs: AC with 100/100 as expected")
        .stdout_has("submissions/partially_accepted/abs.rs: AC with 30/100 as expected")
        .stdout_has("submissions/wrong_answer/constant.rs: WA as expected");
    let partial = subs.join("partially_accepted/abs.rs");
    let run = judge(&["submit", &s, partial.to_str().unwrap(), "--json"]);
    run.code(0);
    let json = run.json();
    assert_eq!(json["verdict"], "AC");
    assert_eq!(json["score"], 30);
    assert_eq!(json["max_score"], 100);
    // A rule of submissions.yaml the submission breaks is named with the case.
    std::fs::write(
        subs.join("submissions.yaml"),
        "partially_accepted/*:\n  score: [50, 100]\nwrong_answer/*:\n  secret/subtask1:\n    required: [TLE]\n",
    )
    .unwrap();
    judge(&["verify", &s])
        .code(1)
        .stdout_has("submissions/partially_accepted/abs.rs: got AC with 30/100 on secret/subtask2/1: score 30 is not in 50..=100 (submissions.yaml: partially_accepted/*)")
        .stdout_has("no case in secret/subtask1 got TLE (submissions.yaml: wrong_answer/* (secret/subtask1) requires one)");
}

#[test]
fn kattis_checktestdata_names_the_input_it_rejects() {
    if !checktestdata_installed("kattis_checktestdata_names_the_input_it_rejects") {
        return;
    }
    let (_d, different) = wild_copy("bapctools/different");
    std::fs::write(
        different.join("data/secret/03-big.in"),
        "1 10000000000000000\n",
    )
    .unwrap();
    std::fs::write(
        different.join("data/secret/03-big.ans"),
        "9999999999999999\n",
    )
    .unwrap();
    judge(&["verify", different.to_str().unwrap()])
        .code(1)
        .stdout_has("data/secret/03-big.in: rejected by input validator input_validators/different.ctd (exit code 1; 0, for checktestdata, means valid)")
        .stdout_has("data/secret/03-big.in: rejected by input validator input_validators/validate.py (exit code 1; 42 means valid)");
}

#[test]
fn kattis_build_and_run_scripts_make_an_output_validator() {
    // A DOMjudge-style validator folder: `build` compiles with cc, `run` starts the result.
    let validator = "#include <stdio.h>\nint main(int argc, char **argv) { FILE *a = fopen(argv[2], \"r\"); long want, got; if (fscanf(a, \"%ld\", &want) != 1) return 1; if (scanf(\"%ld\", &got) != 1) return 43; return got == want ? 42 : 43; }\n";
    let dir = sum_package(&[
        (
            "problem.yaml",
            "problem_format_version: 2025-09\nname: Sum\nuuid: x\nlimits:\n  time_limit: 1\n",
        ),
        ("output_validator/check.c", validator),
        (
            "output_validator/build",
            "#!/bin/sh\ncc -O2 -o checker check.c\n",
        ),
        (
            "output_validator/run",
            "#!/bin/sh\nexec \"$(dirname \"$0\")/checker\" \"$@\"\n",
        ),
    ]);
    let (_d, run) = submit(&pkg(&dir), ADD_RS);
    run.code(0);
    assert_eq!(verdict(&run), "AC");
    let (_d, run) = submit(&pkg(&dir), "fn main() { println!(\"12\"); }");
    assert_eq!(verdict(&run), "WA");
    // A build that fails is the package's fault, named.
    let broken = sum_package(&[
        (
            "problem.yaml",
            "problem_format_version: 2025-09\nname: Sum\nuuid: x\nlimits:\n  time_limit: 1\n",
        ),
        (
            "output_validator/build",
            "#!/bin/sh\necho no compiler for you >&2\nexit 3\n",
        ),
    ]);
    judge(&["verify", &pkg(&broken)])
        .code(1)
        .stdout_has("does not compile:")
        .stdout_has("no compiler for you");
}

#[test]
fn kattis_newer_keys_constants_and_timelimit_files() {
    // Refused by the legacy format, naming the key, the file and the version.
    let dir = sum_package(&[("problem.yaml", "name: Sum\nconstants:\n  n: 3\n")]);
    judge(&["verify", &pkg(&dir)])
        .code(2)
        .stdout_has("problem.yaml:2: `constants`: `constants` is a key of the 2023-07 and 2025-09 formats, not of the legacy format");
    // Read in 2025-09: put into a Python output validator and a Rust submission.
    let dir = sum_package(&[
        ("problem.yaml", "problem_format_version: 2025-09\nname: Sum\nuuid: x\nconstants:\n  bonus: 0\n"),
        ("output_validator/check.py", "import sys\nwant = int(open(sys.argv[2]).read()) + {{bonus}}\nsys.exit(42 if int(sys.stdin.read()) == want else 43)\n"),
        ("submissions/accepted/add.rs", &ADD_RS.replace("println!(\"{v}\")", "println!(\"{}\", v + {{bonus}})")),
        (".timelimit", "2\n"),
    ]);
    judge(&["verify", &pkg(&dir)])
        .code(0)
        .stdout_has("time limit 2000 ms (.timelimit)")
        .stdout_has("submissions/accepted/add.rs: AC as expected");
}

#[test]
fn kattis_python2_and_unknown_validators_fail_verify_by_name() {
    let dir = sum_package(&[
        (
            "input_validators/old.py",
            "#!/usr/bin/env python2\nimport sys\nsys.exit(42)\n",
        ),
        ("input_validators/older.py2", "import sys\nsys.exit(42)\n"),
        ("input_validators/grammar.viva", "x"),
    ]);
    // Never run as Python 3, where it might pass or fail for the wrong reason.
    let python2 = "is Python 2 (a .py2 file, or a first line naming python2), which the judge does not run: python2 is not installed here, and Python 2 is never run as Python 3";
    judge(&["verify", &pkg(&dir)])
        .code(1)
        .stdout_has("input validator input_validators/old.py could not be built, so the inputs are unchecked by it")
        .stdout_has(&format!("input_validators/old.py {python2}"))
        .stdout_has("input validator input_validators/older.py2 could not be built")
        .stdout_has(&format!("input_validators/older.py2 {python2}"))
        .stdout_has("input validator input_validators/grammar.viva: not run (VIVA validators");
}

#[test]
fn kattis_show_says_where_each_statement_image_is() {
    let dir = sum_package(&[
        (
            "problem_statement/problem.en.tex",
            "\\problemname{Sum}\n\\illustration{0.4}{pic.png}{Two numbers}\nAdd them.\n",
        ),
        ("problem_statement/pic.png", "png"),
        ("statement/unused.md", ""),
    ]);
    let pic = dir.path().join("pkg/problem_statement/pic.png");
    judge(&["show", &pkg(&dir)])
        .code(0)
        .stdout_has("![Two numbers](pic.png)")
        .stdout_has("## Images")
        .stdout_has(&format!("- pic.png (Two numbers): {}", pic.display()));
}

#[test]
fn kattis_a_custom_grader_aggregates_its_groups() {
    // The legacy format's `grading: custom`: the grader reads `VERDICT score` lines and
    // prints one; here it accepts with the count of accepted items times its flag.
    let grader = "import sys\nlines = [l.split() for l in sys.stdin if l.strip()]\nfactor = float(sys.argv[1]) if len(sys.argv) > 1 else 1\nprint('AC', factor * sum(1 for v, s in lines if v == 'AC'))\n";
    let dir = sum_package(&[
        (
            "problem.yaml",
            "name: Sum\ntype: scoring\nlimits:\n  time_limit: 1\n",
        ),
        (
            "data/secret/testdata.yaml",
            "grading: custom\ngrader_flags: 10\non_reject: continue\n",
        ),
        ("data/secret/2.in", "1 1\n"),
        ("data/secret/2.ans", "2\n"),
        ("graders/grader.py", grader),
    ]);
    let (_d, run) = submit(&pkg(&dir), ADD_RS);
    run.code(0);
    assert_eq!(run.json()["score"], 20);
    // Wrong on 5 6 only: one accepted item of two.
    let (_d, run) = submit(
        &pkg(&dir),
        &ADD_RS.replace(
            "println!(\"{v}\")",
            "println!(\"{}\", if v == 11 { 12 } else { v })",
        ),
    );
    assert_eq!(verdict(&run), "AC");
    assert_eq!(run.json()["score"], 10);
    // A grader that prints nonsense is the package's fault: a judge error, said.
    let broken = sum_package(&[
        (
            "problem.yaml",
            "name: Sum\ntype: scoring\nlimits:\n  time_limit: 1\n",
        ),
        ("data/secret/testdata.yaml", "grading: custom\n"),
        ("graders/grader.py", "print('fine')\n"),
    ]);
    let (_d, run) = submit(&pkg(&broken), ADD_RS);
    run.code(2);
    assert_eq!(verdict(&run), "JE");
    run.stdout_has("the grader failed on group secret: it printed")
        .stdout_has("not one `VERDICT score` line");
}

#[test]
fn kattis_a_cases_own_args_reach_the_program() {
    // 2025-09: a case's `.yaml` gives the submission command-line arguments.
    let dir = sum_package(&[
        (
            "problem.yaml",
            "problem_format_version: 2025-09\nname: Sum\nuuid: x\nlimits:\n  time_limit: 1\n",
        ),
        (
            "data/secret/1.yaml",
            "args: [twice]\ndescription: doubled\n",
        ),
        ("data/secret/1.ans", "22\n"),
    ]);
    let twice = ADD_RS.replace(
        "println!(\"{v}\")",
        "println!(\"{}\", if std::env::args().any(|a| a == \"twice\") { 2 * v } else { v })",
    );
    let (_d, run) = submit(&pkg(&dir), &twice);
    run.code(0);
    let (_d, run) = submit(&pkg(&dir), ADD_RS);
    assert_eq!(verdict(&run), "WA");
    // A key a case's file does not have is named.
    std::fs::write(dir.path().join("pkg/data/secret/1.yaml"), "argz: [twice]\n").unwrap();
    judge(&["show", &pkg(&dir)])
        .code(2)
        .stderr_has("data/secret/1.yaml:1: `argz`: unknown key `argz`");
}

#[test]
fn kattis_validation_test_data_checks_the_validators() {
    // 2025-09's data/invalid_input, invalid_output and valid_output try the validators.
    let two_ints = "import sys, re\nsys.exit(42 if re.fullmatch(r'-?\\d+ -?\\d+\\n', sys.stdin.read()) else 43)\n";
    let mut files = vec![
        (
            "problem.yaml",
            "problem_format_version: 2025-09\nname: Sum\nuuid: x\nlimits:\n  time_limit: 1\n",
        ),
        ("input_validators/two_ints.py", two_ints),
        ("data/invalid_input/letters.in", "x y\n"),
        ("data/invalid_output/off.in", "1 2\n"),
        ("data/invalid_output/off.ans", "3\n"),
        ("data/invalid_output/off.out", "4\n"),
        ("data/valid_output/spaces.in", "1 2\n"),
        ("data/valid_output/spaces.ans", "3\n"),
        ("data/valid_output/spaces.out", "  3 \n"),
    ];
    let dir = sum_package(&files);
    judge(&["verify", &pkg(&dir)])
        .code(0)
        .stdout_has("validation test data: 3 of 3 cases as data/ says");
    files.extend([
        ("data/invalid_input/fine.in", "1 2\n"),
        ("data/valid_output/wrong.in", "1 2\n"),
        ("data/valid_output/wrong.ans", "3\n"),
        ("data/valid_output/wrong.out", "4\n"),
    ]);
    let dir = sum_package(&files);
    judge(&["verify", &pkg(&dir)])
        .code(1)
        .stdout_has("data/invalid_input/fine.in: every input validator accepts it, and data/invalid_input says it is invalid")
        .stdout_has("data/valid_output/wrong.out: the output validator rejects it, and data/valid_output says it must be accepted");
    // A case of the output kinds needs its .ans and .out.
    files.push(("data/invalid_output/lone.in", "1 2\n"));
    let dir = sum_package(&files);
    judge(&["show", &pkg(&dir)])
        .code(2)
        .stderr_has("data/invalid_output/lone.in: a case of data/invalid_output needs lone.ans and lone.out beside its .in (format 2025-09)");
}

#[test]
fn kattis_use_for_time_limit_false_leaves_a_submission_out_of_the_derived_limit() {
    // 150 ms of its own CPU time (not the wall clock's, which load stretches): times the
    // multiplier of 50, far over what the fast one derives.
    let slow = "use std::io::Read;\nextern \"C\" { fn clock_gettime(clock: i32, ts: *mut [i64; 2]) -> i32; }\nfn main() { let mut ts = [0i64; 2]; while ts[0] * 1000 + ts[1] / 1_000_000 < 150 { unsafe { clock_gettime(2, &mut ts); } } let mut s = String::new(); std::io::stdin().read_to_string(&mut s).unwrap(); let v: i64 = s.split_whitespace().map(|w| w.parse::<i64>().unwrap()).sum(); println!(\"{v}\"); }";
    let dir = sum_package(&[
        (
            "problem.yaml",
            "problem_format_version: 2025-09\nname: Sum\nuuid: x\nlimits:\n  time_multipliers:\n    ac_to_time_limit: 50\n",
        ),
        ("submissions/accepted/slow.rs", slow),
        (
            "submissions/submissions.yaml",
            "accepted/slow.rs:\n  use_for_time_limit: false\n",
        ),
    ]);
    judge(&["verify", &pkg(&dir)])
        .code(0)
        .stdout_has("(derived: 50 × accepted/add.rs's slowest case")
        .stdout_has("submissions/accepted/slow.rs: AC as expected");
}
