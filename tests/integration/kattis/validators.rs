//! Validators and graders: the default output validator's flags, custom output validators
//! in three languages, input validators and checktestdata, scoring and interactive problems,
//! build and run scripts, custom graders, and validation test data.

use super::package::{
    checktestdata_installed, kattis, pkg, submit, sum_package, verdict, wild_copy, ADD_RS,
};
use crate::judge;

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
