//! One language of the table (`Language`): its commands, tools, paths and limits, and its
//! tools found on this machine once.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use super::ToolError;

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
    pub(super) found: OnceLock<Result<Found, Arc<ToolError>>>,
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
}

/// A language's tools as found here: (name, executable, folders it needs), and the
/// path each is started by on the host (`host`): the name found on `PATH`, since a
/// launcher (rustup's proxy) decides what to run by the name it was started as.
#[derive(Debug, Clone, Default)]
pub(super) struct Found {
    pub(super) tools: Vec<(String, PathBuf, Vec<PathBuf>)>,
    pub(super) host: Vec<PathBuf>,
}

/// A program's class, for JVM languages: its public top-level class (the file must be named
/// after it), else `Main` when it declares a class of that name, else the file's base name.
/// Comments and string literals are skipped.
pub fn class_of(source: &str, file_name: &str) -> String {
    let words = code_words(source);
    let kinds = ["class", "interface", "enum", "record"];
    let modifiers = ["final", "abstract", "strictfp", "sealed", "non-sealed"];
    for (i, word) in words.iter().enumerate() {
        if word != "public" {
            continue;
        }
        let mut j = i + 1;
        while words
            .get(j)
            .is_some_and(|w| modifiers.contains(&w.as_str()))
        {
            j += 1;
        }
        if words.get(j).is_some_and(|w| kinds.contains(&w.as_str())) {
            if let Some(name) = words.get(j + 1).filter(|n| is_identifier(n)) {
                return name.clone();
            }
        }
    }
    if words.windows(2).any(|w| w[0] == "class" && w[1] == "Main") {
        return "Main".to_string();
    }
    let stem = Path::new(file_name)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("Main");
    if is_identifier(stem) {
        stem.to_string()
    } else {
        "Main".to_string()
    }
}

fn is_identifier(word: &str) -> bool {
    let mut chars = word.chars();
    chars
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$')
}

/// The words of a C-like source, comments and string and character literals left out.
fn code_words(source: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut chars = source.chars().peekable();
    let mut flush = |word: &mut String| {
        if !word.is_empty() {
            words.push(std::mem::take(word));
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                flush(&mut word);
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                flush(&mut word);
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
            }
            '"' | '\'' => {
                flush(&mut word);
                let mut escaped = false;
                for d in chars.by_ref() {
                    if d == c && !escaped {
                        break;
                    }
                    escaped = d == '\\' && !escaped;
                }
            }
            c if c.is_alphanumeric() || c == '_' || c == '$' || c == '-' => word.push(c),
            _ => flush(&mut word),
        }
    }
    flush(&mut word);
    words
}
