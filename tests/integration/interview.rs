//! Mock interviews: a session from start to report, the deadline, the interviewer's flag,
//! and a judge killed mid-submit.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use super::{judge, judge_in, repo, Run};

const AC: &str = "problems/t-value/submissions/AC/two_pass.rs";
const WA_SAMPLE: &str = "problems/t-value/submissions/WA/population_std.rs";
/// Right on the samples and the small groups, wrong on the large group only.
const WA_LARGE: &str = "pub fn t_value(var: Vec<f64>, mu0: f64) -> f64 {
    if var.len() > 1000 { return 0.0; }
    let n = var.len() as f64;
    let mean = var.iter().sum::<f64>() / n;
    let ss: f64 = var.iter().map(|x| (x - mean).powi(2)).sum();
    (mean - mu0) / ((ss / (n - 1.0)).sqrt() / n.sqrt())
}
";

fn start(dir: &Path, extra: &[&str]) -> Run {
    let bank = repo().display().to_string();
    let dir = dir.display().to_string();
    let mut args = vec!["--bank", &bank, "interview", "start", "--dir", &dir];
    args.extend_from_slice(extra);
    judge(&args)
}

fn put(workspace: &Path, id: &str, source: &str) {
    std::fs::write(workspace.join("solutions").join(format!("{id}.rs")), source).unwrap();
}

fn copy(workspace: &Path, id: &str, known: &str) {
    put(
        workspace,
        id,
        &std::fs::read_to_string(repo().join(known)).unwrap(),
    );
}

fn interview(workspace: &Path, args: &[&str]) -> Run {
    let mut all = vec!["interview"];
    all.extend_from_slice(args);
    judge_in(workspace, &all)
}

fn journal(workspace: &Path) -> String {
    std::fs::read_to_string(workspace.join(".interview/journal")).unwrap()
}

#[test]
fn a_session_from_start_to_report() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    start(
        &ws,
        &["--pick", "t-value,median-rainfall", "--minutes", "30"],
    )
    .code(0)
    .stdout_has("2 problem(s), 30 minute(s)");
    for file in [
        "Cargo.toml",
        "src/lib.rs",
        "solutions/t-value.rs",
        "solutions/median-rainfall.rs",
        "statements/median-rainfall.md",
        "README.md",
    ] {
        assert!(ws.join(file).is_file(), "{file} missing");
    }
    let statement = std::fs::read_to_string(ws.join("statements/median-rainfall.md")).unwrap();
    assert!(statement.contains("## Samples") && statement.contains("RainDay"));
    interview(&ws, &["status"])
        .code(0)
        .stdout_has("Time left: ")
        .stdout_has("t-value                  not started");

    copy(&ws, "t-value", AC);
    // --fresh: the judge's cache outlives test runs, and a cached report shows no progress.
    interview(&ws, &["run", "t-value", "--progress", "--fresh"])
        .code(0)
        .stderr_has("judging: 2/2 cases")
        .stdout_has("samples (not scored)");
    copy(&ws, "t-value", WA_SAMPLE);
    interview(&ws, &["submit", "t-value"])
        .code(1)
        .stdout_has("verdict: WA")
        .stdout_has("t-value: attempted, best 0/100");
    copy(&ws, "t-value", AC);
    interview(&ws, &["submit", "t-value"])
        .code(0)
        .stdout_has("t-value: solved, best 100/100");
    interview(&ws, &["status"])
        .code(0)
        .stdout_has("solved       100/100  2 submission(s), 1 run(s)  first AC at ")
        .stdout_has("median-rainfall          not started")
        .stdout_has("Score: 100/200");

    interview(&ws, &["report"])
        .code(0)
        .stdout_has("report.html");
    let md = std::fs::read_to_string(ws.join("report.md")).unwrap();
    for text in [
        "- Score: 100/200",
        "| t-value | solved | 100/100 | 2 |",
        "| 1 | ",
        "| WA | 0/100 | WA on sample-1 (samples)",
        "| AC | 100/100 | all cases passed |",
        "### Final code (attempt 2)",
        "let sd = (ss / (n - 1.0)).sqrt();",
        "### Changes from attempt 1 to 2",
        "| median-rainfall | not started | 0/100 | 0 | - |",
    ] {
        assert!(md.contains(text), "report.md lacks {text:?}:\n{md}");
    }
    let html = std::fs::read_to_string(ws.join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<style>"));
    assert!(html.contains("<span class=\"AC\">AC</span>"));
    assert!(html.contains("<details><summary>Changes from attempt 1 to 2"));
    // Self-contained: nothing is fetched.
    assert!(!html.contains("src=") && !html.contains("<link"), "{html}");
}

#[test]
fn the_workspace_type_checks_with_cargo() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    start(&ws, &["--pick", "median-rainfall,knn"]).code(0);
    let check = |ws: &Path| {
        Command::new("cargo")
            .args(["check", "--offline", "--quiet"])
            .current_dir(ws)
            .env(
                "CARGO_TARGET_DIR",
                Path::new(env!("CARGO_TARGET_TMPDIR")).join("interview-target"),
            )
            .output()
            .expect("cargo runs")
    };
    // The stubs, then real solutions that use the record type and ndarray without `use`.
    let out = check(&ws);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    copy(&ws, "knn", "problems/knn/submissions/AC/sort_all.rs");
    put(
        &ws,
        "median-rainfall",
        "pub fn median_rainfall(df_rain: Vec<RainDay>) -> Option<f64> { let a: Array1<f64> = df_rain.iter().map(|d| d.rainfall).collect(); a.first().copied() }",
    );
    let out = check(&ws);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A type error shows up as it would when judged.
    put(
        &ws,
        "median-rainfall",
        "pub fn median_rainfall(df_rain: Vec<RainDay>) -> Option<f64> { df_rain[0].rainfal }",
    );
    let out = check(&ws);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("rainfal"));
}

#[test]
fn submissions_are_refused_after_the_deadline() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    start(&ws, &["--pick", "t-value", "--minutes", "0.005"]).code(0);
    std::thread::sleep(Duration::from_millis(500));
    copy(&ws, "t-value", AC);
    interview(&ws, &["submit", "t-value"])
        .code(2)
        .stderr_has("the session closed at")
        .stderr_has("submitting is refused");
    interview(&ws, &["status"])
        .code(0)
        .stdout_has("Session over");
    // The countdown stops by itself once the session has closed.
    interview(&ws, &["status", "--watch"])
        .code(0)
        .stdout_has("Session over");
    assert_eq!(journal(&ws).lines().count(), 1, "nothing was recorded");
}

#[test]
fn ending_early_closes_the_session() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    start(&ws, &["--pick", "t-value"]).code(0);
    interview(&ws, &["end"])
        .code(0)
        .stdout_has("Session ended at");
    interview(&ws, &["run", "t-value"])
        .code(2)
        .stderr_has("running is refused");
}

#[test]
fn hidden_details_are_withheld_until_the_session_ends() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    start(&ws, &["--pick", "t-value", "--hide-hidden"])
        .code(0)
        .stdout_has("withheld until the session ends");
    put(&ws, "t-value", WA_LARGE);
    interview(&ws, &["submit", "t-value"])
        .code(1)
        .stdout_has("group large: WA (0/")
        .stdout_has("withheld until the session ends")
        .stdout_lacks("large-1");
    assert!(
        !journal(&ws).contains("large-1"),
        "the record holds hidden details"
    );
    interview(&ws, &["report"]).code(0);
    let md = std::fs::read_to_string(ws.join("report.md")).unwrap();
    assert!(
        md.contains("details withheld") && !md.contains("large-1"),
        "{md}"
    );
    interview(&ws, &["end"]).code(0);
    interview(&ws, &["report"]).code(0);
    let md = std::fs::read_to_string(ws.join("report.md")).unwrap();
    assert!(md.contains("WA on large-1 (large)"), "{md}");
}

#[test]
fn a_judge_killed_mid_submit_loses_nothing_and_leaves_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    start(&ws, &["--pick", "t-value"]).code(0);
    copy(&ws, "t-value", AC);
    interview(&ws, &["submit", "t-value"]).code(0);

    put(
        &ws,
        "t-value",
        "pub fn t_value(var: Vec<f64>, mu0: f64) -> f64 {
            extern \"C\" { fn prctl(op: i32, arg: *const u8) -> i32; }
            unsafe { prctl(15, b\"judge-slowpoke\\0\".as_ptr()); }
            let _ = (var, mu0);
            std::thread::sleep(std::time::Duration::from_secs(60));
            0.0
        }",
    );
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("judge-cache");
    let mut child = Command::new(env!("CARGO_BIN_EXE_judge"))
        .args(["interview", "submit", "t-value"])
        .current_dir(&ws)
        .env("JUDGE_CACHE_DIR", cache)
        .env("XDG_DATA_HOME", crate::shared_data_home())
        .env_remove("JUDGE_BANK")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Killed once its cases are running.
    let deadline = std::time::Instant::now() + Duration::from_mins(2);
    while slowpokes() == 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(slowpokes() > 0, "the slow solution never ran");
    child.kill().unwrap();
    child.wait().unwrap();
    // The kernel delivers the boxes' death signals a moment after the judge dies: wait for
    // the condition, with a deadline, instead of a fixed pause a loaded machine can outlast.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while slowpokes() > 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(slowpokes(), 0, "a case outlived the judge that ran it");
    interview(&ws, &["status"])
        .code(0)
        .stdout_has("solved       100/100  1 submission(s)");

    // A kill in the middle of writing leaves a torn last line: left out, then cut off.
    let path = ws.join(".interview/journal");
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend_from_slice(b"5eb1c0de {\"event\":\"submit\",\"problem\":\"t-va");
    std::fs::write(&path, bytes).unwrap();
    interview(&ws, &["status"])
        .code(0)
        .stderr_has("unreadable line(s) [3]")
        .stdout_has("1 submission(s)");
    copy(&ws, "t-value", WA_SAMPLE);
    interview(&ws, &["submit", "t-value"]).code(1);
    let status = interview(&ws, &["status"]);
    status.code(0).stdout_has("2 submission(s)");
    assert!(!status.stderr.contains("unreadable"), "{}", status.stderr);
}

fn slowpokes() -> usize {
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter(|e| {
            std::fs::read_to_string(e.path().join("comm"))
                .is_ok_and(|c| c.trim() == "judge-slowpoke")
        })
        .count()
}

#[test]
fn mistakes_get_clear_messages() {
    let tmp = tempfile::tempdir().unwrap();
    interview(tmp.path(), &["status"])
        .code(2)
        .stderr_has("no interview here");
    let ws = tmp.path().join("ws");
    start(&ws, &["--pick", "t-value"]).code(0);
    interview(&ws, &["submit", "knn"])
        .code(2)
        .stderr_has("knn is not in this session (its problems: t-value)");
    start(&ws, &["--pick", "knn"])
        .code(2)
        .stderr_has("is not empty; choose a new folder with --dir");
    start(&tmp.path().join("x"), &["--count", "99"])
        .code(2)
        .stderr_has("asked for 99 problem(s), but 21 in the bank match the filters");
    start(&tmp.path().join("y"), &["--pick", "no-such"]).code(2);
    start(&tmp.path().join("z"), &["--minutes", "0"])
        .code(2)
        .stderr_has("--minutes must be more than 0");
}

#[test]
fn a_seed_draws_the_same_problems() {
    let tmp = tempfile::tempdir().unwrap();
    let a = start(
        &tmp.path().join("a"),
        &["--count", "3", "--seed", "42", "--difficulty", "medium"],
    );
    let b = start(
        &tmp.path().join("b"),
        &["--count", "3", "--seed", "42", "--difficulty", "medium"],
    );
    a.code(0);
    let listed = |r: &Run| -> Vec<String> {
        r.stdout
            .lines()
            .filter(|l| l.contains("solutions/"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(listed(&a).len(), 3);
    assert_eq!(listed(&a), listed(&b));
    assert!(listed(&a).iter().all(|l| l.contains("medium")));
}

/// Runs the judge in `dir` with its stdout a pipe whose reader is already gone, as
/// `judge interview status | head -c0` can leave it: every write it makes fails.
fn into_closed_pipe(dir: &Path, args: &[&str]) -> Run {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = Command::new(env!("CARGO_BIN_EXE_judge"))
        .args(args)
        .current_dir(dir)
        .env("XDG_DATA_HOME", crate::shared_data_home())
        .env("JUDGE_CACHE_DIR", super::shared_cache())
        .env_remove("JUDGE_BANK")
        .env_remove("JUDGE_CACHE_MAX")
        .stdout(writer)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::new(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn interview_commands_piped_into_a_reader_that_left_end_quietly() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    let bank = repo().display().to_string();
    let ws_arg = ws.display().to_string();
    let commands: [&[&str]; 6] = [
        &[
            "--bank",
            &bank,
            "interview",
            "start",
            "--dir",
            &ws_arg,
            "--pick",
            "t-value",
        ],
        &["interview", "status"],
        &["interview", "run", "t-value"],
        &["interview", "end"],
        &["interview", "status", "--watch"],
        &["interview", "report"],
    ];
    let mut failed = Vec::new();
    for (i, args) in commands.iter().enumerate() {
        let dir = if i == 0 { tmp.path() } else { ws.as_path() };
        let run = into_closed_pipe(dir, args);
        // Quietly, as `emit` ends every other command: no panic, no error, exit code 0.
        if run.code != 0 || run.stderr.contains("panicked") {
            failed.push(format!("{args:?}: exit code {}\n{}", run.code, run.stderr));
        }
        if i == 0 {
            copy(&ws, "t-value", AC);
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    // What each command recorded before it printed stands.
    interview(&ws, &["status"])
        .code(0)
        .stdout_has("Session over")
        .stdout_has("0 submission(s), 1 run(s)");
    assert!(ws.join("report.md").is_file() && ws.join("report.html").is_file());
}

#[test]
fn the_interviewers_report_measures_growth_once_the_session_is_over() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    start(&ws, &["--pick", "knn,t-value"]).code(0);
    copy(&ws, "knn", "problems/knn/submissions/TLE/selection_sort.rs");
    interview(&ws, &["submit", "knn"]).code(1);
    interview(&ws, &["report", "--complexity"])
        .code(0)
        .stdout_has("note: growth is measured once the session is over");
    let md = std::fs::read_to_string(ws.join("report.md")).unwrap();
    assert!(!md.contains("Measured growth"), "{md}");
    interview(&ws, &["end"]).code(0);
    interview(&ws, &["report", "--complexity", "--budget", "30"])
        .code(0)
        .stdout_has("measuring knn (up to 30 s)...")
        .stdout_lacks("measuring t-value");
    let md = std::fs::read_to_string(ws.join("report.md")).unwrap();
    assert!(
        md.contains("### Measured growth of the final attempt"),
        "{md}"
    );
    // Timed by CPU where instructions cannot be counted, the exponents wander by a tenth or
    // two; what must hold is that the quadratic attempt is told it grows clearly faster.
    let yours = exponent_after(&md, "your solution grows like n^");
    let reference = exponent_after(&md, "the reference like n^");
    assert!(yours > reference + 0.5, "{yours} vs {reference}: {md}");
    let html = std::fs::read_to_string(ws.join("report.html")).unwrap();
    assert!(
        html.contains("<h3>Measured growth of the final attempt</h3>"),
        "{html}"
    );
    // Without the flag the report measures nothing.
    interview(&ws, &["report"])
        .code(0)
        .stdout_lacks("measuring");
}

/// The exponent written right after `words` in a report, e.g. 1.9 in "grows like n^1.9 (± 0.1)".
fn exponent_after(report: &str, words: &str) -> f64 {
    let at = report
        .find(words)
        .unwrap_or_else(|| panic!("no {words:?} in {report}"))
        + words.len();
    let number: String = report[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    number
        .parse()
        .unwrap_or_else(|_| panic!("no exponent after {words:?} in {report}"))
}
