//! Turning sources into programs: the crate root (harness) that wraps a solution, generator
//! or checker, and the toolchain that compiles it in a box, with its results kept in the cache;
//! programs in the other languages of the languages table, compiled by their own commands;
//! Python solutions to function problems compiled to bytecode in a box (`python`); how a
//! case's box starts a built program (`launch`).

pub mod harness;
pub mod launch;
pub mod program;
pub mod python;
pub mod toolchain;
