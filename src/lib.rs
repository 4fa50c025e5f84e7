//! judge: grades Rust solutions to function-signature problems.
//!
//! # Layers
//! Each folder owns one concern and imports only the layers listed before it
//! (`tests/integration/layers.rs` checks this):
//! `sandbox` (one boxed process; imports nothing else of the crate), `problem` (types, values,
//! loading a folder, the bank, statements), `cache` (content-addressed files and pruning),
//! `languages` (the languages table: extensions, commands, toolchain paths, limits),
//! `build` (harness crate roots, the toolchain), `report` (the report schema and its
//! renderings), `similarity` (submissions compared for copying), `judge` (the engine), `authoring`, `interview`, `service` (`judge serve`: HTTP
//! API, store, queue, workers), `error` (every phase's error
//! gathered for the front ends, with its exit code), and `cli` (nothing imports it).
//! ARCHITECTURE.md has the map and the invariants.

pub mod authoring;
pub mod build;
pub mod cache;
mod cli;
pub mod error;
pub mod interview;
pub mod judge;
pub mod languages;
pub mod problem;
pub mod report;
pub mod sandbox;
pub mod service;
pub mod similarity;

/// The runtime's own tests, compiled into the judge's (the cache builds it without them).
#[cfg(test)]
#[path = "runtime/judge_rt.rs"]
#[allow(dead_code)]
mod judge_rt;

/// Runs the command line with `argv` (program name first); returns the exit code.
pub fn run(argv: Vec<std::ffi::OsString>) -> i32 {
    keep_memory_small();
    // Descriptors the judge was started with (`judge ... 9<dir`) must reach no program it
    // starts; every box also closes its own before exec.
    sandbox::close_inherited_descriptors();
    let code = cli::run(argv);
    // A delegated cgroup v2 is left as the judge found it.
    sandbox::release_cgroups();
    code
}

/// Every box starts as a fork of the judge, and a fork copies the judge's page tables (three
/// times: the box is three processes deep), so the judge's resident size is paid per case.
/// glibc raises its mmap threshold after large buffers are freed (up to 32 MiB), after which
/// big answers and inputs live on the heap and their pages stay resident; a fixed threshold
/// (which turns off that adjustment) hands them back on free. On 2 cores this takes about a
/// quarter off the system time of a whole-bank `verify` with nothing cached (to re-measure:
/// `time judge verify` on an empty `JUDGE_CACHE_DIR`, with and without this call).
fn keep_memory_small() {
    const THRESHOLD: libc::c_int = 128 << 10;
    // SAFETY: mallopt only sets allocator parameters; called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, THRESHOLD);
        libc::mallopt(libc::M_TRIM_THRESHOLD, THRESHOLD);
    }
}
