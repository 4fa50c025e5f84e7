//! Compiling what a judging needs: the solution, the reference, and the problem's own
//! generator and checker, each wrapped by its harness crate root.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError};

use super::{Engine, JudgeError, Mode};
use crate::build::harness::{self, Entry};
use crate::build::launch::Launch;
use crate::build::python::{self, Python};
use crate::build::toolchain::{Build, CompileLimits, ToolchainError};
use crate::languages::{self, Harness, Language};
use crate::problem::spec::{CheckerKind, Limits, Problem};
use crate::report::{CompileReport, GroupReport, Report, Verdict};
use judge_sandbox::Cancel;

impl Engine {
    /// Compiles a solution (or the reference) as the file at `path`; `started` is told once
    /// the compile holds its box slot.
    pub(super) fn build(
        &self,
        problem: &Problem,
        source: &str,
        path: &Path,
        cancel: &Cancel,
        started: &dyn Fn(),
    ) -> Result<Build, JudgeError> {
        let language = self.language_of(None, path)?;
        self.build_as(problem, source, path, language, cancel, started)
    }

    /// Compiles a solution in `language`: Rust by the toolchain, a language with a harness
    /// of the judge's (`functions`) by it; any other is refused by name.
    pub(super) fn build_as(
        &self,
        problem: &Problem,
        source: &str,
        path: &Path,
        language: &Language,
        cancel: &Cancel,
        started: &dyn Fn(),
    ) -> Result<Build, JudgeError> {
        match harness_of(language, path)? {
            Some(Harness::Python) => {
                return self.build_python(problem, source, path, language, cancel, started)
            }
            None => {}
        }
        let file_name = box_file_name(path);
        let compile = Compile {
            entry: Entry::Solution,
            source,
            file_name: &file_name,
            limits: &self.compile_limits,
        };
        let mut build = self.compile_entry(problem, &compile, cancel, started)?;
        if build.program.is_none() && build.stderr.contains(harness::HARNESS_FILE) {
            let _ = writeln!(
                build.stderr,
                "\nnote: the judge calls your function as `{}`; check that it is defined with exactly this name and signature (a solution must not define `main`).",
                problem.signature
            );
        }
        Ok(build)
    }

    /// Compiles a Python solution to bytecode in a box (a compile's slot, as for Rust).
    fn build_python(
        &self,
        problem: &Problem,
        source: &str,
        path: &Path,
        language: &Language,
        cancel: &Cancel,
        started: &dyn Fn(),
    ) -> Result<Build, JudgeError> {
        let python = self.python(language)?;
        let _slot = self.slots.take(cancel).ok_or(JudgeError::Cancelled)?;
        started();
        let file_name = python_file_name(path);
        let compiled = python.compile(
            source,
            &file_name,
            &problem.signature,
            &self.compile_limits,
            cancel,
        );
        let mut build = match compiled {
            Err(_) if cancel.is_cancelled() => return Err(JudgeError::Cancelled),
            other => other?,
        };
        if build.program.is_none() && build.stderr.contains("defines no top-level function") {
            let _ = writeln!(
                build.stderr,
                "note: the judge calls `{}` (the problem's signature: {})",
                python::contract::python_call(&problem.signature),
                problem.signature
            );
        }
        Ok(build)
    }

    /// Python (`language`'s interpreter) and its packages, found once per engine (numpy
    /// and pandas installed into the judge's cache the first time).
    pub fn python(&self, language: &Language) -> Result<Arc<Python>, JudgeError> {
        let mut held = self.python.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(python) = &*held {
            return Ok(python.clone());
        }
        let opened = Python::open(&self.cache, language)?;
        let python = Arc::new(opened);
        *held = Some(python.clone());
        Ok(python)
    }

    /// The language a solution is judged in: `lang` (an id of the languages table), else
    /// the one of its file's extension.
    pub(super) fn language_of(
        &self,
        lang: Option<&str>,
        solution: &Path,
    ) -> Result<&Language, JudgeError> {
        Ok(self.languages.choose(lang, solution)?)
    }

    /// What identifies a language's programs beyond the Rust toolchain's key: for Python,
    /// its interpreter, packages and harness.
    pub(super) fn language_key(&self, language: &Language) -> Result<String, JudgeError> {
        Ok(match language.functions {
            Some(f) if language.build != languages::Build::Judge => match f.harness {
                Harness::Python => format!("python {}", self.python(language)?.key),
            },
            _ => String::new(),
        })
    }

    /// How a case's box starts the solution at `solution` built as `program`, in the
    /// language of its extension.
    pub(super) fn launch_of(
        &self,
        problem: &Problem,
        solution: &Path,
        program: &Path,
    ) -> Result<Launch, JudgeError> {
        let language = self.language_of(None, solution)?;
        self.launch_as(problem, solution, language, program)
    }

    /// How a case's box starts `solution`, in `language`, built as `program`.
    pub(super) fn launch_as(
        &self,
        problem: &Problem,
        solution: &Path,
        language: &Language,
        program: &Path,
    ) -> Result<Launch, JudgeError> {
        Ok(match harness_of(language, solution)? {
            None => Launch::binary(program),
            Some(Harness::Python) => self.python(language)?.launch(
                program,
                &problem.signature,
                &problem.records,
                &python_file_name(solution),
            ),
        })
    }

    /// Builds the problem's own `file` (its generator or checker) as `entry`.
    pub(super) fn build_problem_file(
        &self,
        problem: &Problem,
        entry: Entry,
        file: &str,
        cancel: &Cancel,
    ) -> Result<(PathBuf, Build), JudgeError> {
        let path = problem.dir.join(file);
        let source = read_problem_file(&path)?;
        let compile = Compile {
            entry,
            source: &source,
            file_name: file,
            limits: &CompileLimits::default(),
        };
        let build = self.compile_entry(problem, &compile, cancel, &|| {})?;
        Ok((path, build))
    }

    /// Compiles `compile.source` against the problem's harness library when the source
    /// allows it (`harness::links_library`), else as one whole crate. A compile is a box like
    /// a case: it waits for one of the engine's slots (`started` is told once it holds one),
    /// so judgings side by side never run more compilers than the engine has cores for.
    fn compile_entry(
        &self,
        problem: &Problem,
        compile: &Compile<'_>,
        cancel: &Cancel,
        started: &dyn Fn(),
    ) -> Result<Build, JudgeError> {
        let Compile {
            entry,
            source,
            file_name,
            limits,
        } = *compile;
        let (root, linked) = entry_root(problem, entry, source, file_name);
        let _slot = self.slots.take(cancel).ok_or(JudgeError::Cancelled)?;
        started();
        let cancelled = |e: ToolchainError| {
            if cancel.is_cancelled() {
                JudgeError::Cancelled
            } else {
                e.into()
            }
        };
        let library = if linked {
            let library = self.toolchain.library(&library_source(problem), cancel);
            Some(library.map_err(cancelled)?)
        } else {
            None
        };
        self.toolchain
            .compile(&root, source, file_name, limits, library.as_deref(), cancel)
            .map_err(cancelled)
    }
}

/// One source to compile, as which entry, under which limits.
#[derive(Clone, Copy)]
struct Compile<'a> {
    entry: Entry,
    source: &'a str,
    file_name: &'a str,
    limits: &'a CompileLimits,
}

/// What a report says of a build.
pub(super) fn compile_report(build: &Build) -> CompileReport {
    CompileReport {
        ok: build.program.is_some(),
        time_ms: build.time_ms,
        cached: build.cached,
        stderr: build.stderr.clone(),
    }
}

/// The crate root for `source`, `entry` of `problem`, and whether it links the problem's
/// harness library (see `harness::links_library`).
pub(super) fn entry_root(
    problem: &Problem,
    entry: Entry,
    source: &str,
    file_name: &str,
) -> (String, bool) {
    let linked = harness::links_library(&problem.records, source);
    let root = harness::root(
        entry,
        &problem.signature,
        &problem.records,
        file_name,
        linked,
    );
    (root, linked)
}

/// The source of the problem's harness library: an entry for solutions, and for the
/// generator and custom checker where the problem has them. Decided by the problem's files,
/// not its cases, so that a practice run (samples only) shares the library of a submit.
fn library_source(problem: &Problem) -> String {
    let mut entries = vec![Entry::Solution];
    if problem.dir.join(GENERATOR_FILE).is_file() {
        entries.push(Entry::Generator);
    }
    if problem.checker.kind == CheckerKind::Custom {
        entries.push(Entry::Checker);
    }
    harness::library(&problem.signature, &problem.records, &entries)
}

/// A generator's file name in its problem folder.
pub const GENERATOR_FILE: &str = "generator.rs";

/// A file of the problem's own (its generator or checker).
pub(super) fn read_problem_file(path: &Path) -> Result<String, JudgeError> {
    std::fs::read_to_string(path).map_err(|source| JudgeError::ReadProblemFile {
        path: path.to_path_buf(),
        source,
    })
}

pub(super) fn compile_error_report(
    problem: &Problem,
    mode: Mode,
    compile: CompileReport,
) -> Report {
    let groups = match mode {
        Mode::Run => Vec::new(),
        Mode::Submit => problem
            .groups
            .iter()
            .map(|g| GroupReport {
                name: g.name.clone(),
                verdict: Verdict::CE,
                score: 0,
                max_score: g.points,
                cases: Vec::new(),
            })
            .collect(),
    };
    Report {
        problem: problem.id.clone(),
        mode,
        verdict: Verdict::CE,
        score: 0,
        max_score: if mode == Mode::Submit {
            problem.max_score()
        } else {
            0
        },
        compile,
        groups,
        samples: Vec::new(),
        warnings: judge_sandbox::layers::missing_isolation(),
        cached: false,
    }
}

/// The judge's harness for a function problem's solution in `language`: `None` for Rust
/// (its toolchain's own); a language without one is refused.
fn harness_of(language: &Language, path: &Path) -> Result<Option<Harness>, JudgeError> {
    if language.build == languages::Build::Judge {
        return Ok(None);
    }
    match language.functions {
        Some(f) => Ok(Some(f.harness)),
        None => Err(JudgeError::NoHarness {
            path: path.to_path_buf(),
            language: language.name.clone(),
        }),
    }
}

/// `problem` with the limits a solution started as `launch` is judged by: the time scaled
/// for its language, the memory raised by what its interpreter needs before any data.
pub(super) fn limits_for<'p>(problem: &'p Problem, launch: &Launch) -> Cow<'p, Problem> {
    if launch.time_percent == 100 && launch.memory_overhead_mb == 0 {
        return Cow::Borrowed(problem);
    }
    let limits = Limits {
        time_ms: problem.limits.time_ms * launch.time_percent / 100,
        memory_mb: problem.limits.memory_mb + launch.memory_overhead_mb,
        ..problem.limits
    };
    Cow::Owned(Problem {
        limits,
        ..problem.clone()
    })
}

/// A Python solution's file name as tracebacks and compile errors show it: the user's own
/// where it is a plain name.
fn python_file_name(path: &Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let plain = name.len() > 3
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if plain {
        name.to_string()
    } else {
        "solution.py".to_string()
    }
}

/// The solution's file name as the compiler will show it: the user's own name where it is
/// a plain Rust file name, so rustc's messages point at the file they edit.
pub(super) fn box_file_name(path: &Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    #[expect(
        clippy::case_sensitive_file_extension_comparisons,
        reason = "only a lowercase `.rs` name is kept as it is; any other becomes solution.rs"
    )]
    let plain = name.ends_with(".rs")
        && name.len() > 3
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if plain && name != harness::HARNESS_FILE {
        name.to_string()
    } else {
        "solution.rs".to_string()
    }
}
