//! Packages for the tests: the fixtures, small ones written into a temp folder, the vendored
//! real ones copied out, and the judge run on them.

use std::path::Path;

use crate::{fixture, judge, Run};

pub(crate) fn kattis(name: &str) -> String {
    fixture(&format!("kattis/{name}"))
}

/// A package in a temporary folder (named `pkg`, as the format wants lowercase names).
pub(crate) fn package(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join("pkg").join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

pub(crate) fn pkg(dir: &tempfile::TempDir) -> String {
    dir.path().join("pkg").display().to_string()
}

pub(crate) const ADD_RS: &str = "use std::io::Read;\nfn main() {\n    let mut s = String::new();\n    std::io::stdin().read_to_string(&mut s).unwrap();\n    let v: i64 = s.split_whitespace().map(|w| w.parse::<i64>().unwrap()).sum();\n    println!(\"{v}\");\n}\n";

/// The problem.yaml of the sum package: explicit time limit.
pub(crate) const SUM_YAML: &str = "name: Sum\nlimits:\n  time_limit: 1\n";

/// The files of a package that sums two numbers, with `problem_yaml` and `extra` files
/// (replacing any of the same path).
pub(crate) fn sum_files<'a>(
    problem_yaml: &'a str,
    extra: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut files = vec![
        ("problem.yaml", problem_yaml),
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
    files
}

/// A small valid package: sums of two numbers, explicit time limit.
pub(crate) fn sum_package(extra: &[(&str, &str)]) -> tempfile::TempDir {
    package(&sum_files(SUM_YAML, extra))
}

/// Judges `source` on `package` with `submit --json`.
pub(crate) fn submit(package: &str, source: &str) -> (tempfile::TempDir, Run) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("main.rs");
    std::fs::write(&file, source).unwrap();
    let run = judge(&["submit", package, file.to_str().unwrap(), "--json"]);
    (dir, run)
}

pub(crate) fn verdict(run: &Run) -> String {
    run.json()["verdict"].as_str().unwrap_or("").to_string()
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

// Issue 29: packages as they exist in the wild, vendored unchanged under
// tests/fixtures/kattis/wild/ (their licences beside them).

pub(crate) fn wild(name: &str) -> String {
    fixture(&format!("kattis/wild/{name}"))
}

/// Checktestdata runs as the `checktestdata` Python package: a test that needs it says
/// SKIPPED without it, and fails under CI=true (.ci/run installs it).
pub(crate) fn checktestdata_installed(test: &str) -> bool {
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
pub(crate) fn wild_copy(name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let to = dir.path().join(name.rsplit('/').next().unwrap());
    copy_dir(Path::new(&wild(name)), &to);
    (dir, to)
}
