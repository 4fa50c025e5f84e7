//! judge: grades Rust solutions to function-signature problems.
//!
//! # Layout
//! A problem folder is loaded and validated by `spec` (types in `types`, case values in
//! `value`); `harness` generates the crate root that wraps a solution; `toolchain` compiles it
//! with rustc against the prebuilt runtime (`runtime/judge_rt.rs`) through `cache`; `runner`
//! runs the cases in parallel, each through `sandbox`; `checker` compares answers; `engine`
//! ties these together into a `report::Report`; `verify`, `doctor` and `bank` serve the CLI
//! in `cli`. ARCHITECTURE.md has the map and the invariants.

pub mod bank;
pub mod cache;
pub mod calibrate;
pub mod checker;
mod cli;
pub mod doctor;
pub mod engine;
pub mod error;
pub mod harness;
pub mod interview;
pub mod progress;
pub mod prune;
pub mod report;
pub mod runner;
pub mod sandbox;
pub mod scaffold;
pub mod shrink;
pub mod spec;
pub mod statement;
pub mod stress;
pub mod text;
pub mod toolchain;
pub mod types;
pub mod value;
pub mod verify;

/// Runs the command line with `argv` (program name first); returns the exit code.
/// The runtime's own tests, compiled into the judge's (the cache builds it without them).
#[cfg(test)]
#[path = "runtime/judge_rt.rs"]
#[allow(dead_code)]
mod judge_rt;

pub fn run(argv: Vec<std::ffi::OsString>) -> i32 {
    keep_memory_small();
    // Descriptors the judge was started with (`judge ... 9<dir`) must reach no program it
    // starts; every box also closes its own before exec.
    sandbox::close_inherited_descriptors();
    cli::run(argv)
}

/// Every box starts as a fork of the judge, and a fork copies the judge's page tables (three
/// times: the box is three processes deep), so the judge's resident size is paid per case.
/// glibc raises its mmap threshold after large buffers are freed (up to 32 MiB), after which
/// big answers and inputs live on the heap and their pages stay resident; a fixed threshold
/// (which turns off that adjustment) hands them back on free. Whole-bank `verify`: 70 s ->
/// 65 s, system time 27 s -> 20 s, on this 2-core machine.
fn keep_memory_small() {
    const THRESHOLD: libc::c_int = 128 << 10;
    // SAFETY: mallopt only sets allocator parameters; called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, THRESHOLD);
        libc::mallopt(libc::M_TRIM_THRESHOLD, THRESHOLD);
    }
}
