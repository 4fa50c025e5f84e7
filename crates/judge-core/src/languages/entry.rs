//! One language of the table (`Language`): its commands, tools, paths and limits, and its
//! tools found on this machine once.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use super::command::{self, Command, Vars};
use super::{class_of, table, CommandError, LanguageError, ToolError};

/// How a language's programs are built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Build {
    /// By the judge's own Rust toolchain (`build::toolchain`), with its runtime crates.
    Judge,
    /// By this command (an argv template), in a compile box.
    Command(Vec<String>),
    /// Not at all: the sources are kept as they are and `run` finds them in `{out_dir}`.
    Nothing,
}

/// How a box's memory limit is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemoryCount {
    /// The address space (RLIMIT_AS) and the cgroup's resident memory both.
    AddressSpace,
    /// Resident memory only (the cgroup): for runtimes that reserve far more address
    /// space than they use, as the JVM does.
    Resident,
}

/// The limits of a language's boxes that differ from the judge's defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LanguageLimits {
    /// Processes and threads a run's box may hold at once; `None`: the judge's default.
    pub processes: Option<u64>,
    /// How compile and run boxes count memory.
    pub memory: MemoryCount,
}

/// How a language's solutions to function problems (the bank) are judged: by which of the
/// judge's harnesses, and with which limits relative to the problem's (set for Rust).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Functions {
    pub harness: Harness,
    /// The problem's time limit counts this many times.
    pub time_multiplier: u64,
    /// MiB added to the problem's memory limit (an interpreter's own).
    pub memory_extra_mb: u64,
}

/// The judge's harnesses for function problems besides Rust's (`Build::Judge`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Harness {
    /// `runtime/judge_py.py`, run by the entry's `python` tool (`build::python`).
    Python,
}

/// A tool a language's commands use, found on this machine when first needed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tool {
    /// Its program name, looked up on `PATH`.
    pub program: String,
    /// Arguments that make the program print its real executable on the first line and,
    /// on the lines after, folders a box running it must see read-only. `None`: the program
    /// found on `PATH`, its links resolved.
    pub locate: Option<Vec<String>>,
}

/// One language of the table.
#[derive(Debug, Clone)]
pub struct Language {
    pub id: String,
    pub name: String,
    /// Its code in a Kattis package's `languages` list (`python3`); `None`: the id.
    pub package_code: Option<String>,
    /// File extensions, without the dot, as written (case matters: `.C` is C++).
    pub extensions: Vec<String>,
    /// Extensions of files that are part of a program but not compiled on their own.
    pub headers: Vec<String>,
    /// The entry file's name in the box (a template; `None`: the file's own name).
    pub source_name: Option<String>,
    pub build: Build,
    pub run: Vec<String>,
    pub version: Vec<String>,
    /// By name, as the commands' `{name}` placeholders use them.
    pub tools: Vec<(String, Tool)>,
    pub compile_paths: Vec<String>,
    pub compile_exec: Vec<String>,
    pub run_paths: Vec<String>,
    pub run_exec: Vec<String>,
    pub limits: LanguageLimits,
    /// Function problems: `None` when the judge has no harness for this language (Rust's
    /// is its own toolchain's, `Build::Judge`).
    pub functions: Option<Functions>,
    /// A whole program to start from on a stdin/stdout problem (`judge show --stub`, the
    /// web editor): it compiles, reads the input and writes nothing yet. `None`: the
    /// table gives none.
    pub stub: Option<String>,
    /// Where the entry was last written (the built-in table or an override file).
    pub defined_in: String,
    /// The tools found on this machine, once.
    pub(super) found: OnceLock<Result<command::Found, Arc<ToolError>>>,
}

impl Language {
    /// Its code in a Kattis package's `languages` list.
    pub fn package_code(&self) -> &str {
        self.package_code.as_deref().unwrap_or(&self.id)
    }

    /// Whether `path` is a header of this language (part of a program, not compiled alone).
    pub fn is_header(&self, path: &Path) -> bool {
        path.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| self.headers.iter().any(|h| h == e))
    }

    /// Whether `path` is a file of this language (a source or a header).
    pub fn owns(&self, path: &Path) -> bool {
        self.is_header(path)
            || path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| self.extensions.iter().any(|x| x == e))
    }

    /// Whether every tool is on this machine; `Err` says which is missing and why.
    pub fn installed(&self) -> Result<(), LanguageError> {
        self.found().map(|_| ())
    }

    /// The tool `name`'s real executable and the folders a box running it must see.
    pub fn tool(&self, name: &str) -> Result<(&Path, &[PathBuf]), LanguageError> {
        let found = self.found()?;
        found
            .tools
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, path, folders)| (path.as_path(), folders.as_slice()))
            .ok_or_else(|| self.invalid("tools", format!("no tool named `{name}`")))
    }

    /// The first line the version command prints (stdout, else stderr).
    pub fn version(&self) -> Result<String, LanguageError> {
        let found = self.found()?;
        command::version(self, found).map_err(|why| self.not_installed(Arc::new(why)))
    }

    /// The compile command for `vars`; `None` for a language built by the judge or not at
    /// all.
    pub fn compile_command(&self, vars: &Vars<'_>) -> Result<Option<Command>, LanguageError> {
        let Build::Command(template) = &self.build else {
            return Ok(None);
        };
        let found = self.found_for(template)?;
        let paths = (&self.compile_paths, &self.compile_exec);
        command::build(template, vars, &found, paths)
            .map(Some)
            .map_err(|why| self.bad_command("compile", why))
    }

    /// The run command for `vars`.
    pub fn run_command(&self, vars: &Vars<'_>) -> Result<Command, LanguageError> {
        let found = self.found_for(&self.run)?;
        let paths = (&self.run_paths, &self.run_exec);
        command::build(&self.run, vars, &found, paths).map_err(|why| self.bad_command("run", why))
    }

    /// What identifies this language's builds: the entry as written and the real paths of
    /// its tools (a different compiler is a different build).
    pub fn build_key(&self) -> Result<String, LanguageError> {
        let found = self.found()?;
        Ok(format!("{}|{found:?}", self.entry_key()))
    }

    /// The entry as written, every key that decides a build or a run.
    pub fn entry_key(&self) -> String {
        format!(
            "{}|{}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
            self.id,
            self.name,
            self.extensions,
            self.headers,
            self.source_name,
            self.build,
            self.run,
            self.tools,
            self.compile_paths,
            self.compile_exec,
            self.run_paths,
            self.run_exec,
            self.limits
        )
    }

    /// The entry file's name in the box: `source_name` filled in, else `file_name`.
    pub fn source_name(&self, file_name: &str, source: &str) -> String {
        match &self.source_name {
            None => file_name.to_string(),
            Some(template) => template.replace("{class}", &class_of(source, file_name)),
        }
    }

    /// The tools `template` names, found; none needed when it names none (Rust's run is its
    /// binary alone, whatever rustc is on `PATH`).
    fn found_for(&self, template: &[String]) -> Result<command::Found, LanguageError> {
        let names: Vec<String> = template
            .iter()
            .flat_map(|a| table::placeholders(a))
            .collect();
        if !self.tools.iter().any(|(n, _)| names.contains(n)) {
            return Ok(command::Found::default());
        }
        self.found().cloned()
    }

    fn found(&self) -> Result<&command::Found, LanguageError> {
        self.found
            .get_or_init(|| command::find_tools(&self.tools).map_err(Arc::new))
            .as_ref()
            .map_err(|why| self.not_installed(Arc::clone(why)))
    }

    fn not_installed(&self, why: Arc<ToolError>) -> LanguageError {
        LanguageError::NotInstalled {
            name: self.name.clone(),
            why,
        }
    }

    fn bad_command(&self, key: &str, source: CommandError) -> LanguageError {
        LanguageError::BadCommand {
            file: self.defined_in.clone(),
            key: format!("{}.{key}", self.id),
            source,
        }
    }

    fn invalid(&self, key: &str, message: String) -> LanguageError {
        LanguageError::Invalid {
            file: self.defined_in.clone(),
            line: None,
            key: format!("{}.{key}", self.id),
            message,
        }
    }
}
