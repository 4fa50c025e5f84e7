//! The host's Python 3 as the languages table finds it.

use std::path::PathBuf;
use std::process::Command;

use super::PythonError;
use crate::languages::Language;
use judge_sandbox as sandbox;

/// The host's Python 3 as the languages table finds it: its real executable (not a shim or
/// a virtual environment's link), the folders a box running it must see (its standard
/// library), and its version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Install {
    pub exe: PathBuf,
    pub folders: Vec<PathBuf>,
    pub version: String,
}

impl Install {
    /// The `python` tool of `language`'s entry.
    pub fn of(language: &Language) -> Result<Install, PythonError> {
        let (exe, folders) = language.tool(TOOL).map_err(PythonError::NoTool)?;
        let out = Command::new(exe)
            .args([
                "-I",
                "-S",
                "-c",
                "import sys; print('%d.%d.%d' % sys.version_info[:3])",
            ])
            .output()
            .map_err(|source| PythonError::Start {
                exe: exe.to_path_buf(),
                source,
            })?;
        let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if !out.status.success() || version.is_empty() {
            return Err(PythonError::NoVersion {
                exe: exe.to_path_buf(),
                stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
            });
        }
        Ok(Install {
            exe: exe.to_path_buf(),
            folders: folders.to_vec(),
            version,
        })
    }

    /// What a box running the interpreter must see: it and its standard library (folders
    /// every box has already are left out).
    pub(super) fn mounts(&self) -> Vec<PathBuf> {
        std::iter::once(self.exe.clone())
            .chain(self.folders.iter().cloned())
            .filter(|p| !sandbox::in_every_box(p))
            .collect()
    }
}

/// The name of the interpreter among the language's tools.
const TOOL: &str = "python";
