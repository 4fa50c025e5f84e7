//! judge: grades solutions to function-signature problems and Kattis packages.
//!
//! # Crates
//! The judge is a workspace whose crates are its layers, each depending only on those
//! before it: `judge_sandbox` (one boxed process), `judge_core` (problems, the cache, the
//! languages table, builds, reports, similarity, the engine, authoring, offline
//! interviews), `judge_service` (`judge serve`: HTTP API, store, queue, workers; behind the
//! default feature `service`), and this package: the `judge` binary, its command line
//! (`cli`, which nothing imports) and `error` (every failure with its exit code). The
//! lower crates' modules are re-exported here under the names they had when they were
//! folders of this crate, for the integration tests, the benches and other front ends.
//! ARCHITECTURE.md has the map and the invariants.

mod cli;
pub mod error;

pub use judge_core::{
    authoring, build, cache, interview, judge, languages, problem, report, similarity,
};
pub use judge_sandbox as sandbox;
#[cfg(feature = "service")]
pub use judge_service as service;

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
