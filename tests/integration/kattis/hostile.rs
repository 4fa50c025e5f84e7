//! Hostile programs on a package, and failures that are the package's, not the candidate's.

use super::package::{kattis, pkg, submit, sum_package, verdict, ADD_RS};
use crate::judge;

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
