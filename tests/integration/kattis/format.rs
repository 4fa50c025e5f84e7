//! The package format: a broken package per mistake, each naming its file and key; the
//! newer keys; a case's own arguments.

use super::package::{package, pkg, submit, sum_package, verdict, ADD_RS};
use crate::judge;

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
