//! Why Python solutions cannot be judged here.

use std::io;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum PythonError {
    #[error("no Python 3 interpreter: {0} (`judge doctor` checks)")]
    NoPython(String),
    #[error("numpy and pandas for Python solutions: {0}")]
    Packages(String),
    #[error("the judge's Python harness does not compile: {0}")]
    Harness(String),
    #[error("compiler sandbox failed: {0}")]
    Sandbox(io::Error),
    #[error("cache at {}: {source}", path.display())]
    Cache { path: PathBuf, source: io::Error },
}
