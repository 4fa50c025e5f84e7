//! Real packages vendored with their licences: they load, run their validators and name
//! what they skip; the scoring example gives the partial scores its subtasks define.

use super::package::{checktestdata_installed, wild, wild_copy};
use crate::judge;

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
