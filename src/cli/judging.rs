//! `judge submit` and `judge run` on function problems (packages go to `kattis.rs`), and
//! the judging flags that every command that judges turns into its engine.

use std::path::{Path, PathBuf};

use super::args::Bounds;
use super::complexity;
use super::flags::{verdict_code, BankChoice, JudgingFlags};
use super::kattis;
use crate::cache::Cache;
use crate::error::{Error, UsageError};
use crate::judge::{history, Mode};
use crate::languages::Languages;
use crate::problem::spec;
use crate::report::json::JsonReport;
use crate::report::text::escape_controls;

/// One `submit` or `run` as the command line asked for it.
pub(super) struct Judging {
    bank: BankChoice,
    jobs: usize,
    flags: JudgingFlags,
    problem: String,
    solution: PathBuf,
    mode: Mode,
    pub(super) json: bool,
    /// `submit --complexity`: a measured-complexity section, within these bounds.
    pub(super) complexity: Option<Bounds>,
    /// `--lang`: the solution's language, over its extension.
    pub(super) lang: Option<String>,
}

impl Judging {
    pub(super) fn new(
        bank: BankChoice,
        (jobs, flags): (usize, JudgingFlags),
        problem: String,
        solution: PathBuf,
        mode: Mode,
    ) -> Judging {
        Judging {
            bank,
            jobs,
            flags,
            problem,
            solution,
            mode,
            json: false,
            complexity: None,
            lang: None,
        }
    }
}

pub(super) fn judge(cache: &Cache, j: Judging) -> Result<i32, Error> {
    let Judging {
        bank,
        jobs,
        flags,
        problem,
        solution,
        mode,
        json,
        complexity: measure,
        lang,
    } = j;
    let bank = bank.locate()?;
    let bank = &bank;
    let solution = solution.as_path();
    let languages = Languages::load(Some(&bank.root))?;
    kattis::refuse_python2(solution, lang.as_deref())?;
    let language = languages.choose(lang.as_deref(), solution)?;
    if let Some(dir) = kattis::package_dir(bank, &problem) {
        if measure.is_some() {
            eprintln!(
                "note: no complexity section: {}",
                UsageError::NoComplexity { dir: dir.clone() }
            );
        }
        return kattis::judge(
            &dir,
            (solution, language, &languages),
            mode,
            json,
            (cache, jobs, flags),
        );
    }
    let problem = spec::load(&bank.resolve(&problem)?)?;
    if !solution.is_file() {
        return Err(UsageError::NoSolution(solution.to_path_buf()).into());
    }
    function_language(language, solution)?;
    let engine = flags
        .engine(cache, jobs, true)?
        .with_languages(languages.clone());
    if language.functions.is_some() && crate::build::python::packages::first_use(cache, language) {
        eprintln!(
            "judge: setting up numpy and pandas for Python solutions (the first time only: installing them into the cache takes about half a minute)"
        );
    }
    let report = engine.judge_in(
        &problem,
        &problem.reference_path(),
        solution,
        mode,
        Some(&language.id),
    )?;
    // The user's own record (`judge list`): only what they judge here, never verify's.
    history::record(cache, &report);
    let measured = match measure {
        Some(bounds) if report.compile.ok => {
            complexity::for_submission(&engine, &problem, solution, bounds)?
        }
        _ => None,
    };
    if json {
        let json = JsonReport::new(&report).with_complexity(measured.as_ref());
        println!("{}", json.to_pretty());
    } else {
        print!("{}", report.to_text(&problem.title));
        if let Some(c) = &measured {
            print!("\n{}", escape_controls(&c.to_text()));
        }
    }
    Ok(verdict_code(report.verdict))
}

/// A function problem's solution is Rust (its harness is the judge's own Rust), or in a
/// language whose entry names one of the judge's harnesses (`functions`: Python).
pub(super) fn function_language(
    language: &crate::languages::Language,
    solution: &Path,
) -> Result<(), UsageError> {
    if language.build == crate::languages::Build::Judge || language.functions.is_some() {
        return Ok(());
    }
    Err(UsageError::LanguageNotJudged {
        path: solution.to_path_buf(),
        language: language.name.clone(),
        kind: "function-signature",
        takes: "Rust and Python",
    })
}

/// `judge run --input`: one input of the user's own, the answer beside the reference's.
/// Exit codes as a judging's; an input the reference fails on (it breaks the problem's
/// rules) is the user's mistake: 2.
pub(super) fn try_input(cache: &Cache, j: &Judging, input: &Path) -> Result<i32, Error> {
    let bank = &j.bank.locate()?;
    let jobs = j.jobs;
    kattis::refuse(bank, &j.problem, "judge run --input")?;
    let problem = spec::load(&bank.resolve(&j.problem)?)?;
    let languages = Languages::load(Some(&bank.root))?;
    function_language(
        languages.choose(j.lang.as_deref(), &j.solution)?,
        &j.solution,
    )?;
    let case = spec::load_input(&problem, input)?;
    let source = std::fs::read_to_string(&j.solution)
        .map_err(|_| UsageError::NoSolution(j.solution.clone()))?;
    let engine = j.flags.engine(cache, jobs, false)?;
    let report = engine.try_input(
        &problem,
        &problem.reference_path(),
        &source,
        &j.solution,
        &case,
    )?;
    if j.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    } else {
        print!("{}", report.to_text());
    }
    Ok(report.verdict().map_or(2, verdict_code))
}
