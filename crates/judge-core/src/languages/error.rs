//! Why a language cannot be had: its table, or a language asked for that it lacks or that
//! is not installed here.

use std::path::PathBuf;
use std::sync::Arc;

use super::{CommandError, ToolError};

#[derive(Debug, thiserror::Error)]
pub enum LanguageError {
    /// A table that does not parse or whose entry is wrong: the file, its line when known,
    /// the key, and why.
    #[error("{file}{}: `{key}`: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Invalid {
        file: String,
        line: Option<usize>,
        key: String,
        message: String,
    },
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("unknown language `{given}`: the judge knows {known}")]
    Unknown { given: String, known: String },
    #[error("{}: no language has the extension of this file; name one with --lang ({known})", path.display())]
    NoLanguageFor { path: PathBuf, known: String },
    /// A tool the language needs is missing or failed here (shared: it is found once).
    #[error("{name} is not installed here: {why}")]
    NotInstalled { name: String, why: Arc<ToolError> },
    /// A command of the table that cannot be filled in (its file, the entry's key).
    #[error("{file}: `{key}`: {source}")]
    BadCommand {
        file: String,
        key: String,
        #[source]
        source: CommandError,
    },
}
