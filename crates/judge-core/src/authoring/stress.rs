//! `judge stress`: random cases from the problem's generator, the solution against the
//! reference, until the first disagreement; then that case is shrunk (`shrink.rs`) while the
//! solution still fails it the same way, and handed back as a TOML table for tests.toml.

use std::fmt::Write;
use std::path::Path;

use serde_json::Value as Json;

use crate::authoring::{shrink, AuthoringError};
use crate::judge::{Engine, JudgeError, Trial, GENERATOR_FILE};
use crate::problem::spec::{Generate, Problem};
use crate::problem::types::Ty;
use crate::problem::value;
use crate::report::CaseReport;

pub struct Options {
    pub seed: u64,
    pub iterations: u64,
    /// Sizes cycle through 1..=max_size: small cases make small counterexamples.
    pub max_size: u64,
    /// Candidates tried at most while shrinking.
    pub budget: usize,
}

/// Cases generated and judged per batch (run in parallel).
const BATCH: usize = 16;

pub enum Outcome {
    /// Every case agreed (but the skipped ones, which the reference refused).
    Agreed {
        cases: u64,
        skipped: Vec<String>,
    },
    /// The solution does not compile.
    CompileError(String),
    Failed(Box<Failure>),
}

pub struct Failure {
    pub iteration: u64,
    pub generate: Generate,
    pub shrunk: shrink::Shrunk,
    /// The report on the smallest failing case.
    pub report: CaseReport,
    pub original_size: shrink::Measure,
    /// Generated cases the reference refused, before the failing one.
    pub skipped: Vec<String>,
}

fn generate_of(opts: &Options, i: u64) -> Generate {
    Generate {
        seed: opts.seed.wrapping_add(i),
        size: 1 + i % opts.max_size.max(1),
    }
}

pub fn stress(
    engine: &Engine,
    problem: &Problem,
    reference: &Path,
    solution: &Path,
    opts: &Options,
) -> Result<Outcome, AuthoringError> {
    if !problem.dir.join(GENERATOR_FILE).is_file() {
        return Err(AuthoringError::NoGenerator(problem.dir.clone()));
    }
    let contestants = match engine.contestants(problem, solution, reference)? {
        Ok(c) => c,
        Err(compile) => return Ok(Outcome::CompileError(compile.stderr)),
    };
    let mut i = 0;
    let mut skipped = Vec::new();
    while i < opts.iterations {
        let todo: Vec<Generate> = (i..opts.iterations.min(i + BATCH as u64))
            .map(|j| generate_of(opts, j))
            .collect();
        let inputs = engine.generate(problem, &todo)?;
        let trials = engine.trial(problem, &contestants, &inputs)?;
        for (k, trial) in trials.into_iter().enumerate() {
            let g = todo[k];
            match trial {
                Trial::Pass => {}
                Trial::Invalid(why) => {
                    // Generators written for large cases may break the rules at size 1
                    // (k above the row count): skipped, and said.
                    skipped.push(format!(
                        "seed {} size {}: the reference gets {why}",
                        g.seed, g.size
                    ));
                }
                Trial::Fail(report) => {
                    let original_size = shrink::measure(&inputs[k]);
                    let (shrunk, report) = shrink_failure(
                        engine,
                        problem,
                        &contestants,
                        inputs[k].clone(),
                        report,
                        opts,
                    )?;
                    return Ok(Outcome::Failed(Box::new(Failure {
                        iteration: i + k as u64 + 1,
                        generate: g,
                        shrunk,
                        report,
                        original_size,
                        skipped,
                    })));
                }
            }
        }
        i += todo.len() as u64;
    }
    if !skipped.is_empty() && skipped.len() as u64 == opts.iterations {
        return Err(JudgeError::ReferenceRejectsGenerated {
            first: skipped[0].clone(),
        }
        .into());
    }
    Ok(Outcome::Agreed {
        cases: opts.iterations,
        skipped,
    })
}

fn shrink_failure(
    engine: &Engine,
    problem: &Problem,
    contestants: &crate::judge::Contestants,
    args: Vec<Json>,
    report: CaseReport,
    opts: &Options,
) -> Result<(shrink::Shrunk, CaseReport), AuthoringError> {
    let verdict = report.verdict;
    let types: Vec<Ty> = problem
        .signature
        .args
        .iter()
        .map(|(_, t)| t.clone())
        .collect();
    let mut last = report;
    let shrunk = shrink::shrink(args, &types, problem, BATCH, opts.budget, |batch| {
        let trials = engine.trial(problem, contestants, batch)?;
        // The same failure, not merely some failure: a WA that shrinks into a panic on an
        // empty list would be a different bug.
        Ok::<_, JudgeError>(trials.into_iter().position(|t| match t {
            Trial::Fail(r) if r.verdict == verdict => {
                last = r;
                true
            }
            _ => false,
        }))
    })?;
    Ok((shrunk, last))
}

/// The case as a `[[group.case]]` table, one `argument = value` line each.
pub fn case_toml(problem: &Problem, args: &[Json]) -> String {
    let mut out = String::from("[[group.case]]\n");
    for ((name, _), v) in problem.signature.args.iter().zip(args) {
        let _ = writeln!(out, "{name} = {}", value::render_flat(v));
    }
    out
}

pub fn render(problem: &Problem, outcome: &Outcome, opts: &Options) -> String {
    let mut out = String::new();
    match outcome {
        Outcome::Agreed { cases, skipped } => {
            let _ = writeln!(
                out,
                "stress {}: {} random case(s) (seeds {}.., sizes 1..={}): the solution agrees with the reference",
                problem.id,
                cases - skipped.len() as u64,
                opts.seed,
                opts.max_size
            );
            skipped_text(skipped, &mut out);
        }
        Outcome::CompileError(stderr) => {
            let _ = writeln!(
                out,
                "stress {}: the solution does not compile:\n{stderr}",
                problem.id
            );
        }
        Outcome::Failed(f) => failure_text(problem, f, &mut out),
    }
    out
}

fn skipped_text(skipped: &[String], out: &mut String) {
    if let Some(first) = skipped.first() {
        let _ = writeln!(
            out,
            "warning: {} generated case(s) skipped because the reference refused them (first: {first}); the generator breaks the problem's rules at small sizes",
            skipped.len()
        );
    }
}

fn failure_text(problem: &Problem, f: &Failure, out: &mut String) {
    skipped_text(&f.skipped, out);
    let _ = writeln!(
        out,
        "stress {}: {} ({}) on random case {} (seed {}, size {})",
        problem.id,
        f.report.verdict.code(),
        f.report.verdict.meaning(),
        f.iteration,
        f.generate.seed,
        f.generate.size
    );
    let _ = writeln!(
        out,
        "shrunk in {} step(s), {} candidate(s) tried: from {} values ({} characters) to {} ({}){}",
        f.shrunk.steps,
        f.shrunk.tried,
        f.original_size.values(),
        f.original_size.characters(),
        shrink::measure(&f.shrunk.args).values(),
        shrink::measure(&f.shrunk.args).characters(),
        if f.shrunk.cut_short {
            " (the shrinking budget ran out: a smaller case may exist)"
        } else {
            ""
        }
    );
    let _ = writeln!(
        out,
        "\nThe smallest failing case, ready for tests.toml (under a [[group]]):\n\n{}",
        case_toml(problem, &f.shrunk.args)
    );
    if let Some(m) = &f.report.message {
        let _ = writeln!(out, "{m}");
    }
    if let Some(d) = &f.report.diff {
        let _ = writeln!(out, "diff (- reference, + solution):\n{}", d.trim_end());
    }
    if let Some(o) = &f.report.output {
        let _ = writeln!(out, "printed:\n{}", o.trim_end());
    }
}
