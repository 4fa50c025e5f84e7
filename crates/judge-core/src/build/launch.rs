//! How a box starts a built program: a compiled binary on its own, or an interpreter with
//! the judge's harness, the program's files and its packages. The runner turns a `Launch`
//! into one sandbox job per case; nothing here runs anything.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// What a case's box executes, with what, seeing what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Launch {
    /// The file the box executes (the same path inside the box).
    pub program: PathBuf,
    /// Its arguments (the case itself arrives on stdin).
    pub args: Vec<OsString>,
    pub env: Vec<(OsString, OsString)>,
    /// What the box sees read-only besides the system libraries.
    pub mounts: Vec<PathBuf>,
    /// The only files the box may execute (and their ELF interpreters).
    pub executables: Vec<PathBuf>,
    /// Memory the program needs beyond its data (an interpreter and its libraries), added
    /// to the box's memory and address-space limits so that a problem's limit is about the
    /// solution's data in every language.
    pub memory_overhead_mb: u64,
    /// The program's time limit as a multiple of the problem's (the bank's limits are set
    /// for Rust): in percent, 100 for a compiled program.
    pub time_percent: u64,
}

impl Launch {
    /// A compiled binary that needs nothing but itself.
    pub fn binary(path: &Path) -> Launch {
        Launch {
            program: path.to_path_buf(),
            args: Vec::new(),
            env: Vec::new(),
            mounts: vec![path.to_path_buf()],
            executables: vec![path.to_path_buf()],
            memory_overhead_mb: 0,
            time_percent: 100,
        }
    }
}
