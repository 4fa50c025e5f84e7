//! Turning sources into programs: the crate root (harness) that wraps a solution, generator
//! or checker, and the toolchain that compiles it in a box, with its results kept in the cache;
//! programs in the other languages of the languages table, compiled by their own commands;
//! Python solutions to function problems compiled to bytecode in a box (`python`); how a
//! case's box starts a built program (`launch`).

pub mod harness;
pub mod launch;
pub mod program;
pub mod python;
pub mod runtime;
pub mod toolchain;

use crate::languages::{Build, Harness, Language};
use crate::problem::spec::Problem;

/// A stub of `problem`'s function in `language` (Rust's, or the one its harness takes),
/// or `None` when function problems do not take the language.
pub fn function_stub(problem: &Problem, language: &Language) -> Option<String> {
    if language.build == Build::Judge {
        return Some(harness::stub(&problem.signature, &problem.records));
    }
    match language.functions?.harness {
        Harness::Python => Some(python::contract::stub(&problem.signature, &problem.records)),
    }
}

/// How a function problem's limits read in each of `languages` whose harness changes them
/// (the problem's are set for Rust): for the statement.
pub fn scaled_limits<'a>(
    languages: impl IntoIterator<Item = &'a Language>,
) -> Vec<crate::problem::statement::Scaled<'a>> {
    languages
        .into_iter()
        .filter_map(|l| {
            l.functions.map(|f| crate::problem::statement::Scaled {
                language: &l.name,
                time_multiplier: f.time_multiplier,
                memory_extra_mb: f.memory_extra_mb,
            })
        })
        .collect()
}
