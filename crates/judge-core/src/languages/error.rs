//! Why a language cannot be had: its table, or a language asked for that it lacks or that
//! is not installed here.

use std::path::PathBuf;
use std::sync::Arc;

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

/// Why a language's tool cannot be used here: the language is then not installed.
#[derive(Debug, thiserror::Error)]
pub enum ToolError {
    #[error("no `{0}` on PATH")]
    NotOnPath(String),
    #[error("cannot run {}: {source}", .program.display())]
    CannotRun {
        program: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A tool's `locate` command (`command`, as written) named no executable.
    #[error("`{command}` did not name its executable: {stderr}")]
    NotLocated { command: String, stderr: String },
    /// The version command failed (what it said on stderr).
    #[error("{} failed: {stderr}", .program.display())]
    VersionFailed { program: PathBuf, stderr: String },
    /// The version command's template is wrong.
    #[error(transparent)]
    Command(#[from] CommandError),
}

/// Why a command template cannot be filled in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    #[error("the command is empty")]
    Empty,
    #[error("{{{0}}} names no tool of this language")]
    NoSuchTool(String),
    /// `{binary}` or `{out_dir}` where the command has none.
    #[error("{{{0}}} has no value in this command")]
    NoValue(&'static str),
}
