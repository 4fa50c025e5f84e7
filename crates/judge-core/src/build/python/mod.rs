//! Python 3 solutions to function problems (the bank's kind): the host's interpreter, numpy
//! and pandas for it (`packages`), the harness (`runtime/judge_py.py`, compiled to bytecode
//! once into the cache), and each candidate's file compiled to bytecode in a box, so that a
//! syntax error is a compile error (CE) with Python's message and line, and a file without
//! the problem's function is one too.
//!
//! A case runs the interpreter on the harness in a fresh box (`launch`), which sees the
//! interpreter and its standard library, the packages, the harness and the compiled file,
//! nothing else of the host; it may execute the interpreter alone.
//!
//! Invariant: the candidate's code runs only in a box; outside one the judge runs the
//! interpreter only on its own code (finding it, making the environment, compiling the
//! harness).

pub mod contract;
pub mod packages;

use std::ffi::OsString;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use super::launch::Launch;
use super::toolchain::{Build, CompileLimits, Program};
use crate::cache::{self, digest, Cache};
use crate::languages::{Functions, Language};
use crate::problem::spec::Record;
use crate::problem::types::Signature;
use judge_sandbox::{self as sandbox, Cancel, Exit, Job, RunLimits};

pub use packages::Packages;

/// The harness every case runs.
pub const HARNESS_SOURCE: &str = include_str!("../../runtime/judge_py.py");

/// The interpreter's flags in every box: no `site` (the packages' folder is put on the path
/// by the harness), no environment variables, no user folders, no bytecode written.
const FLAGS: &[&str] = &["-I", "-S", "-B"];

/// Memory a compile box adds to its limit for the interpreter itself.
const COMPILE_OVERHEAD_MB: u64 = 96;

#[derive(Debug, thiserror::Error)]
pub enum PythonError {
    #[error("no Python 3 interpreter: {0} (`judge doctor` checks)")]
    NoPython(String),
    #[error("numpy and pandas for Python solutions: {0}")]
    Packages(String),
    #[error("the judge's Python harness does not compile: {0}")]
    Harness(String),
    #[error("compiler sandbox failed: {0}")]
    Sandbox(io::Error),
    #[error("cache at {}: {source}", path.display())]
    Cache { path: PathBuf, source: io::Error },
}

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
        let (exe, folders) = language
            .tool(TOOL)
            .map_err(|e| PythonError::NoPython(e.to_string()))?;
        let out = Command::new(exe)
            .args([
                "-I",
                "-S",
                "-c",
                "import sys; print('%d.%d.%d' % sys.version_info[:3])",
            ])
            .output()
            .map_err(|e| {
                PythonError::NoPython(format!("{} could not start ({e})", exe.display()))
            })?;
        let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if !out.status.success() || version.is_empty() {
            return Err(PythonError::NoPython(format!(
                "{} did not say its version: {}",
                exe.display(),
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        Ok(Install {
            exe: exe.to_path_buf(),
            folders: folders.to_vec(),
            version,
        })
    }

    /// What a box running the interpreter must see: it and its standard library (folders
    /// every box has already are left out).
    fn mounts(&self) -> Vec<PathBuf> {
        std::iter::once(self.exe.clone())
            .chain(self.folders.iter().cloned())
            .filter(|p| !sandbox::in_every_box(p))
            .collect()
    }
}

/// The name of the interpreter among the language's tools.
const TOOL: &str = "python";

/// Python ready to judge: the interpreter, its packages and the compiled harness.
#[derive(Debug, Clone)]
pub struct Python {
    pub install: Install,
    pub packages: Packages,
    /// The folder of the compiled harness (`judge_py.pyc`).
    harness_dir: PathBuf,
    /// Everything that changes what a compile makes or a case runs.
    pub key: String,
    /// The limits of function problems in this language.
    functions: Functions,
    cache: Cache,
}

impl Python {
    /// Finds `language`'s interpreter and its packages (making the judge's environment on
    /// first use) and compiles the harness once.
    pub fn open(cache: &Cache, language: &Language) -> Result<Python, PythonError> {
        let install = Install::of(language)?;
        let functions = language.functions.ok_or_else(|| {
            PythonError::NoPython(format!("{} has no `functions` entry", language.name))
        })?;
        let packages = packages::find(cache, &install)?;
        let key = digest(&[
            install.exe.as_os_str().as_encoded_bytes(),
            install.version.as_bytes(),
            HARNESS_SOURCE.as_bytes(),
            packages.origin.as_bytes(),
            FLAGS.join(" ").as_bytes(),
            sandbox::BOX_VERSION.as_bytes(),
        ]);
        let harness_dir = cache.path(&format!("runtime/python-harness-{}", &key[..16]));
        compile_harness(&install, &harness_dir)?;
        Ok(Python {
            install,
            packages,
            harness_dir,
            key,
            functions,
            cache: cache.clone(),
        })
    }

    fn harness(&self) -> PathBuf {
        self.harness_dir.join("judge_py.pyc")
    }

    /// What every box of this Python sees.
    fn mounts(&self) -> Vec<PathBuf> {
        let mut mounts = self.install.mounts();
        mounts.push(self.harness_dir.clone());
        mounts.extend(
            self.packages
                .paths
                .iter()
                .filter(|p| !sandbox::in_every_box(p))
                .cloned(),
        );
        mounts
    }

    fn job(&self, args: Vec<OsString>, cwd: &Path, extra: Option<&Path>) -> Job {
        let mut full: Vec<OsString> = FLAGS.iter().map(Into::into).collect();
        full.push(self.harness().into());
        full.extend(args);
        Job {
            program: self.install.exe.clone(),
            args: full,
            env: box_env(),
            cwd: cwd.to_path_buf(),
            stdin: sandbox::Input::default(),
            answer_pipe: false,
            mounts: self
                .mounts()
                .into_iter()
                .chain(extra.map(Path::to_path_buf))
                .map(sandbox::Mount::read_only)
                .collect(),
            executables: Some(vec![self.install.exe.clone()]),
        }
    }

    /// Compiles `source` (the candidate's file, shown as `file_name`) to bytecode in a box
    /// and checks that it defines `sig`'s function; cached by everything that decides it.
    pub fn compile(
        &self,
        source: &str,
        file_name: &str,
        sig: &Signature,
        limits: &CompileLimits,
        cancel: &Cancel,
    ) -> Result<Build, PythonError> {
        let key = digest(&[
            self.key.as_bytes(),
            file_name.as_bytes(),
            sig.name.as_bytes(),
            source.as_bytes(),
        ]);
        let dir = self.cache.path(&format!("builds/{}/py-{key}", &key[..2]));
        let code = dir.join(CODE_FILE);
        let ce = dir.join("compile-error.txt");
        if cache::is_own_file(&code) && cache::is_own_file(&dir.join(SOURCE_FILE)) {
            cache::touch(&dir);
            return Ok(built(code, 0, true));
        }
        if let Ok(stderr) = fs::read_to_string(&ce) {
            cache::touch(&dir);
            return Ok(failed(stderr, 0, true));
        }
        let cache_err = |source| PythonError::Cache {
            path: dir.clone(),
            source,
        };
        let work = self.cache.temp_dir().map_err(cache_err)?;
        fs::write(work.path().join(SOURCE_FILE), source).map_err(cache_err)?;
        let args = vec![
            "--compile".into(),
            SOURCE_FILE.into(),
            sig.name.clone().into(),
            file_name.into(),
        ];
        let started = Instant::now();
        let outcome = sandbox::run_with_cancel(
            &self.job(args, work.path(), None),
            &compile_limits(limits),
            cancel,
        )
        .map_err(PythonError::Sandbox)?;
        let time_ms = started.elapsed().as_millis() as u64;
        if outcome.exit == Exit::Code(0) && !outcome.output_exceeded {
            let (file, _) =
                cache::open_box_file(&work.path().join(CODE_FILE)).map_err(cache_err)?;
            // The source beside it is the judge's own copy (tracebacks quote it).
            cache::make_dir(&dir).map_err(cache_err)?;
            let copy = tempfile::NamedTempFile::new_in(&dir).map_err(cache_err)?;
            fs::write(copy.path(), source).map_err(cache_err)?;
            set_mode(copy.path(), cache::FILE_MODE).map_err(cache_err)?;
            copy.persist(dir.join(SOURCE_FILE))
                .map_err(|e| cache_err(e.error))?;
            cache::store_box_file(file, &code, cache::FILE_MODE).map_err(cache_err)?;
            return Ok(built(code, time_ms, false));
        }
        let stderr = compile_failure(&outcome, limits);
        // Only what the compiler said is kept: a compile killed for time may pass later.
        if outcome.exit == Exit::Code(1) && !outcome.wall_exceeded {
            self.cache
                .write(
                    &format!("builds/{}/py-{key}/compile-error.txt", &key[..2]),
                    stderr.as_bytes(),
                )
                .map_err(cache_err)?;
        }
        Ok(failed(stderr, time_ms, false))
    }

    /// How a case's box runs the compiled file `code` (from `compile`) as a solution of
    /// `sig`: the harness with the program's folder, the packages and the signature.
    pub fn launch(
        &self,
        code: &Path,
        sig: &Signature,
        records: &[Record],
        file_name: &str,
    ) -> Launch {
        let program_dir = code.parent().unwrap_or(Path::new("/")).to_path_buf();
        let packages = std::env::join_paths(&self.packages.paths).unwrap_or_default();
        let mut args: Vec<OsString> = FLAGS.iter().map(Into::into).collect();
        args.push(self.harness().into());
        args.push(program_dir.clone().into());
        args.push(packages);
        args.push(contract::signature_json(sig, records, file_name).into());
        let mut mounts = self.mounts();
        mounts.push(program_dir);
        Launch {
            program: self.install.exe.clone(),
            args,
            env: box_env(),
            mounts,
            executables: vec![self.install.exe.clone()],
            memory_overhead_mb: self.functions.memory_extra_mb,
            time_percent: self.functions.time_multiplier * 100,
        }
    }
}

/// The compiled file's code object and the source beside it, in a build's folder.
const CODE_FILE: &str = "solution.marshal";
const SOURCE_FILE: &str = "source.py";

/// The environment of every Python box: one thread for numpy's BLAS (a case is one core's
/// work, and each thread reserves memory) and one malloc arena.
fn box_env() -> Vec<(OsString, OsString)> {
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

fn built(code: PathBuf, time_ms: u64, cached: bool) -> Build {
    Build {
        program: Some(Program::at(code)),
        stderr: String::new(),
        time_ms,
        cached,
    }
}

fn failed(stderr: String, time_ms: u64, cached: bool) -> Build {
    Build {
        program: None,
        stderr,
        time_ms,
        cached,
    }
}

fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
}

fn compile_limits(limits: &CompileLimits) -> RunLimits {
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

fn compile_failure(outcome: &sandbox::Outcome, limits: &CompileLimits) -> String {
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
fn compile_harness(install: &Install, dir: &Path) -> Result<(), PythonError> {
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
        .map_err(|e| PythonError::Harness(e.to_string()))?;
    if !out.status.success() {
        return Err(PythonError::Harness(
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ));
    }
    set_mode(&out_tmp, cache::FILE_MODE).map_err(cache_err)?;
    fs::rename(&out_tmp, &pyc).map_err(cache_err)
}
