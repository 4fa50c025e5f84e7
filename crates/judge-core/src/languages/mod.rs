//! The languages the judge builds and runs, as data: `languages.toml` (built into the
//! binary, overridable key by key by a `languages.toml` beside the bank's `problems/`)
//! names for each language its id, name, file extensions, compile and run commands (argv
//! templates), the tools those commands use, what a compile or a run must see read-only in
//! its box, what it may execute there, the limits that differ (processes for the JVM,
//! memory counted as resident memory instead of address space) and the command `judge
//! doctor` asks for a version.
//!
//! A program's language is `--lang` when given (`Languages::choose`), else its entry file's
//! extension (`Languages::for_path`); an unknown id or extension is an error that lists the
//! known ones. `Language::compile_command` and `Language::run_command` turn the templates
//! into a `Command` (the program's real path, its arguments, the paths its box mounts and
//! may execute) for the engine to put in a box; nothing here runs candidate code. The host
//! commands that run here are the toolchain's own: finding a tool (`program` on `PATH`, or
//! its `locate` arguments) and asking its version.
//!
//! # Two shapes of problem, one entry per language
//!
//! A stdin/stdout problem (a Kattis package, `judge new --kattis`) compiles the candidate's
//! file with the entry's `compile` and runs it with `run`, the case's input on stdin.
//!
//! A function-signature problem (the bank) wraps the candidate's function in a harness of
//! the judge's: Rust's is its own toolchain's (`build = "judge"`); another language takes
//! function problems when its entry names one of the judge's harnesses (`functions`, for
//! `python` the harness `src/runtime/judge_py.py`, run by the entry's `python` tool with its
//! folders, `build::python`), with the limits it gives relative to the problem's.
//!
//! Invariant: no code path names a language by id except where the table says it is built
//! by the judge (`Build::Judge`) or names a harness (`Harness`): what differs between
//! languages is data.

mod command;
mod entry;
mod error;
mod list;
mod table;

pub use command::{Command, Vars};
pub use entry::{class_of, Build, Functions, Harness, Language, LanguageLimits, MemoryCount, Tool};
pub use error::{CommandError, LanguageError, ToolError};
pub use list::Languages;

/// The built-in table.
pub const BUILTIN: &str = include_str!("languages.toml");
/// The file that overrides or extends the built-in table, beside a bank's `problems/`.
pub const FILE_NAME: &str = "languages.toml";

#[cfg(test)]
mod tests;
