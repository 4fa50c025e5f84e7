//! Why Python solutions cannot be judged here.

use std::io;
use std::path::PathBuf;

use super::pins::{NUMPY, PANDAS, SUPPORTED};
use crate::languages::LanguageError;

#[derive(Debug, thiserror::Error)]
pub enum PythonError {
    /// The languages table names no usable `python` tool.
    #[error("no Python 3 interpreter: {0} (`judge doctor` checks)")]
    NoTool(#[source] LanguageError),
    #[error("no Python 3 interpreter: {} could not start ({source}) (`judge doctor` checks)", exe.display())]
    Start { exe: PathBuf, source: io::Error },
    #[error("no Python 3 interpreter: {} did not say its version: {stderr} (`judge doctor` checks)", exe.display())]
    NoVersion { exe: PathBuf, stderr: String },
    #[error(
        "no Python 3 interpreter: {language} has no `functions` entry (`judge doctor` checks)"
    )]
    NoFunctions { language: String },
    /// The interpreter's version is not one the pinned wheels are built for.
    #[error("numpy and pandas for Python solutions: {} is Python {version}, and the numpy {NUMPY} and pandas {PANDAS} the judge installs are built for Python 3.{lo} to 3.{hi}; install numpy and pandas for this interpreter yourself (the judge then uses them), or put a Python 3.{lo}-3.{hi} first on PATH", exe.display(), lo = SUPPORTED.0, hi = SUPPORTED.1)]
    Unsupported { exe: PathBuf, version: String },
    #[error("numpy and pandas for Python solutions: {step}\nmaking a virtual environment at {} needs Python's venv module (on Debian and Ubuntu: apt-get install python3-venv)", venv.display())]
    Venv {
        venv: PathBuf,
        #[source]
        step: Box<StepError>,
    },
    #[error("numpy and pandas for Python solutions: {step}\ninstalling numpy {NUMPY} and pandas {PANDAS} into {} needs the package index (PyPI); without a network, install numpy and pandas for {} (pip or your system's packages) and the judge uses those", venv.display(), exe.display())]
    Pip {
        venv: PathBuf,
        exe: PathBuf,
        #[source]
        step: Box<StepError>,
    },
    #[error("numpy and pandas for Python solutions: {0}")]
    SitePackages(#[source] Box<StepError>),
    #[error("numpy and pandas for Python solutions: pip reported success but {} holds no numpy and pandas", .0.display())]
    NotInstalled(PathBuf),
    #[error("the judge's Python harness does not compile: {0}")]
    HarnessStart(#[source] io::Error),
    #[error("the judge's Python harness does not compile: {stderr}")]
    HarnessCompile { stderr: String },
    #[error("compiler sandbox failed: {0}")]
    Sandbox(io::Error),
    #[error("cache at {}: {source}", path.display())]
    Cache { path: PathBuf, source: io::Error },
}

/// One step of setting up numpy and pandas that failed: a tool that ended in failure
/// (the last lines of what it said), or one that could not start.
#[derive(Debug, thiserror::Error)]
pub enum StepError {
    #[error("{what} failed:\n{stderr_tail}")]
    Failed {
        what: &'static str,
        stderr_tail: String,
    },
    #[error("{what} could not start: {source}")]
    Start {
        what: &'static str,
        source: io::Error,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_step_reads_as_it_did_when_it_was_text() {
        let venv = PythonError::Venv {
            venv: PathBuf::from("/c/venv"),
            step: Box::new(StepError::Failed {
                what: "python3 -m venv",
                stderr_tail: "no ensurepip".into(),
            }),
        };
        assert_eq!(
            venv.to_string(),
            "numpy and pandas for Python solutions: python3 -m venv failed:\nno ensurepip\nmaking a virtual environment at /c/venv needs Python's venv module (on Debian and Ubuntu: apt-get install python3-venv)"
        );
        let old = PythonError::Unsupported {
            exe: PathBuf::from("/usr/bin/python3"),
            version: "3.9.2".into(),
        };
        assert_eq!(
            old.to_string(),
            format!("numpy and pandas for Python solutions: /usr/bin/python3 is Python 3.9.2, and the numpy {NUMPY} and pandas {PANDAS} the judge installs are built for Python 3.10 to 3.13; install numpy and pandas for this interpreter yourself (the judge then uses them), or put a Python 3.10-3.13 first on PATH")
        );
    }
}
