//! The command line for Kattis packages: `submit`, `run`, `show` and `list` on a folder
//! holding `problem.yaml` (verify goes through `authoring::verify`, which knows packages).
//! Glue only: loading is `problem::package`, judging `judge::package`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::emit;
use super::flags::{verdict_code, JudgingFlags};
use crate::cache::Cache;
use crate::error::{Error, UsageError};
use crate::judge::history;
use crate::judge::package::{self as judge_package, PackageRun};
use crate::judge::Mode;
use crate::languages::{Language, Languages};
use crate::problem::bank::Bank;
use crate::problem::package;
use crate::report::json::JsonReport;
use crate::sandbox::Cancel;

/// The package folder `problem` names, when it names one.
pub(super) fn package_dir(bank: &Bank, problem: &str) -> Option<PathBuf> {
    bank.resolve(problem)
        .ok()
        .filter(|dir| package::is_package(dir))
}

/// `judge submit` / `judge run` on a package.
pub(super) fn judge(
    dir: &Path,
    (solution, language, languages): (&Path, &Language, &Languages),
    mode: Mode,
    json: bool,
    (cache, jobs, flags): (&Cache, usize, JudgingFlags),
) -> Result<i32, Error> {
    let package = package::load(dir)?;
    if !solution.is_file() {
        return Err(UsageError::NoSolution(solution.to_path_buf()).into());
    }
    let source = std::fs::read_to_string(solution)
        .map_err(|_| UsageError::NoSolution(solution.to_path_buf()))?;
    if let Err(e) = language.installed() {
        return Err(crate::judge::JudgeError::from(e).into());
    }
    judge_package::allowed(&package, language).map_err(refused)?;
    let mut modules = Vec::new();
    let entry = solution.file_name().unwrap_or_default().to_string_lossy();
    let includes = judge_package::include_files(&package, language).map_err(refused)?;
    judge_package::with_includes(&mut modules, &entry, includes);
    let engine = flags
        .engine(cache, jobs, true)?
        .with_languages(languages.clone());
    let cancel = Cancel::default();
    let limit = engine.package_time_limit(&package, &cancel)?;
    if let Some((name, slowest)) = &limit.derived_from {
        eprintln!(
            "note: time limit {} ms, derived from submissions/{name} ({slowest} ms on its slowest case × {})",
            limit.ms, package.limits.ac_to_time_limit
        );
    }
    let run = PackageRun {
        package: &package,
        language,
        source: &source,
        solution,
        modules: &modules,
        mode,
        time_ms: limit.ms,
        all_cases: false,
    };
    let report = engine.judge_package(&run, &cancel)?;
    history::record(cache, &report);
    if json {
        emit(format_args!("{}\n", JsonReport::new(&report).to_pretty()));
    } else {
        emit(format_args!("{}", report.to_text(&package.name)));
    }
    Ok(verdict_code(report.verdict))
}

/// Why a package's solution is not judged, as a usage error (the file and the reason).
fn refused(why: judge_package::Unjudged) -> UsageError {
    UsageError::Refused(Box::new(why))
}

/// A Python 2 solution (`.py2`, or a first line naming python2) is refused by name, never
/// run as Python 3; `--lang` says otherwise.
pub(super) fn refuse_python2(solution: &Path, lang: Option<&str>) -> Result<(), UsageError> {
    let program = package::Program::at(solution);
    if lang.is_none() && solution.is_file() && program.is_python2() {
        return Err(refused(judge_package::Unjudged::Python2 {
            program: solution.to_path_buf(),
        }));
    }
    Ok(())
}

/// `judge show` on a package: its name, limits, statement and samples; with `stub`, a
/// whole program in `lang` (default: the first language the package allows, Rust when it
/// allows any) that compiles and reads its input: the languages table's `stub`.
pub(super) fn show(
    bank: &Bank,
    dir: &Path,
    (stub, lang): (bool, Option<&str>),
) -> Result<i32, Error> {
    let package = package::load(dir)?;
    if !stub {
        emit(format_args!(
            "{}",
            escape(&package::document::terminal(&package))
        ));
        return Ok(0);
    }
    let languages = Languages::load(Some(&bank.root))?;
    let language = match lang {
        Some(id) => languages.get(id)?,
        None => languages
            .all()
            .iter()
            .find(|l| judge_package::allowed(&package, l).is_ok())
            .ok_or_else(|| UsageError::NoLanguageAllowed(dir.to_path_buf()))?,
    };
    judge_package::allowed(&package, language).map_err(refused)?;
    let Some(text) = &language.stub else {
        return Err(UsageError::NoStub {
            language: language.name.clone(),
            defined_in: language.defined_in.clone(),
        }
        .into());
    };
    emit(format_args!("{text}"));
    Ok(0)
}

/// The packages' rows of `judge list --json`, in the TOML problems' shape (a package has
/// no difficulty or tags).
pub(super) fn list_json(
    rows: &[(String, String, usize)],
    own: &HashMap<String, history::Record>,
) -> Vec<serde_json::Value> {
    rows.iter()
        .map(|(id, title, cases)| {
            let record = own.get(id);
            serde_json::json!({
                "id": id, "title": title, "difficulty": null, "tags": [], "cases": cases,
                "format": "kattis",
                "state": history::Record::state(record).key(),
                "best_score": record.filter(|r| r.submissions > 0).map(|r| r.best_score),
                "submissions": record.map_or(0, |r| r.submissions),
            })
        })
        .collect()
}

/// The packages' lines of `judge list`, after the TOML problems.
pub(super) fn list_text(
    rows: &[(String, String, usize)],
    own: &HashMap<String, history::Record>,
) -> String {
    use std::fmt::Write;
    if rows.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "
Kattis packages (stdin/stdout programs)
",
    );
    let width = rows.iter().map(|(id, _, _)| id.len()).max().unwrap_or(2);
    for (id, title, cases) in rows {
        let state = history::Record::state(own.get(id)).name();
        let _ = writeln!(out, "{id:<width$}  {state:<9}  {title} ({cases} cases)");
    }
    escape(&out)
}

fn escape(text: &str) -> String {
    crate::report::text::escape_controls(text).into_owned()
}

/// `judge list` rows for the packages among the bank's problems: (id, title, cases).
pub(super) fn list_rows(bank: &Bank, ids: &[String]) -> (Vec<(String, String, usize)>, i32) {
    let mut code = 0;
    let mut rows = Vec::new();
    for id in ids {
        match package::load(&bank.problems_dir().join(id)) {
            Ok(p) => rows.push((p.id.clone(), p.name.clone(), p.cases().len())),
            Err(e) => {
                let e = Error::from(e);
                code = code.max(e.exit_code());
                eprintln!("{id}: cannot load: {}", escape(&e.to_string()));
            }
        }
    }
    (rows, code)
}

/// `judge new --kattis <id>`: the package's files, then what to do next.
pub(super) fn new(root: &Path, id: &str) -> Result<i32, Error> {
    for path in crate::authoring::package_scaffold::create(root, id)? {
        emit(format_args!("created {}\n", path.display()));
    }
    let dir = root.join("problems").join(id);
    emit(format_args!(
        "\nNext: edit {0}/problem.yaml and {0}/statement/problem.en.md, then `judge verify {0}`.\nAUTHORING.md's section on Kattis packages walks through it.\n",
        dir.display()
    ));
    Ok(0)
}

/// Refuses `command`, which only function problems have, on a package.
pub(super) fn refuse(bank: &Bank, problem: &str, command: &'static str) -> Result<(), Error> {
    match package_dir(bank, problem) {
        Some(dir) => Err(UsageError::NotForPackages { command, dir }.into()),
        None => Ok(()),
    }
}
