//! The submission as a program of its language: built by the judge's own toolchain (Rust)
//! or by its language's compile command (`build::program`), both in a compile box and
//! cached by content; then run by its language's run command, every case in a box of its
//! own that sees what the table says (the program, the runtime's files) and executes only
//! the program or its interpreter, under the case's limits as the language counts them.

use std::ffi::OsString;
use std::path::Path;

use super::super::{compile, Engine, JudgeError};
use super::PackageRun;
use crate::build::program::{self as any, Compiled};
use crate::build::toolchain::Program as Binary;
use crate::languages::{Build, Command, Language, MemoryCount, Vars};
use crate::report::CompileReport;
use judge_sandbox::{Cancel, Input, Job, Mount, RunLimits};

/// A submission ready to run: its language's run command and the limits it changes.
pub(super) struct Runnable {
    command: Command,
    processes: Option<u64>,
    memory: MemoryCount,
    /// Keeps a program too large to cache alive while it runs.
    _built: Built,
}

/// What the compile made, held for the temporary folder of a program too large to cache.
enum Built {
    Rust(Binary),
    Other(Compiled),
}

impl Runnable {
    /// A box for one case: the program on `stdin`, in `work`, with the case's `args`.
    pub(super) fn job(&self, stdin: Input, work: &Path, args: Vec<OsString>) -> Job {
        let mut all = self.command.args.clone();
        all.extend(args);
        Job {
            program: self.command.program.clone(),
            args: all,
            env: vec![("MALLOC_ARENA_MAX".into(), "1".into())],
            cwd: work.to_path_buf(),
            stdin,
            answer_pipe: false,
            mounts: self.command.mounts.iter().map(Mount::read_only).collect(),
            executables: Some(self.command.executables.clone()),
        }
    }

    /// `base` as the language counts it: its own process limit, and memory as resident
    /// memory alone (no address-space limit) where the table says so.
    pub(super) fn limits(&self, mut base: RunLimits) -> RunLimits {
        if let Some(processes) = self.processes {
            base.processes = processes;
        }
        if self.memory == MemoryCount::Resident {
            base.address_space = u64::MAX;
        }
        base
    }
}

impl Engine {
    /// Compiles `run`'s program as its language says (holding a box slot while a compiler
    /// runs): what the report says of the compile, and the program when it built.
    pub(super) fn build_submission(
        &self,
        run: &PackageRun<'_>,
        cancel: &Cancel,
    ) -> Result<(CompileReport, Option<Runnable>), JudgeError> {
        let language = run.language;
        let memory_mb = run.package.limits.memory_mb;
        let _slot = self.slots.take(cancel).ok_or(JudgeError::Cancelled)?;
        let (report, built) = match &language.build {
            Build::Judge => {
                let name = compile::box_file_name(run.solution);
                let build = self.toolchain.compile_program(
                    run.source,
                    &name,
                    run.modules,
                    &self.compile_limits,
                    cancel,
                )?;
                let report = compile::compile_report(&build);
                (report, build.program.map(Built::Rust))
            }
            Build::Command(_) | Build::Nothing => {
                let mut files = vec![(file_name(run.solution), run.source.to_string())];
                files.extend(run.modules.iter().cloned());
                let build =
                    any::compile(&self.cache, language, &files, &self.compile_limits, cancel)?;
                let report = CompileReport {
                    ok: build.compiled.is_some(),
                    time_ms: build.time_ms,
                    cached: build.cached,
                    stderr: build.stderr,
                };
                (report, build.compiled.map(Built::Other))
            }
        };
        let Some(built) = built else {
            return Ok((report, None));
        };
        let command = match &built {
            Built::Rust(binary) => language.run_command(&Vars {
                source: "",
                sources: &[],
                binary: Some(&binary.path),
                out_dir: None,
                class: "",
                memory_mb,
            }),
            Built::Other(compiled) => compiled.run_command(language, memory_mb),
        }?;
        Ok((
            report,
            Some(Runnable {
                command,
                processes: language.limits.processes,
                memory: language.limits.memory,
                _built: built,
            }),
        ))
    }
}

/// The submission's file name (the compiler's messages name it).
fn file_name(path: &Path) -> String {
    path.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("solution")
        .to_string()
}

/// What a report of `language` depends on besides the source: its entry as written, and
/// (but for Rust, whose toolchain is keyed on its own) its tools' real paths.
pub(super) fn report_key(language: &Language) -> String {
    match language.build {
        Build::Judge => language.entry_key(),
        _ => language
            .build_key()
            .unwrap_or_else(|_| language.entry_key()),
    }
}
