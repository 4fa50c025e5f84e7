//! Finding problems: a bank is a folder holding `problems/` and `reference/`.
//!
//! The bank is, in order: `--bank DIR`, `$JUDGE_BANK`, the current directory when it holds
//! `problems/`, else the bank this judge was built from. A `<problem>` argument is a path to a
//! problem folder when it names an existing directory (or contains a `/`), else an id.

use std::path::{Path, PathBuf};

use crate::error::Error;

pub struct Bank {
    pub root: PathBuf,
}

impl Bank {
    pub fn locate(explicit: Option<&Path>) -> Bank {
        let root = explicit
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os("JUDGE_BANK").map(PathBuf::from))
            .or_else(|| Some(PathBuf::from(".")).filter(|d| d.join("problems").is_dir()))
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
        Bank { root }
    }

    pub fn problems_dir(&self) -> PathBuf {
        self.root.join("problems")
    }

    /// The folder of `<problem>` (an id or a path).
    pub fn resolve(&self, problem: &str) -> Result<PathBuf, Error> {
        let as_path = Path::new(problem);
        if as_path.is_dir() && (problem.contains('/') || as_path.join("problem.toml").is_file()) {
            return Ok(as_path.to_path_buf());
        }
        if problem.contains('/') {
            return Err(Error::Input(format!("no problem folder at {problem}")));
        }
        let dir = self.problems_dir().join(problem);
        if dir.join("problem.toml").is_file() {
            return Ok(dir);
        }
        let known = self.ids().join(", ");
        Err(Error::Input(format!(
            "no problem `{problem}` in {} (known: {known})",
            self.problems_dir().display()
        )))
    }

    /// Every problem id in the bank, sorted.
    pub fn ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = std::fs::read_dir(self.problems_dir())
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.path().join("problem.toml").is_file())
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .collect();
        ids.sort();
        ids
    }
}
