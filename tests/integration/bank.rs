//! Finding the bank without a source checkout: the bank bundled into the binary, a bank
//! installed next to it, and errors that say where the judge looked.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{fixture, repo, shared_cache, Run};

/// The judge `exe` run from `dir` as a user whose home is `home`: no JUDGE_BANK, no
/// XDG_DATA_HOME, nothing of the tests' own data folder; then `env`.
fn judge_as_user(exe: &Path, dir: &Path, home: &Path, args: &[&str], env: &[(&str, &Path)]) -> Run {
    let mut cmd = Command::new(exe);
    cmd.args(args)
        .current_dir(dir)
        .env("HOME", home)
        .env("JUDGE_CACHE_DIR", shared_cache())
        .env_remove("JUDGE_BANK")
        .env_remove("XDG_DATA_HOME")
        .env_remove("JUDGE_CACHE_MAX");
    // rustup's proxy finds its toolchains under the real home.
    for (var, default) in [("RUSTUP_HOME", ".rustup"), ("CARGO_HOME", ".cargo")] {
        if let Some(path) = std::env::var_os(var)
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(default)))
        {
            cmd.env(var, path);
        }
    }
    cmd.envs(env.iter().copied());
    Run::from_output(&cmd.output().expect("the judge binary runs"))
}

fn judge_exe() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_judge"))
}

#[test]
fn a_judge_away_from_any_checkout_uses_its_bundled_bank() {
    let tmp = tempfile::tempdir().unwrap();
    let (home, work) = (tmp.path().join("home"), tmp.path().join("work"));
    std::fs::create_dir_all(&home).unwrap();
    std::fs::create_dir_all(&work).unwrap();
    let run = |args: &[&str]| judge_as_user(&judge_exe(), &work, &home, args, &[]);
    run(&["list"])
        .code(0)
        .stdout_has("knn")
        .stdout_has("t-value");
    let unpacked: Vec<PathBuf> = std::fs::read_dir(home.join(".local/share/judge"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(unpacked.len(), 1, "{unpacked:?}");
    assert!(unpacked[0].join("problems/knn/problem.toml").is_file());
    assert!(unpacked[0].join("reference/knn.rs").is_file());
    let solution = repo().join("problems/t-value/submissions/AC/two_pass.rs");
    // --fresh: judged for real, with the unpacked bank's reference and cases.
    let submitted = run(&[
        "submit",
        "t-value",
        solution.to_str().unwrap(),
        "--json",
        "--fresh",
    ]);
    submitted.code(0);
    assert_eq!(submitted.json()["verdict"], "AC", "{}", submitted.stdout);
    let problems = std::fs::read_dir(repo().join("problems"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().join("problem.toml").is_file())
        .count();
    run(&["doctor"]).stdout_has(&format!(
        "bank: {} (bundled into this judge, unpacked), {problems} problem(s)",
        unpacked[0].display()
    ));
}

#[test]
fn a_bank_installed_next_to_the_judge_is_found() {
    // A packager's layout: <prefix>/bin/judge and <prefix>/share/judge/problems/...
    let tmp = tempfile::tempdir().unwrap();
    let prefix = tmp.path().join("prefix");
    let exe = prefix.join("bin/judge");
    std::fs::create_dir_all(exe.parent().unwrap()).unwrap();
    std::fs::copy(judge_exe(), &exe).unwrap();
    let problem = prefix.join("share/judge/problems/add-one");
    std::fs::create_dir_all(&problem).unwrap();
    for file in ["problem.toml", "tests.toml", "reference.rs"] {
        std::fs::copy(
            fixture(&format!("problems/base/{file}")),
            problem.join(file),
        )
        .unwrap();
    }
    let run = |args: &[&str]| judge_as_user(&exe, tmp.path(), tmp.path(), args, &[]);
    run(&["list"])
        .code(0)
        .stdout_has("add-one")
        .stdout_lacks("knn");
    run(&["doctor"]).stdout_has(&format!(
        "bank: {} (installed next to the judge), 1 problem(s)",
        prefix.join("share/judge").display()
    ));
}

#[test]
fn a_bank_given_that_is_not_one_says_where_it_looked() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("nowhere");
    let run = judge_as_user(
        &judge_exe(),
        tmp.path(),
        tmp.path(),
        &["--bank", missing.to_str().unwrap(), "list"],
        &[],
    );
    run.code(2).stderr_has(&format!(
        "--bank {} is not a bank: no such folder (looked only there)",
        missing.display()
    ));
    // JUDGE_BANK is as binding as --bank, even where the current folder holds a bank.
    let run = judge_as_user(
        &judge_exe(),
        &repo(),
        tmp.path(),
        &["show", "knn"],
        &[("JUDGE_BANK", tmp.path())],
    );
    run.code(2)
        .stderr_has(&format!(
            "JUDGE_BANK={} is not a bank: it holds no problems/ folder (looked only there)",
            tmp.path().display()
        ))
        .stderr_has("unset it to use the current folder's bank or the bundled one");
}

#[test]
fn finding_no_bank_at_all_lists_every_place_looked_at() {
    let tmp = tempfile::tempdir().unwrap();
    // A file where the data folder should be: the bundled bank cannot be unpacked.
    let data = tmp.path().join("data");
    std::fs::write(&data, "").unwrap();
    let exe = judge_exe();
    let run = judge_as_user(
        &exe,
        tmp.path(),
        tmp.path(),
        &["submit", "knn", "x.rs"],
        &[("XDG_DATA_HOME", &data)],
    );
    let installed = exe.parent().unwrap().parent().unwrap().join("share/judge");
    run.code(2)
        .stderr_has("error: no bank of problems found; looked at:\n  --bank: not given\n  $JUDGE_BANK: not set\n")
        .stderr_has(&format!(
            "  the current folder, {}: it holds no problems/ folder\n",
            tmp.path().display()
        ))
        .stderr_has(&format!(
            "  next to the judge, {}: no such folder\n",
            installed.display()
        ))
        .stderr_has(&format!(
            "  the bank bundled into this judge: could not unpack it into {}/judge/bank-",
            data.display()
        ))
        .stderr_has("  choose one with --bank DIR or JUDGE_BANK=DIR");
    // Commands that need no bank still work.
    judge_as_user(
        &exe,
        tmp.path(),
        tmp.path(),
        &["cache"],
        &[("XDG_DATA_HOME", &data)],
    )
    .code(0);
}

#[test]
fn an_unknown_problem_suggests_the_closest_ids() {
    crate::judge(&["submit", "knm", "x.rs"])
        .code(2)
        .stderr_has("no problem `knm` in ")
        .stderr_has("did you mean `knn`?");
}
