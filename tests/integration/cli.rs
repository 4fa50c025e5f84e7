//! The command line's shape: each subcommand's `--help` lists the shared flags it uses and
//! no other, and a shared flag given to a command that does not use it is a usage error
//! naming it, whether it comes after the command or before it.

use super::{judge, repo};

/// The flags several commands share. `--dir` is the interview workspace's.
const SHARED: [&str; 6] = [
    "--bank",
    "--jobs",
    "--progress",
    "--fresh",
    "--compile-seconds",
    "--dir",
];

const JUDGES: &[&str] = &[
    "--bank",
    "--jobs",
    "--progress",
    "--fresh",
    "--compile-seconds",
];
const ENGINE: &[&str] = &["--bank", "--jobs", "--fresh", "--compile-seconds"];
const IN_SESSION: &[&str] = &[
    "--dir",
    "--jobs",
    "--progress",
    "--fresh",
    "--compile-seconds",
];

/// Every command: its words, a command line that parses (positionals and required flags
/// filled in), and the shared flags it takes.
const COMMANDS: &[(&str, &[&str], &[&str])] = &[
    ("submit", &["submit", "p", "s.rs"], JUDGES),
    ("run", &["run", "p", "s.rs"], JUDGES),
    ("list", &["list"], &["--bank"]),
    ("show", &["show", "p"], &["--bank", "--jobs"]),
    ("cases", &["cases", "p"], &["--bank", "--jobs"]),
    ("verify", &["verify"], ENGINE),
    ("new", &["new", "x"], &["--bank"]),
    ("stress", &["stress", "p", "s.rs"], ENGINE),
    ("complexity", &["complexity", "p", "s.rs"], ENGINE),
    ("similarity", &["similarity", "s.rs"], &["--bank"]),
    ("doctor", &["doctor"], &["--bank"]),
    ("cache", &["cache"], &[]),
    ("cache prune", &["cache", "prune", "--max-size", "1G"], &[]),
    ("interview", &[], &["--dir"]),
    (
        "interview start",
        &["interview", "start"],
        &["--bank", "--jobs", "--dir"],
    ),
    (
        "interview create",
        &[
            "interview",
            "create",
            "--serve",
            "http://127.0.0.1:9",
            "--token",
            "t",
        ],
        &[],
    ),
    ("interview status", &["interview", "status"], &["--dir"]),
    ("interview run", &["interview", "run", "p"], IN_SESSION),
    (
        "interview submit",
        &["interview", "submit", "p"],
        IN_SESSION,
    ),
    ("interview end", &["interview", "end"], &["--dir"]),
    (
        "interview report",
        &["interview", "report"],
        &["--dir", "--jobs", "--fresh", "--compile-seconds"],
    ),
    ("serve", &["serve"], ENGINE),
    (
        "worker",
        &["worker", "--db", "postgres://127.0.0.1:9/j"],
        ENGINE,
    ),
    ("workers", &["workers", "--db", "x"], &[]),
    ("backup", &["backup", "to.db"], &[]),
    ("user", &[], &[]),
    ("user add", &["user", "add", "bob"], &[]),
    ("user sign-out", &["user", "sign-out", "bob"], &[]),
    ("user password", &["user", "password", "bob"], &[]),
];

/// The long flags a help text lists under its options.
fn listed_flags(help: &str) -> Vec<String> {
    help.lines()
        .filter_map(|line| {
            let line = line.trim_start();
            let line = line
                .strip_prefix("-h, ")
                .or(line.strip_prefix("-V, "))
                .unwrap_or(line);
            let name = line.strip_prefix("--")?;
            let end = name
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .unwrap_or(name.len());
            Some(format!("--{}", &name[..end]))
        })
        .collect()
}

/// The subcommands a help text lists (clap's own `help` aside).
fn listed_commands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|line| *line != "Commands:")
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

fn help_of(words: &str) -> String {
    let mut args: Vec<&str> = words.split_whitespace().collect();
    args.push("--help");
    let run = judge(&args);
    run.code(0);
    run.stdout.clone()
}

#[test]
fn every_subcommand_is_in_the_table() {
    let known: Vec<&str> = COMMANDS.iter().map(|(words, _, _)| *words).collect();
    let mut found = Vec::new();
    for parent in std::iter::once("").chain(known.iter().copied()) {
        for name in listed_commands(&help_of(parent)) {
            found.push(format!("{parent} {name}").trim().to_string());
        }
    }
    let missing: Vec<&String> = found
        .iter()
        .filter(|w| !known.contains(&w.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "commands missing from COMMANDS (say which shared flags each takes): {missing:?}"
    );
    let gone: Vec<&&str> = known
        .iter()
        .filter(|k| !found.iter().any(|f| f == *k))
        .collect();
    assert!(
        gone.is_empty(),
        "COMMANDS names commands no help lists: {gone:?}"
    );
}

#[test]
fn each_help_lists_only_the_shared_flags_its_command_uses() {
    let mut wrong = Vec::new();
    for (words, _, takes) in COMMANDS {
        let listed = listed_flags(&help_of(words));
        for flag in SHARED {
            let shown = listed.iter().any(|l| l == flag);
            if shown != takes.contains(&flag) {
                let what = if shown { "lists" } else { "lacks" };
                wrong.push(format!("`judge {words} --help` {what} {flag}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // What the issue saw, said plainly.
    let judging = [
        "--jobs",
        "--fresh",
        "--progress",
        "--compile-seconds",
        "--bank",
    ];
    let user_add = listed_flags(&help_of("user add"));
    for flag in judging {
        assert!(!user_add.iter().any(|l| l == flag), "user add lists {flag}");
    }
    let submit = listed_flags(&help_of("submit"));
    for flag in judging {
        assert!(submit.iter().any(|l| l == flag), "submit lacks {flag}");
    }
}

/// A flag and, for those that take one, a value.
fn flag_with_value(flag: &'static str) -> Vec<&'static str> {
    match flag {
        "--bank" | "--dir" => vec![flag, "/nonexistent"],
        "--jobs" | "--compile-seconds" => vec![flag, "2"],
        _ => vec![flag],
    }
}

#[test]
fn a_shared_flag_a_command_does_not_use_is_a_usage_error_naming_it() {
    let mut wrong = Vec::new();
    for (words, line, takes) in COMMANDS.iter().filter(|(_, line, _)| !line.is_empty()) {
        for flag in SHARED.iter().copied().filter(|f| !takes.contains(f)) {
            // After the command: clap's own error.
            let mut after = line.to_vec();
            after.extend(flag_with_value(flag));
            let run = judge(&after);
            if run.code != 2
                || !run
                    .stderr
                    .contains(&format!("unexpected argument '{flag}'"))
            {
                wrong.push(format!("{after:?}: exit {}\n{}", run.code, run.stderr));
            }
            // Before it (before the interview subcommand for --dir): refused by name.
            let before = if flag == "--dir" {
                if !words.starts_with("interview ") {
                    continue;
                }
                let mut before = vec!["interview"];
                before.extend(flag_with_value(flag));
                before.extend(&line[1..]);
                before
            } else {
                let mut before = flag_with_value(flag);
                before.extend(line.iter());
                before
            };
            let run = judge(&before);
            let says = format!("{flag} means nothing to `judge {words}`");
            if run.code != 2 || !run.stderr.contains(&says) || !run.stdout.is_empty() {
                wrong.push(format!("{before:?}: exit {}\n{}", run.code, run.stderr));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_refused_flag_stops_the_command_before_it_does_anything() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("service");
    let data_arg = data.display().to_string();
    let run = judge(&["--jobs", "2", "user", "add", "bob", "--data", &data_arg]);
    run.code(2)
        .stderr_has("--jobs means nothing to `judge user add`")
        .stderr_has("Usage: judge user add");
    assert!(!data.exists(), "the refused command made its data dir");
}

#[test]
fn a_flag_before_the_command_reaches_it_and_one_after_it_wins() {
    let bank = repo().display().to_string();
    judge(&["--bank", "/nonexistent", "list", "--bank", &bank])
        .code(0)
        .stdout_has("median-rainfall");
    judge(&["--bank", &bank, "list", "--bank", "/nonexistent"])
        .code(2)
        .stderr_has("--bank /nonexistent is not a bank");
    // `judge interview --dir` reaches the subcommand; the subcommand's own wins.
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let (a, b) = (a.display().to_string(), b.display().to_string());
    judge(&["interview", "--dir", &a, "status"])
        .code(2)
        .stderr_has(&format!("{a} is not an interview workspace"));
    judge(&["interview", "--dir", &a, "status", "--dir", &b])
        .code(2)
        .stderr_has(&format!("{b} is not an interview workspace"));
}
