//! A package's programs that are not one language's source: a folder with DOMjudge-style
//! `build` and `run` scripts (the format's rule for validators and graders), checktestdata
//! (`.ctd`) input validators run by the `checktestdata` Python package (the implementation
//! problemtools and BAPCtools run), and the legacy format's Python 2 validators, which this
//! judge does not run. Everything runs in the sandbox: `build` in a box of its own on a copy
//! of the folder, with the system's `sh`, `cc`, `c++` and `python3`; `run` in the
//! validator's box with the built folder read-only.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use super::JudgeError;
use crate::build::toolchain::CompileLimits;
use crate::cache::{self, Cache};
use crate::problem::package::Program;
use judge_sandbox::{self as sandbox, Cancel, Exit, Input, Job, Mount, Outcome, RunLimits};

/// A program ready to run: what the box executes and sees (`package_programs` makes its
/// `Runnable` of it).
pub struct Script {
    pub program: PathBuf,
    pub leading: Vec<OsString>,
    pub mounts: Vec<PathBuf>,
    pub executables: Vec<PathBuf>,
    pub env: Vec<(OsString, OsString)>,
    /// Keeps a built folder alive.
    pub folder: Option<Arc<tempfile::TempDir>>,
}

/// A script program, or why there is none.
pub type Made = Result<Script, ScriptError>;

/// Why a script program cannot run (its words are for the package's author).
#[derive(Debug, thiserror::Error)]
pub enum ScriptError {
    /// The `build` script failed: what it said on stderr, and how it ended.
    #[error("{stderr}\nthe build script ended with {exit:?}")]
    BuildFailed { stderr: String, exit: Exit },
    #[error("the build left what the judge does not copy: {0}")]
    Uncopyable(#[source] std::io::Error),
    #[error("no `run` file after the build (the format needs one: the program the judge runs)")]
    NoRun,
    #[error(
        "checktestdata is not installed here: `pip install checktestdata` (the Python implementation problemtools and BAPCtools run)"
    )]
    NoChecktestdata,
    #[error("no python3 on this machine: checktestdata needs one")]
    NoPython,
}

/// A build of a package's program in a box under the compile limits.
pub fn run_build(job: &Job, cancel: &Cancel) -> Result<Outcome, JudgeError> {
    let limits = CompileLimits::default();
    let run_limits = RunLimits {
        cpu_ms: limits.wall_ms,
        wall_ms: limits.wall_ms,
        address_space: limits.memory_mb << 20,
        output_bytes: limits.output_kb << 10,
        file_bytes: 1 << 30,
        memory_bytes: limits.memory_mb << 20,
        processes: 64,
        disk: None,
    };
    sandbox::run_with_cancel(job, &run_limits, cancel).map_err(|e| {
        if cancel.is_cancelled() {
            JudgeError::Cancelled
        } else {
            JudgeError::ValidatorRun(e)
        }
    })
}

/// The most files a `build` script may leave, and their bytes, before the judge gives up
/// copying them.
const MAX_FILES: usize = 4096;
const MAX_BYTES: u64 = 512 << 20;

/// `PATH` inside a box that runs scripts.
const PATH: &str = "/usr/local/bin:/usr/bin:/bin";

/// Where scripts find their tools: what a compile box sees.
fn toolchain_mounts() -> Vec<PathBuf> {
    sandbox::TOOLCHAIN_PATHS
        .iter()
        .map(PathBuf::from)
        .filter(|p| p.exists())
        .collect()
}

/// The places a script's tools execute from.
fn system_executables() -> Vec<PathBuf> {
    ["/usr", "/bin"]
        .iter()
        .map(PathBuf::from)
        .filter(|p| p.exists())
        .collect()
}

/// Builds a folder with a `build` or `run` script: a copy of it, `build` run there by `sh`,
/// the result copied into a folder of the judge's own (kept while the program is), whose
/// `run` is the program.
pub fn build_run(cache: &Cache, program: &Program, cancel: &Cancel) -> Result<Made, JudgeError> {
    let cache_err = |source| JudgeError::CacheWrite {
        what: "validator build",
        source,
    };
    let work = cache.temp_dir().map_err(cache_err)?;
    copy_tree(&program.path, work.path(), &mut Budget::default(), false).map_err(cache_err)?;
    if work.path().join("build").is_file() {
        let job = Job {
            program: PathBuf::from("/bin/sh"),
            args: vec!["build".into()],
            env: vec![("PATH".into(), PATH.into())],
            cwd: work.path().to_path_buf(),
            stdin: Input::default(),
            answer_pipe: false,
            mounts: toolchain_mounts().iter().map(Mount::read_only).collect(),
            executables: Some(system_executables()),
        };
        let outcome = run_build(&job, cancel)?;
        if outcome.exit != Exit::Code(0) {
            return Ok(Err(ScriptError::BuildFailed {
                stderr: String::from_utf8_lossy(&outcome.stderr).into_owned(),
                exit: outcome.exit,
            }));
        }
    }
    let built = cache.temp_dir().map_err(cache_err)?;
    // Copied out of the box's folder without following its links, every file executable:
    // `run` and whatever it starts.
    let copied = copy_tree(work.path(), built.path(), &mut Budget::default(), true);
    let _ = sandbox::remove_tree(work.path());
    if let Err(e) = copied {
        return Ok(Err(ScriptError::Uncopyable(e)));
    }
    let run = built.path().join("run");
    if !run.is_file() {
        return Ok(Err(ScriptError::NoRun));
    }
    let folder = built.path().to_path_buf();
    let mut mounts = vec![folder.clone()];
    mounts.extend(toolchain_mounts());
    let mut executables = vec![folder];
    executables.extend(system_executables());
    Ok(Ok(Script {
        program: run,
        leading: Vec::new(),
        mounts,
        executables,
        env: vec![("PATH".into(), PATH.into())],
        folder: Some(Arc::new(built)),
    }))
}

#[derive(Default)]
struct Budget {
    files: usize,
    bytes: u64,
    /// Folders deep, now: a build can nest folders deeper than the judge's stack.
    depth: usize,
}

/// The deepest folder a build's result may have.
const MAX_DEPTH: usize = 16;

/// Copies the regular files and folders of `from` into `to` (links and other kinds are
/// left out), within the budget.
fn copy_tree(from: &Path, to: &Path, budget: &mut Budget, executable: bool) -> std::io::Result<()> {
    cache::make_dir(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            budget.files += 1;
            budget.depth += 1;
            if budget.depth > MAX_DEPTH || budget.files > MAX_FILES {
                return Err(std::io::Error::other(format!(
                    "folders more than {MAX_DEPTH} deep or more than {MAX_FILES} entries"
                )));
            }
            copy_tree(&entry.path(), &target, budget, executable)?;
            budget.depth -= 1;
        } else if kind.is_file() {
            let (file, len) = cache::open_box_file(&entry.path())?;
            budget.files += 1;
            budget.bytes += len;
            if budget.files > MAX_FILES || budget.bytes > MAX_BYTES {
                return Err(std::io::Error::other(format!(
                    "more than {MAX_FILES} files or {} MiB",
                    MAX_BYTES >> 20
                )));
            }
            let mode = if executable || is_executable(&entry.path()) {
                cache::BINARY_MODE
            } else {
                cache::FILE_MODE
            };
            cache::store_box_file(file, &target, mode)?;
        }
    }
    Ok(())
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::symlink_metadata(path).is_ok_and(|m| m.permissions().mode() & 0o111 != 0)
}

/// The host's `checktestdata` Python package: its folder, found once (`pip install
/// checktestdata`).
pub fn checktestdata_package() -> Option<&'static PathBuf> {
    static FOUND: OnceLock<Option<PathBuf>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            let out = std::process::Command::new("python3")
                .args([
                    "-c",
                    "import os, checktestdata; print(os.path.dirname(os.path.realpath(checktestdata.__file__)))",
                ])
                .output()
                .ok()?;
            let dir = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
            (out.status.success() && dir.join("pyctd.py").is_file()).then_some(dir)
        })
        .as_ref()
}

/// A checktestdata script as an input validator: `python3 -m checktestdata script.ctd`
/// with the input on stdin (exit 0 valid, 1 invalid; `verify` maps them). `python` is the
/// host's interpreter and what a box running it must see.
pub fn checktestdata(program: &Program, python: Option<(PathBuf, Vec<PathBuf>)>) -> Made {
    let Some(package) = checktestdata_package() else {
        return Err(ScriptError::NoChecktestdata);
    };
    let Some((exe, mut mounts)) = python else {
        return Err(ScriptError::NoPython);
    };
    let folder = program
        .path
        .parent()
        .unwrap_or(Path::new("/"))
        .to_path_buf();
    mounts.push(package.clone());
    mounts.push(folder);
    let parent = package.parent().unwrap_or(Path::new("/")).as_os_str();
    Ok(Script {
        program: exe.clone(),
        leading: vec![
            "-S".into(),
            "-m".into(),
            "checktestdata".into(),
            program.path.as_os_str().to_owned(),
        ],
        mounts,
        executables: vec![exe],
        env: vec![(OsString::from("PYTHONPATH"), parent.to_owned())],
        folder: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_keeps_files_leaves_links_and_stops_at_its_budget() {
        let from = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(from.path().join("a/b")).unwrap();
        std::fs::write(from.path().join("a/b/run"), "#!/bin/sh\n").unwrap();
        std::os::unix::fs::symlink("/etc/passwd", from.path().join("link")).unwrap();
        let to = tempfile::tempdir().unwrap();
        copy_tree(from.path(), to.path(), &mut Budget::default(), true).unwrap();
        assert!(to.path().join("a/b/run").is_file());
        assert!(!to.path().join("link").exists(), "links are left out");
        let mut deep = from.path().to_path_buf();
        for _ in 0..=MAX_DEPTH {
            deep.push("d");
        }
        std::fs::create_dir_all(&deep).unwrap();
        let again = tempfile::tempdir().unwrap();
        let e = copy_tree(from.path(), again.path(), &mut Budget::default(), true).unwrap_err();
        assert!(e.to_string().contains("deep"), "{e}");
    }
}
