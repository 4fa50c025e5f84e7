//! The Rust toolchain as the judge uses it: rustc found once, the runtime crates (judge_rt,
//! ndarray, serde_json) built once per toolchain into the cache with cargo, and every
//! solution or reference compiled by a single direct rustc call against them.
//!
//! Invariant: cargo runs only to build the runtime, never per submission. Compiles are cached
//! by (toolchain, flags, harness, source), so re-judging an unchanged file is nearly free.

use std::fmt::Write as _;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use crate::build::harness::{HARNESS_FILE, LIBRARY_CRATE};
use crate::build::runtime::{self, RuntimeArtifacts, RUNTIME_MANIFEST, RUNTIME_SOURCE};
pub use crate::build::runtime::{locked_version, LOCKFILE};
use crate::cache::{self, digest, Cache};
use judge_sandbox::{self as sandbox, Cancel, Exit, Job, RunLimits};

/// rustc flags shared by solutions and references, so time limits mean the same for both.
/// (`-C lto=off` would save a fifth of a compile, but without the local ThinLTO pass a hot
/// generic split across codegen units is not inlined: crack-pin's accepted `format_each` then
/// takes over its 2 s limit instead of 0.44 s.)
const OPT_FLAGS: &[&str] = &[
    "-C",
    "opt-level=2",
    "-C",
    "debuginfo=0",
    "-C",
    "strip=debuginfo",
];
const EDITION: &str = "--edition=2021";
/// Shapes only what a failed compile says: with `--verbose`, rustc prints a type too long for
/// a line whole instead of writing it to a `*.long-type-*.txt` file in the compile box, which
/// the candidate can never open (`-Z write-long-types-to-disk=no` is nightly-only).
const DIAGNOSTIC_FLAGS: &[&str] = &["--verbose"];

#[derive(Debug, thiserror::Error)]
pub enum ToolchainError {
    #[error("cannot run rustc ({0}); is a Rust toolchain installed? `judge doctor` checks")]
    NoRustc(String),
    /// The judge's own generated harness library did not compile: a judge bug.
    #[error("the problem's harness library does not compile:\n{0}")]
    Harness(String),
    #[error("building the solution runtime (ndarray, serde_json) with cargo failed:\n{0}")]
    Runtime(#[from] runtime::RuntimeError),
    #[error("compiler sandbox failed: {0}")]
    Sandbox(io::Error),
    /// A language of the table that cannot build here (a tool missing, a template that
    /// does not fill in).
    #[error("{0}")]
    Language(String),
    #[error("cache at {path}: {source}")]
    Cache { path: PathBuf, source: io::Error },
}

/// Limits on one compile (compile bombs get CE, not a stuck judge).
#[derive(Debug, Clone, Copy)]
pub struct CompileLimits {
    pub wall_ms: u64,
    pub memory_mb: u64,
    pub output_kb: u64,
}

impl Default for CompileLimits {
    fn default() -> Self {
        CompileLimits {
            wall_ms: 60_000,
            memory_mb: 4096,
            output_kb: 1024,
        }
    }
}

pub struct Toolchain {
    rustc: PathBuf,
    /// `rustc -vV`, which names the exact compiler.
    pub version: String,
    /// Hash of everything that changes what a compile produces.
    pub key: String,
    runtime: RuntimeArtifacts,
    cache: Cache,
}

/// A binary larger than this is not cached: a few of them would fill the cache's cap.
pub(crate) const MAX_CACHED_BINARY: u64 = 64 << 20;
/// Storing a binary larger than this makes the next cap check walk the cache at once.
const LARGE_BINARY: u64 = 16 << 20;

/// The result of compiling one source file.
#[derive(Debug, Clone)]
pub struct Build {
    /// The program, when the build made one.
    pub program: Option<Program>,
    pub stderr: String,
    pub time_ms: u64,
    pub cached: bool,
}

/// A compiled program that is known to exist, with the guard that keeps an uncached one's
/// temporary directory alive: `path` is valid as long as a clone of the program lives.
#[derive(Debug, Clone)]
pub struct Program {
    pub path: PathBuf,
    /// The temporary directory holding a binary too large to cache.
    _temp: Option<Arc<tempfile::TempDir>>,
}

impl Program {
    /// A program stored in the cache, which needs no guard.
    fn cached(path: PathBuf) -> Program {
        Program { path, _temp: None }
    }

    /// A program the cache holds at `path` (a Python solution's compiled code).
    pub fn at(path: PathBuf) -> Program {
        Program::cached(path)
    }
}

impl Toolchain {
    /// Finds rustc and makes sure the runtime is built (building it on first use).
    pub fn open(cache: &Cache) -> Result<Toolchain, ToolchainError> {
        let driver = std::env::var_os("JUDGE_RUSTC").unwrap_or_else(|| "rustc".into());
        let sysroot = capture(Command::new(&driver).args(["--print", "sysroot"]))?;
        // The real compiler, not rustup's proxy: saves a process per compile, and asked
        // for its version directly, saves the proxy's start-up (tens of ms) on every
        // command that opens the toolchain.
        let direct = Path::new(sysroot.trim()).join("bin/rustc");
        let rustc = if direct.is_file() {
            direct
        } else {
            PathBuf::from(driver)
        };
        let version = capture(Command::new(&rustc).arg("-vV"))?;
        let runtime_key = digest(&[
            version.as_bytes(),
            RUNTIME_SOURCE.as_bytes(),
            RUNTIME_MANIFEST.as_bytes(),
        ]);
        let runtime = runtime::build(cache, &runtime_key, sysroot.trim())?;
        let flags = OPT_FLAGS.join(" ");
        // The box a compile runs in decides what it can see (include_str! of a host file is a
        // compile error only inside it), so its version is part of every build's key.
        // The diagnostic flags too: a cached compile error is shown as this judge would say it.
        let key = digest(&[
            runtime_key.as_bytes(),
            flags.as_bytes(),
            DIAGNOSTIC_FLAGS.join(" ").as_bytes(),
            EDITION.as_bytes(),
            judge_sandbox::BOX_VERSION.as_bytes(),
        ]);
        Ok(Toolchain {
            rustc,
            version,
            key,
            runtime,
            cache: cache.clone(),
        })
    }

    /// Builds a problem's harness library (`harness::library`) once; later calls find it.
    /// Its source is the judge's own, so a failure is the judge's (a `ToolchainError`).
    pub fn library(&self, source: &str, cancel: &Cancel) -> Result<PathBuf, ToolchainError> {
        let runtime = runtime::identity(&self.runtime);
        let key = digest(&[self.key.as_bytes(), runtime.as_bytes(), source.as_bytes()]);
        let dir = self.cache.path(&format!("harness/{}", &key[..32]));
        let rlib = dir.join(format!("lib{LIBRARY_CRATE}.rlib"));
        if cache::is_own_file(&rlib) {
            cache::touch(&dir);
            return Ok(rlib);
        }
        let cache_err = |source| ToolchainError::Cache {
            path: dir.clone(),
            source,
        };
        let work = self.cache.temp_dir().map_err(cache_err)?;
        fs::write(work.path().join(HARNESS_FILE), source).map_err(cache_err)?;
        let job = self.compile_job(work.path(), Output::Library);
        let limits = CompileLimits::default();
        let outcome = sandbox::run_with_cancel(&job, &compile_run_limits(&limits), cancel)
            .map_err(ToolchainError::Sandbox)?;
        let built = work.path().join(format!("lib{LIBRARY_CRATE}.rlib"));
        if outcome.exit != Exit::Code(0) {
            return Err(ToolchainError::Harness(explain_compile_failure(
                &outcome, &limits,
            )));
        }
        let (file, _) = cache::open_box_file(&built).map_err(cache_err)?;
        cache::store_box_file(file, &rlib, cache::FILE_MODE).map_err(cache_err)?;
        Ok(rlib)
    }

    /// Compiles `harness` (the crate root) with `source` beside it as `file_name`, linking the
    /// problem's harness library `library` when there is one.
    pub fn compile(
        &self,
        harness: &str,
        source: &str,
        file_name: &str,
        limits: &CompileLimits,
        library: Option<&Path>,
        cancel: &Cancel,
    ) -> Result<Build, ToolchainError> {
        let unit = Unit {
            harness: Some(harness),
            source,
            file_name,
            library,
            modules: &[],
        };
        self.compile_unit(&unit, limits, cancel)
    }

    /// Compiles `source`, a whole program with its own `main` (a solution to a stdin/stdout
    /// problem, a validator written in Rust), as the crate root `file_name`: no harness,
    /// the same flags, box and cache as every other compile.
    /// `modules` are the program's other files (name, text), written beside it for its
    /// `mod` lines (a program that is a folder).
    pub fn compile_program(
        &self,
        source: &str,
        file_name: &str,
        modules: &[(String, String)],
        limits: &CompileLimits,
        cancel: &Cancel,
    ) -> Result<Build, ToolchainError> {
        let unit = Unit {
            harness: None,
            source,
            file_name,
            library: None,
            modules,
        };
        self.compile_unit(&unit, limits, cancel)
    }

    fn compile_unit(
        &self,
        unit: &Unit<'_>,
        limits: &CompileLimits,
        cancel: &Cancel,
    ) -> Result<Build, ToolchainError> {
        let Unit {
            harness,
            source,
            file_name,
            library,
            modules,
        } = *unit;
        // A whole program is keyed apart from any harness text (the empty string included).
        let harness_key = harness.map_or_else(|| "\0whole program".to_string(), str::to_string);
        let library_name = library
            .map(|l| l.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut parts: Vec<&[u8]> = vec![
            self.key.as_bytes(),
            harness_key.as_bytes(),
            file_name.as_bytes(),
            source.as_bytes(),
            library_name.as_bytes(),
        ];
        for (name, text) in modules {
            parts.push(name.as_bytes());
            parts.push(text.as_bytes());
        }
        let key = digest(&parts);
        let entry = format!("builds/{}/{key}", &key[..2]);
        let dir = self.cache.path(&entry);
        let binary = dir.join("solution");
        let ce = dir.join("compile-error.txt");
        if cache::is_own_file(&binary) {
            cache::touch(&dir);
            return Ok(Build {
                program: Some(Program::cached(binary)),
                stderr: String::new(),
                time_ms: 0,
                cached: true,
            });
        }
        if let Ok(stderr) = fs::read_to_string(&ce) {
            cache::touch(&dir);
            return Ok(Build {
                program: None,
                stderr,
                time_ms: 0,
                cached: true,
            });
        }
        let cache_err = |source| ToolchainError::Cache {
            path: dir.clone(),
            source,
        };
        let work = self.cache.temp_dir().map_err(cache_err)?;
        if let Some(harness) = harness {
            fs::write(work.path().join(HARNESS_FILE), harness).map_err(cache_err)?;
        }
        fs::write(work.path().join(file_name), source).map_err(cache_err)?;
        for (name, text) in modules {
            // Plain file names only: a module never lands outside the work dir.
            if Path::new(name).file_name() == Some(std::ffi::OsStr::new(name)) {
                fs::write(work.path().join(name), text).map_err(cache_err)?;
            }
        }
        let root = if harness.is_some() {
            HARNESS_FILE
        } else {
            file_name
        };
        let started = Instant::now();
        let outcome = sandbox::run_with_cancel(
            &self.compile_job(work.path(), Output::Program { library, root }),
            &compile_run_limits(limits),
            cancel,
        )
        .map_err(ToolchainError::Sandbox)?;
        let time_ms = started.elapsed().as_millis() as u64;
        if outcome.exit == Exit::Code(0) && !outcome.output_exceeded {
            let (file, len) =
                cache::open_box_file(&work.path().join("solution")).map_err(cache_err)?;
            let program = self.store_binary(file, len, binary).map_err(cache_err)?;
            return Ok(Build {
                program: Some(program),
                stderr: String::new(),
                time_ms,
                cached: false,
            });
        }
        let stderr = explain_compile_failure(&outcome, limits);
        // Only deterministic failures are cached; a compile killed for time may pass later.
        if !outcome.wall_exceeded && outcome.exit == Exit::Code(1) {
            self.cache
                .write(&format!("{entry}/compile-error.txt"), stderr.as_bytes())
                .map_err(cache_err)?;
        }
        Ok(Build {
            program: None,
            stderr,
            time_ms,
            cached: false,
        })
    }

    /// Stores a freshly built binary at `cached`, or, when it is too large to cache, in a
    /// temporary directory that lives as long as the returned guard.
    fn store_binary(&self, file: File, len: u64, cached: PathBuf) -> io::Result<Program> {
        if len > MAX_CACHED_BINARY {
            let temp = self.cache.temp_dir()?;
            let path = temp.path().join("solution");
            cache::store_box_file(file, &path, cache::BINARY_MODE)?;
            return Ok(Program {
                path,
                _temp: Some(Arc::new(temp)),
            });
        }
        cache::store_box_file(file, &cached, cache::BINARY_MODE)?;
        if len > LARGE_BINARY {
            self.cache.request_cap_check();
        }
        Ok(Program::cached(cached))
    }

    /// The toolchain's root: rustc is `<sysroot>/bin/rustc`.
    fn sysroot(&self) -> PathBuf {
        self.rustc
            .parent()
            .and_then(Path::parent)
            .map_or_else(|| self.rustc.clone(), Path::to_path_buf)
    }

    fn compile_job(&self, work: &Path, output: Output) -> Job {
        let rt = &self.runtime;
        let (crate_type, crate_name, file, library, root) = match output {
            Output::Program { library, root } => {
                ("bin", "solution", "solution".to_string(), library, root)
            }
            Output::Library => (
                "rlib",
                LIBRARY_CRATE,
                format!("lib{LIBRARY_CRATE}.rlib"),
                None,
                HARNESS_FILE,
            ),
        };
        let mut args: Vec<std::ffi::OsString> = vec![
            EDITION.into(),
            format!("--crate-type={crate_type}").into(),
            format!("--crate-name={crate_name}").into(),
            "--error-format=human".into(),
            "--color=never".into(),
            "-A".into(),
            "warnings".into(),
        ];
        args.extend(OPT_FLAGS.iter().map(Into::into));
        args.extend(DIAGNOSTIC_FLAGS.iter().map(Into::into));
        args.push("-L".into());
        args.push(format!("dependency={}", rt.deps_dir.display()).into());
        args.push("--extern".into());
        args.push(format!("judge_rt={}", rt.judge_rt.display()).into());
        args.push("--extern".into());
        args.push(format!("ndarray={}", rt.ndarray.display()).into());
        if let Some(library) = library {
            args.push("--extern".into());
            args.push(format!("{LIBRARY_CRATE}={}", library.display()).into());
        }
        args.extend(["-o".into(), file.into(), root.into()]);
        Job {
            program: self.rustc.clone(),
            args,
            // The linker driver (cc) is found on PATH; nothing else of the judge's
            // environment reaches the compiler (env! in a solution sees nothing).
            env: vec![("PATH".into(), "/usr/local/bin:/usr/bin:/bin".into())],
            cwd: work.to_path_buf(),
            stdin: sandbox::Input::default(),
            answer_pipe: false,
            // The compiler sees its own toolchain and the prebuilt runtime, nothing else of
            // the judge's files: no problems, references or answers to include!.
            mounts: [
                self.sysroot().as_path(),
                &rt.deps_dir,
                &rt.judge_rt,
                &rt.ndarray,
            ]
            .into_iter()
            .chain(library)
            .map(sandbox::Mount::read_only)
            .chain(
                sandbox::TOOLCHAIN_PATHS
                    .iter()
                    .map(sandbox::Mount::read_only),
            )
            .collect(),
            // rustc, the linker driver and the linker: never a file of the work dir.
            executables: Some(
                std::iter::once(self.sysroot())
                    .chain(
                        ["/usr", "/bin"]
                            .iter()
                            .map(PathBuf::from)
                            .filter(|p| p.exists()),
                    )
                    .collect(),
            ),
        }
    }
}

/// One source to compile: the crate root is `harness` (with `source` beside it as
/// `file_name`), or `source` itself when there is no harness.
#[derive(Clone, Copy)]
struct Unit<'a> {
    harness: Option<&'a str>,
    source: &'a str,
    file_name: &'a str,
    library: Option<&'a Path>,
    /// Other files of a whole program, beside it in the work dir.
    modules: &'a [(String, String)],
}

/// What a compile makes from the crate root in the work dir.
#[derive(Clone, Copy)]
enum Output<'a> {
    /// The program `solution` from the crate root `root` (the harness, or a whole
    /// program), linking the problem's harness library when there is one.
    Program {
        library: Option<&'a Path>,
        root: &'a str,
    },
    /// A problem's harness library, `libjudge_h.rlib`.
    Library,
}

pub(crate) fn compile_run_limits(limits: &CompileLimits) -> RunLimits {
    RunLimits {
        cpu_ms: limits.wall_ms,
        wall_ms: limits.wall_ms,
        address_space: limits.memory_mb << 20,
        output_bytes: limits.output_kb << 10,
        file_bytes: 1 << 30,
        memory_bytes: limits.memory_mb << 20,
        // rustc's threads, the linker driver and the linker.
        processes: 256,
        disk: None,
    }
}

pub(crate) fn explain_compile_failure(
    outcome: &sandbox::Outcome,
    limits: &CompileLimits,
) -> String {
    let mut text = drop_box_file_notes(&String::from_utf8_lossy(&outcome.stderr));
    let note = if outcome.wall_exceeded {
        Some(format!(
            "compilation took longer than the limit of {} s",
            limits.wall_ms / 1000
        ))
    } else if outcome.output_exceeded {
        Some(format!(
            "the compiler printed more than {} KiB",
            limits.output_kb
        ))
    } else if matches!(outcome.exit, Exit::Signal(_)) || text.contains("memory allocation of") {
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

/// Drops rustc's notes about a file it wrote in the compile box ("the full type name has been
/// written to '....long-type-....txt'", and the advice to use `--verbose` that comes with it):
/// the box and the file are gone when the candidate reads them. `DIAGNOSTIC_FLAGS` keeps
/// today's rustc from writing one; this covers a rustc that writes it anyway.
fn drop_box_file_notes(stderr: &str) -> String {
    stderr
        .split_inclusive('\n')
        .filter(|line| {
            let about_file = line.contains(".long-type-") && line.contains("has been written to");
            let advice = line.contains("consider using `--verbose` to print the full type name");
            !(about_file || advice)
        })
        .collect()
}

fn capture(cmd: &mut Command) -> Result<String, ToolchainError> {
    let out = cmd
        .output()
        .map_err(|e| ToolchainError::NoRustc(e.to_string()))?;
    if !out.status.success() {
        return Err(ToolchainError::NoRustc(
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_naming_a_file_in_the_compile_box_are_dropped() {
        let stderr = "error[E0308]: mismatched types
 --> solution.rs:3:9
  |
3 |     let () = it;
  |         ^^   -- this expression has type `Map<Filter<..., ...>, ...>`
  |
  = note: expected struct `Map<Filter<Map<..., ...>, ...>, ...>`
          found unit type `()`
  = note: the full name for the type has been written to 'solution.long-type-15921394293028657196.txt'
  = note: consider using `--verbose` to print the full type name to the console

error: aborting due to 1 previous error
";
        let kept = drop_box_file_notes(stderr);
        assert!(!kept.contains("long-type"), "{kept}");
        assert!(!kept.contains("consider using `--verbose`"), "{kept}");
        assert_eq!(
            kept.lines().count(),
            stderr.lines().count() - 2,
            "only the two notes go:\n{kept}"
        );
        assert!(kept.ends_with("found unit type `()`\n\nerror: aborting due to 1 previous error\n"));
        // Older rustc's wording, and text that only looks alike, unchanged.
        let older =
            "  = note: the full type name has been written to '/tmp/x/solution.long-type-1.txt'\n";
        assert_eq!(drop_box_file_notes(older), "");
        let other = "error: `long-type` has been mentioned\n";
        assert_eq!(drop_box_file_notes(other), other);
    }
}
