//! The steps a `Python` takes: the boxes' environment and limits, a compile's result and
//! failure in words, and the harness compiled once.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::build::toolchain::{Build, CompileLimits, Program};
use crate::cache;
use judge_sandbox::{self as sandbox, Exit, RunLimits};

use super::{Install, PythonError, HARNESS_SOURCE};

/// Memory a compile box adds to its limit for the interpreter itself.
pub(super) const COMPILE_OVERHEAD_MB: u64 = 96;

/// The compiled file's code object and the source beside it, in a build's folder.
pub(super) const CODE_FILE: &str = "solution.marshal";
pub(super) const SOURCE_FILE: &str = "source.py";

/// The environment of every Python box: one thread for numpy's BLAS (a case is one core's
/// work, and each thread reserves memory) and one malloc arena.
pub(super) fn box_env() -> Vec<(OsString, OsString)> {
    [
        "OPENBLAS_NUM_THREADS",
        "OMP_NUM_THREADS",
        "MKL_NUM_THREADS",
        "MALLOC_ARENA_MAX",
    ]
    .into_iter()
    .map(|name| (name.into(), "1".into()))
    .collect()
}

pub(super) fn built(code: PathBuf, time_ms: u64, cached: bool) -> Build {
    Build {
        program: Some(Program::at(code)),
        stderr: String::new(),
        time_ms,
        cached,
    }
}

pub(super) fn failed(stderr: String, time_ms: u64, cached: bool) -> Build {
    Build {
        program: None,
        stderr,
        time_ms,
        cached,
    }
}

pub(super) fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
}

pub(super) fn compile_limits(limits: &CompileLimits) -> RunLimits {
    RunLimits {
        cpu_ms: limits.wall_ms,
        wall_ms: limits.wall_ms,
        address_space: (limits.memory_mb + COMPILE_OVERHEAD_MB) << 20,
        output_bytes: limits.output_kb << 10,
        file_bytes: 256 << 20,
        memory_bytes: limits.memory_mb << 20,
        processes: 16,
        disk: None,
    }
}

pub(super) fn compile_failure(outcome: &sandbox::Outcome, limits: &CompileLimits) -> String {
    let mut text = String::from_utf8_lossy(&outcome.stderr).into_owned();
    let note = if outcome.wall_exceeded {
        Some(format!(
            "compiling took longer than the limit of {} s",
            limits.wall_ms / 1000
        ))
    } else if outcome.output_exceeded {
        Some(format!(
            "the compiler printed more than {} KiB",
            limits.output_kb
        ))
    } else if matches!(outcome.exit, Exit::Signal(_)) {
        Some(format!(
            "the compiler was killed (memory limit {} MiB, or a crash)",
            limits.memory_mb
        ))
    } else {
        None
    };
    if let Some(note) = note {
        let _ = write!(text, "\nerror: {note}\n");
    }
    text
}

/// Writes the harness into `dir` and compiles it to `judge_py.pyc` with the interpreter
/// (the judge's own code, outside any box), once per key.
pub(super) fn compile_harness(install: &Install, dir: &Path) -> Result<(), PythonError> {
    let pyc = dir.join("judge_py.pyc");
    if cache::is_own_file(&pyc) {
        return Ok(());
    }
    let cache_err = |source| PythonError::Cache {
        path: dir.to_path_buf(),
        source,
    };
    cache::make_dir(dir).map_err(cache_err)?;
    let source = dir.join("judge_py.py");
    let staged = tempfile::NamedTempFile::new_in(dir).map_err(cache_err)?;
    fs::write(staged.path(), HARNESS_SOURCE).map_err(cache_err)?;
    set_mode(staged.path(), cache::FILE_MODE).map_err(cache_err)?;
    staged.persist(&source).map_err(|e| cache_err(e.error))?;
    let out_tmp = dir.join(format!(".judge_py.{}.pyc", std::process::id()));
    let out = Command::new(&install.exe)
        .args(["-I", "-c", "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)"])
        .arg(&source)
        .arg(&out_tmp)
        .output()
        .map_err(PythonError::HarnessStart)?;
    if !out.status.success() {
        return Err(PythonError::HarnessCompile {
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        });
    }
    set_mode(&out_tmp, cache::FILE_MODE).map_err(cache_err)?;
    fs::rename(&out_tmp, &pyc).map_err(cache_err)
}
