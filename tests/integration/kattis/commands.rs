//! The commands on a package: verify (derived time limit, misfiled submissions), submit and
//! run, show, list, new, and the function-problem commands refusing one.

use std::path::Path;

use super::package::{
    checktestdata_installed, copy_dir, kattis, pkg, submit, sum_package, verdict, ADD_RS,
};
use crate::judge;

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
