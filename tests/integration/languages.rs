//! The languages table (issue 28, item 1): `judge doctor` lists it, `--lang` beats a file's
//! extension, unknown languages and broken tables are named, and a bank's own
//! `languages.toml` changes it.

use crate::{judge, judge_in, repo};

/// A copy of one bank problem in a bank of its own, with `languages` as its
/// `languages.toml` when given.
fn bank_with(languages: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let problems = dir.path().join("problems");
    std::fs::create_dir_all(problems.join("t-value")).unwrap();
    for entry in std::fs::read_dir(repo().join("problems/t-value")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(
                &path,
                problems.join("t-value").join(path.file_name().unwrap()),
            )
            .unwrap();
        }
    }
    std::fs::create_dir_all(dir.path().join("reference")).unwrap();
    std::fs::copy(
        repo().join("reference/t_value.rs"),
        dir.path().join("reference/t_value.rs"),
    )
    .unwrap();
    if let Some(text) = languages {
        std::fs::write(dir.path().join("languages.toml"), text).unwrap();
    }
    dir
}

#[test]
fn doctor_lists_every_language_with_its_version_or_not_installed() {
    let run = judge(&["doctor"]);
    run.stdout_has("languages (built into the judge; --lang <id> picks one):");
    for (id, name) in [
        ("rust", "Rust"),
        ("c", "C"),
        ("cpp", "C++"),
        ("python", "Python 3"),
        ("java", "Java"),
        ("kotlin", "Kotlin"),
    ] {
        let line = run
            .stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(id))
            .unwrap_or_else(|| panic!("no line for {id}:\n{}", run.stdout));
        assert!(line.contains(name), "{line}");
        let rest = line.split_once(name).unwrap().1.trim();
        assert!(
            rest.starts_with("not installed (no `") || rest.chars().any(|c| c.is_ascii_digit()),
            "a version or why not: {line}"
        );
    }
    // The judge's own toolchain is here (every test needs it), so Rust has a version.
    assert!(
        run.stdout.contains("  rust     Rust      rustc "),
        "{}",
        run.stdout
    );
}

#[test]
fn an_unknown_language_is_named_with_the_known_ones() {
    let reference = repo().join("reference/t_value.rs");
    judge(&[
        "submit",
        "t-value",
        reference.to_str().unwrap(),
        "--lang",
        "cobol",
    ])
    .code(2)
    .stderr_has("unknown language `cobol`: the judge knows rust, c, cpp, python, java, kotlin");
}

#[test]
fn lang_beats_the_extension() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("solution.txt");
    std::fs::copy(repo().join("reference/t_value.rs"), &file).unwrap();
    let file = file.to_str().unwrap();
    judge(&["submit", "t-value", file]).code(2).stderr_has(
        "solution.txt: no language has the extension of this file; name one with --lang",
    );
    judge(&["submit", "t-value", file, "--lang", "rust"]).code(0);
    // A Rust file named as C++ is refused as C++ by a function problem, never built as Rust.
    let cpp = dir.path().join("solution.cpp");
    std::fs::copy(repo().join("reference/t_value.rs"), &cpp).unwrap();
    judge(&["run", "t-value", cpp.to_str().unwrap()])
        .code(2)
        .stderr_has("is C++: function-signature problems are judged in Rust and Python only");
    judge(&["run", "t-value", cpp.to_str().unwrap(), "--lang", "rust"]).code(0);
}

#[test]
fn a_banks_languages_toml_changes_the_table_and_its_mistakes_are_named() {
    let bank = bank_with(Some("[rust]\nextensions = [\"rs\", \"rust\"]\n"));
    let file = bank.path().join("solution.rust");
    std::fs::copy(repo().join("reference/t_value.rs"), &file).unwrap();
    judge_in(bank.path(), &["submit", "t-value", file.to_str().unwrap()]).code(0);
    // The bank is the current folder, named as found.
    judge_in(bank.path(), &["doctor"])
        .stdout_has("languages (built in, changed by ./languages.toml;");

    let broken = bank_with(Some(
        "[cpp]\nname = \"C++\"\nrun = [\"{binary}\", \"{input}\"]\n",
    ));
    let file = broken.path().join("solution.rs");
    std::fs::copy(repo().join("reference/t_value.rs"), &file).unwrap();
    judge_in(
        broken.path(),
        &["submit", "t-value", file.to_str().unwrap()],
    )
    .code(2)
    .stderr_has("./languages.toml:3: `cpp.run`: unknown placeholder {input}");
    let doctor = judge_in(broken.path(), &["doctor"]);
    doctor.code(2).stdout_has("languages: BROKEN: ");
}
