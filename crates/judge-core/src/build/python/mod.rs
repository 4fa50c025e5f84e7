//! Python 3 solutions to function problems (the bank's kind): the host's interpreter, numpy
//! and pandas for it (`packages`), the harness (`runtime/judge_py.py`, compiled to bytecode
//! once into the cache), and each candidate's file compiled to bytecode in a box, so that a
//! syntax error is a compile error (CE) with Python's message and line, and a file without
//! the problem's function is one too.
//!
//! A case runs the interpreter on the harness in a fresh box (`launch`), which sees the
//! interpreter and its standard library, the packages, the harness and the compiled file,
//! nothing else of the host; it may execute the interpreter alone.
//!
//! Invariant: the candidate's code runs only in a box; outside one the judge runs the
//! interpreter only on its own code (finding it, making the environment, compiling the
//! harness).

pub mod contract;
mod error;
mod install;
mod interpreter;
pub mod packages;
mod pins;
mod steps;

pub use error::PythonError;
pub use install::Install;
pub use interpreter::Python;
pub use packages::Packages;

/// The harness every case runs.
pub const HARNESS_SOURCE: &str = include_str!("../../runtime/judge_py.py");
