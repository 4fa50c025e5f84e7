//! `judge complexity <problem> <solution>...`: how each solution's cost grows with the
//! generator's size, against the reference's (`judge::complexity`), as text or `--json`
//! (docs/complexity.md). Also the opt-in section of `judge submit --complexity`.

use std::path::{Path, PathBuf};

use super::args::{Bounds, ComplexityArgs};
use super::emit;
use super::flags::JudgingFlags;
use super::kattis;
use crate::cache::Cache;
use crate::error::{Error, UsageError};
use crate::judge::Engine;
use crate::problem::bank::Bank;
use crate::problem::spec::{self, Problem};
use crate::report::complexity::{Complexity, Growth};
use crate::report::text::escape_controls;

pub(super) fn run(
    bank: &Bank,
    cache: &Cache,
    jobs: usize,
    flags: JudgingFlags,
    args: &ComplexityArgs,
) -> Result<i32, Error> {
    let problem = load(bank, &args.problem)?;
    let mut sources = Vec::new();
    for path in &args.solutions {
        let text =
            std::fs::read_to_string(path).map_err(|_| UsageError::NoSolution(path.clone()))?;
        sources.push(text);
    }
    let engine = flags.engine(cache, jobs, false)?;
    let solutions: Vec<(&str, &Path)> = sources
        .iter()
        .map(String::as_str)
        .zip(args.solutions.iter().map(PathBuf::as_path))
        .collect();
    let found = engine.complexities(
        &problem,
        &problem.reference_path(),
        &solutions,
        &args.bounds.options(),
    )?;
    if args.json {
        let json = match found.as_slice() {
            [one] => serde_json::to_string_pretty(one),
            many => serde_json::to_string_pretty(many),
        };
        emit(format_args!("{}\n", json.unwrap_or_default()));
    } else {
        for (i, (c, path)) in found.iter().zip(&args.solutions).enumerate() {
            if found.len() > 1 {
                let gap = if i == 0 { "" } else { "\n" };
                emit(format_args!("{gap}== {}\n", path.display()));
            }
            emit(format_args!("{}", escape_controls(&c.to_text())));
        }
    }
    Ok(found.iter().map(exit_code).max().unwrap_or(0))
}

/// A function problem with a generator; a Kattis package is refused, saying why.
pub(super) fn load(bank: &Bank, problem: &str) -> Result<Problem, Error> {
    if let Some(dir) = kattis::package_dir(bank, problem) {
        return Err(UsageError::NoComplexity { dir }.into());
    }
    Ok(spec::load(&bank.resolve(problem)?)?)
}

/// 0 when the solution grows no faster than the reference and stays within the limit at
/// the largest hidden size; 1 when it does not (or did not compile); 2 when nothing could be
/// measured.
fn exit_code(c: &Complexity) -> i32 {
    let over = c.at_largest.as_ref().is_some_and(|a| a.over_limit);
    match c.comparison {
        Some(Growth::Faster) => 1,
        Some(_) if over => 1,
        Some(_) => 0,
        None if c.solution.stopped == crate::report::complexity::Stop::NotRun => 1,
        None => 2,
    }
}

/// The measurement of a submission's report (`judge submit --complexity`), or `None` with a
/// note on stderr when the problem cannot be measured (a missing generator is no reason to
/// fail a judging).
pub(super) fn for_submission(
    engine: &Engine,
    problem: &Problem,
    solution: &Path,
    bounds: Bounds,
) -> Result<Option<Complexity>, Error> {
    let source = std::fs::read_to_string(solution)
        .map_err(|_| UsageError::NoSolution(solution.to_path_buf()))?;
    match engine.complexity(
        problem,
        &problem.reference_path(),
        &source,
        solution,
        &bounds.options(),
    ) {
        Ok(c) => Ok(Some(c)),
        Err(e @ crate::judge::JudgeError::NoGenerator { .. }) => {
            eprintln!("note: no complexity section: {e}");
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}
