//! `judge verify`: checks that a problem is sound: its spec loads and every case validates,
//! its reference compiles, agrees with every stored answer and passes all cases within the
//! real limits, and every known submission under `submissions/<verdict>/` (Rust or Python)
//! gets its verdict.

use std::path::{Path, PathBuf};

use crate::authoring::AuthoringError;
use crate::judge::{Engine, Mode};
use crate::problem::spec::{self, Problem, CHECKER_FILE};
use crate::report::{Fault, Verdict};

pub use super::verification::Verification;

pub fn verify(engine: &Engine, dir: &Path) -> Result<Verification, AuthoringError> {
    if crate::problem::package::is_package(dir) {
        return super::package_verify::verify(engine, dir);
    }
    let started = std::time::Instant::now();
    let mut v = verify_problem(engine, dir)?;
    v.seconds = started.elapsed().as_secs_f64();
    Ok(v)
}

fn verify_problem(engine: &Engine, dir: &Path) -> Result<Verification, AuthoringError> {
    // Generated inputs are read (or made) once here; every judging below reuses them.
    let problem = engine.prepare(&spec::load(dir)?)?.into_owned();
    let mut v = Verification {
        seconds: 0.0,
        id: problem.id.clone(),
        failures: Vec::new(),
        notes: Vec::new(),
        skipped: Vec::new(),
    };
    if problem.samples.len() < 2 {
        v.failures.push(format!(
            "{} sample(s); a problem needs at least two",
            problem.samples.len()
        ));
    }
    let reference = problem.reference_path();
    if !reference.is_file() {
        v.failures
            .push(format!("no reference solution at {}", reference.display()));
        return Ok(v);
    }
    if let Err(why) = engine.check_generator(&problem)? {
        v.failures.push(why.to_string());
    }
    check_reference(engine, &problem, &reference, &mut v)?;
    let (known, misnamed) = known_submissions(&problem);
    v.failures.extend(misnamed);
    for (expected, file) in known {
        let shown = shown(&problem, &file);
        // A known submission in a language this machine lacks (no python3) is said to be
        // left out, not failed: the problem may still be right.
        if let Some(Err(why)) = engine
            .languages()
            .for_path(&file)
            .map(crate::languages::Language::installed)
        {
            v.notes.push(format!("{shown}: not judged: {why}"));
            continue;
        }
        // Only the verdict matters here, so cases after the first failure are not run.
        let mut report = engine.judge_until_failure(&problem, &reference, &file)?;
        // A time limit missed or kept by a busy machine (a box waiting for a core runs
        // into its wall-clock limit) is judged once more, uncached, before it fails the
        // problem: the second judging decides, and a note says the first disagreed.
        if report.verdict != expected
            && (report.verdict == Verdict::TLE || expected == Verdict::TLE)
        {
            let first = report.verdict.code();
            report = engine
                .clone()
                .fresh(true)
                .judge_until_failure(&problem, &reference, &file)?;
            if report.verdict == expected {
                v.judged_again(&shown, first);
            }
        }
        let at = report
            .first_failure()
            .map(|(_, c)| format!(" on {}", c.name))
            .unwrap_or_default();
        if report.verdict == expected {
            let time = if expected == Verdict::AC {
                format!(", slowest case {} ms", report.slowest_ms())
            } else {
                String::new()
            };
            v.notes.push(format!(
                "{shown}: {} as expected{at}{time}",
                expected.code()
            ));
        } else {
            v.failures.push(format!(
                "{shown}: expected {}, got {}{at}",
                expected.code(),
                report.verdict.code()
            ));
        }
    }
    Ok(v)
}

fn check_reference(
    engine: &Engine,
    problem: &Problem,
    reference: &Path,
    v: &mut Verification,
) -> Result<(), AuthoringError> {
    let report = engine.judge(problem, reference, reference, Mode::Submit)?;
    if report.verdict == Verdict::AC && report.score == report.max_score {
        let slowest = report.slowest_ms();
        v.notes.push(format!(
            "reference: AC {}/{}, slowest case {slowest} ms of {} ms",
            report.score, report.max_score, problem.limits.time_ms
        ));
        return Ok(());
    }
    match report.first_failure() {
        Some((group, case)) => {
            let origin = problem
                .cases()
                .find(|c| c.name == case.name)
                .map(|c| format!("{}:{}: ", c.origin.file.display(), c.origin.line))
                .unwrap_or_default();
            let message = case.message.clone().unwrap_or_default();
            let help = if case.fault == Some(Fault::Checker) {
                format!(
                    "{}/{CHECKER_FILE} must not panic: it rejects an answer by returning Err(reason), and a panic is a bug in the checker, reported to candidates as a judge error",
                    problem.dir.display()
                )
            } else if case.verdict == Verdict::WA {
                format!(
                    "either the case's `expected` or the reference is wrong; `judge run {} {}` shows the diff for the samples",
                    problem.dir.display(),
                    reference.display()
                )
            } else {
                "the reference must pass every case within the limits: fix it, or the case if it breaks the problem's rules".to_string()
            };
            v.failures.push(format!(
                "{origin}the reference gets {} on {} (group {group}): {message}\n  help: {help}",
                case.verdict.code(),
                case.name,
            ));
        }
        None => v.failures.push(format!(
            "the reference gets {}: {}",
            report.verdict.code(),
            report.compile.stderr
        )),
    }
    Ok(())
}

/// (expected verdict, file) for every `submissions/<verdict>/*.rs` and `*.py`, sorted, and a
/// message for each folder whose name is not a verdict.
pub fn known_submissions(problem: &Problem) -> (Vec<(Verdict, PathBuf)>, Vec<String>) {
    let (mut found, mut misnamed) = (Vec::new(), Vec::new());
    let Ok(dirs) = std::fs::read_dir(problem.dir.join("submissions")) else {
        return (found, misnamed);
    };
    for dir in dirs.flatten() {
        let name = dir.file_name().to_string_lossy().into_owned();
        let Some(verdict) = Verdict::from_folder(&name) else {
            misnamed.push(format!(
                "submissions/{name}: not a verdict (use AC, WA, TLE, MLE, RE, OLE or CE)"
            ));
            continue;
        };
        let files = std::fs::read_dir(dir.path())
            .into_iter()
            .flatten()
            .flatten();
        found.extend(
            files
                .map(|f| f.path())
                .filter(|p| p.extension().is_some_and(|e| e == "rs" || e == "py"))
                .map(|p| (verdict, p)),
        );
    }
    found.sort_by(|a, b| a.1.cmp(&b.1));
    (found, misnamed)
}

/// A known submission's path as verify and calibrate show it: inside the problem folder.
pub fn shown(problem: &Problem, path: &Path) -> String {
    path.strip_prefix(&problem.dir)
        .unwrap_or(path)
        .display()
        .to_string()
}
