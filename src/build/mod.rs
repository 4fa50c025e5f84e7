//! Turning sources into programs: the crate root (harness) that wraps a solution, generator
//! or checker, and the toolchain that compiles it in a box, with its results kept in the cache;
//! Python solutions compiled to bytecode in a box (`python`); how a box starts each (`launch`).

pub mod harness;
pub mod launch;
pub mod python;
pub mod toolchain;
