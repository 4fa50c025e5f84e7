//! A package's own programs (output and input validators, in C++, C, Rust or Python 3),
//! built and run in the sandbox like everything else the judge runs: C and C++ with the
//! system's g++/gcc in a compile box (cached under `builds/` by their sources), Rust with
//! the judge's own toolchain, Python by the host's python3 with nothing but its own
//! installation visible. A validator run gets the format's arguments (`input answer
//! feedback_dir/ flags...`) and writes its feedback files into its work dir, read back
//! without following links.

use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use super::{Engine, JudgeError};
use crate::build::toolchain::{CompileLimits, Program as Binary};
use crate::cache::{self, Cache};
use crate::problem::package::{Constants, Language, PackageLimits, Program};
use judge_sandbox::{
    self as sandbox, Cancel, Exit, Input, Job, Mount, Outcome, RunLimits, Streams,
};

/// A program ready to run in a box.
#[derive(Debug, Clone)]
pub struct Runnable {
    /// What the box executes (the same path inside the box).
    program: PathBuf,
    /// Arguments before the caller's (a Python program's script).
    leading: Vec<OsString>,
    mounts: Vec<PathBuf>,
    executables: Vec<PathBuf>,
    /// The box's environment (a script's `PATH`, checktestdata's `PYTHONPATH`).
    env: Vec<(OsString, OsString)>,
    /// Keeps an uncached Rust binary's folder alive.
    _binary: Option<Binary>,
    /// Keeps a built folder (`build`/`run` scripts) or a copy with its constants put in
    /// alive.
    folder: Option<Arc<tempfile::TempDir>>,
}

impl Runnable {
    /// A script program (build/run, checktestdata) ready, or why it is not.
    fn from_script(made: super::package_scripts::Made) -> Built {
        match made {
            Ok(s) => Built::Ready(Runnable::new(
                s.program,
                s.leading,
                s.mounts,
                s.executables,
                s.env,
                s.folder,
            )),
            Err(why) => Built::Failed(why.to_string()),
        }
    }

    fn new(
        program: PathBuf,
        leading: Vec<OsString>,
        mounts: Vec<PathBuf>,
        executables: Vec<PathBuf>,
        env: Vec<(OsString, OsString)>,
        folder: Option<Arc<tempfile::TempDir>>,
    ) -> Runnable {
        Runnable {
            program,
            leading,
            mounts,
            executables,
            env,
            _binary: None,
            folder,
        }
    }
}

/// A program built, or why it did not build (the compiler's words).
pub enum Built {
    Ready(Runnable),
    Failed(String),
}

/// What a validator said besides its exit code: the format's feedback files.
#[derive(Debug, Clone, Default)]
pub struct Feedback {
    /// `judgemessage.txt`: for the problem's authors (shown on cases that may be shown).
    pub judge_message: Option<String>,
    /// `teammessage.txt`: for the candidate.
    pub team_message: Option<String>,
    /// `score.txt`, for scoring problems: `Some(Err(_))` when it holds no number.
    pub score: Option<Result<f64, NotANumber>>,
    /// `score_multiplier.txt` (2023-07 and later), likewise.
    pub score_multiplier: Option<Result<f64, NotANumber>>,
}

/// A feedback file that should hold a number and does not: its first 80 characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a number")]
pub struct NotANumber(pub String);

/// A validator's run: its outcome and feedback.
pub struct ValidatorRun {
    pub outcome: Outcome,
    pub feedback: Feedback,
}

/// Exit codes of the format's validators.
pub const ACCEPT: i32 = 42;
pub const REJECT: i32 = 43;

/// The most of a feedback file the judge reads.
const FEEDBACK_BYTES: u64 = 64 << 10;

/// Limits on a validator run: the package's `validation_time` (CPU and wall clock; an
/// interactive validator gets at least the program's wall clock and more, `wall_ms`) and
/// `validation_memory`.
pub fn validator_limits(limits: &PackageLimits, wall_ms: u64) -> RunLimits {
    let wall_ms = wall_ms.max(limits.validation_ms);
    let memory = limits.validation_memory_mb << 20;
    RunLimits {
        cpu_ms: limits.validation_ms,
        wall_ms,
        address_space: memory + (64 << 20),
        output_bytes: 8 << 20,
        file_bytes: 16 << 20,
        memory_bytes: memory,
        processes: crate::judge::runner::BOX_PROCESSES,
        // The work dir is the host's: the judge reads the feedback files back from it.
        disk: None,
    }
}

impl Engine {
    /// Builds a package's program (cached), holding one of the engine's box slots while a
    /// compiler runs.
    pub fn build_package_program(
        &self,
        program: &Program,
        constants: &Constants,
        cancel: &Cancel,
    ) -> Result<Built, JudgeError> {
        // The format puts a package's constants into its validators before they are built.
        let (program, copy) =
            with_constants(&self.cache, program, constants).map_err(|source| {
                JudgeError::CacheWrite {
                    what: "validator with its constants",
                    source,
                }
            })?;
        let built = self.build_program_as_is(&program, cancel)?;
        Ok(match (built, copy) {
            (Built::Ready(mut r), Some(copy)) => {
                r.folder.get_or_insert(copy);
                Built::Ready(r)
            }
            (built, _) => built,
        })
    }

    fn build_program_as_is(&self, program: &Program, cancel: &Cancel) -> Result<Built, JudgeError> {
        if program.has_build_or_run() {
            let _slot = self.slots.take(cancel).ok_or(JudgeError::Cancelled)?;
            let made = super::package_scripts::build_run(&self.cache, program, cancel)?;
            return Ok(Runnable::from_script(made));
        }
        if program.is_checktestdata() {
            let made = super::package_scripts::checktestdata(program, python_runnable_parts());
            return Ok(Runnable::from_script(made));
        }
        if program.language == Some(Language::Python) && program.is_python2() {
            return Ok(Built::Failed(format!(
                "{} is {}",
                program.path.display(),
                Program::PYTHON2
            )));
        }
        let Some(language) = program.language else {
            return Ok(Built::Failed(format!(
                "{} is in no language the judge builds (C++, C, Rust or Python 3)",
                program.path.display()
            )));
        };
        let Some(entry) = program.sources.first() else {
            return Ok(Built::Failed(format!(
                "{} holds no source file",
                program.path.display()
            )));
        };
        match language {
            Language::Python => Ok(python(program, entry)),
            Language::Rust => {
                let (_, source, modules) =
                    program
                        .rust_sources()
                        .map_err(|source| JudgeError::ReadProblemFile {
                            path: program.path.clone(),
                            source,
                        })?;
                let name = entry
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or("main.rs");
                let _slot = self.slots.take(cancel).ok_or(JudgeError::Cancelled)?;
                let build = self.toolchain.compile_program(
                    &source,
                    name,
                    &modules,
                    &CompileLimits::default(),
                    cancel,
                )?;
                Ok(match build.program {
                    Some(binary) => Built::Ready(Runnable {
                        program: binary.path.clone(),
                        leading: Vec::new(),
                        mounts: vec![binary.path.clone()],
                        executables: vec![binary.path.clone()],
                        env: Vec::new(),
                        _binary: Some(binary),
                        folder: None,
                    }),
                    None => Built::Failed(build.stderr),
                })
            }
            Language::Cpp | Language::C => {
                let _slot = self.slots.take(cancel).ok_or(JudgeError::Cancelled)?;
                native(&self.cache, program, language, cancel)
            }
        }
    }
}

/// The host's Python 3: its real executable and its installation's root, found once.
fn python_install() -> Option<&'static (PathBuf, PathBuf)> {
    static FOUND: OnceLock<Option<(PathBuf, PathBuf)>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            let out = std::process::Command::new("python3")
                .args([
                    "-c",
                    "import os,sys;print(os.path.realpath(sys.executable));print(sys.base_prefix)",
                ])
                .output()
                .ok()?;
            let text = String::from_utf8(out.stdout).ok()?;
            let mut lines = text.lines();
            let exe = PathBuf::from(lines.next()?);
            let prefix = PathBuf::from(lines.next()?);
            (out.status.success() && exe.is_file()).then_some((exe, prefix))
        })
        .as_ref()
}

/// The host's python3 and what a box running it must see: the interpreter and its
/// standard library.
fn python_runnable_parts() -> Option<(PathBuf, Vec<PathBuf>)> {
    let (exe, prefix) = python_install()?;
    let mounts = [exe.clone(), prefix.join("lib")]
        .into_iter()
        // /usr/lib is in every box already.
        .filter(|p| p != Path::new("/usr/lib"))
        .collect();
    Some((exe.clone(), mounts))
}

/// `program` with the package's constants put into its files: a copy in a folder of the
/// judge's own when any file names one, else the program as it is.
fn with_constants(
    cache: &Cache,
    program: &Program,
    constants: &Constants,
) -> io::Result<(Program, Option<Arc<tempfile::TempDir>>)> {
    if constants.is_empty() {
        return Ok((program.clone(), None));
    }
    let files = program_files(program);
    let texts: Vec<(PathBuf, Vec<u8>)> = files
        .into_iter()
        .map(|f| std::fs::read(&f).map(|b| (f, b)))
        .collect::<io::Result<_>>()?;
    if !texts.iter().any(|(_, b)| b.windows(2).any(|w| w == b"{{")) {
        return Ok((program.clone(), None));
    }
    let copy = cache.temp_dir()?;
    let name = program.path.file_name().unwrap_or_default();
    let root = copy.path().join(name);
    let folder = if program.path.is_dir() {
        root.clone()
    } else {
        copy.path().to_path_buf()
    };
    cache::make_dir(&folder)?;
    for (file, bytes) in texts {
        let out = match String::from_utf8(bytes) {
            Ok(text) => constants.substitute(&text).into_bytes(),
            Err(e) => e.into_bytes(),
        };
        let target = folder.join(file.file_name().unwrap_or_default());
        std::fs::write(&target, out)?;
        if is_executable_file(&file) {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&target, std::fs::Permissions::from_mode(cache::BINARY_MODE))?;
        }
    }
    Ok((Program::at(&root), Some(Arc::new(copy))))
}

fn is_executable_file(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o111 != 0)
}

fn python(program: &Program, entry: &Path) -> Built {
    // The script's folder (a folder program's whole folder), the interpreter, and its
    // standard library; nothing else of the host.
    let folder = if program.path.is_dir() {
        program.path.clone()
    } else {
        entry.parent().unwrap_or(Path::new("/")).to_path_buf()
    };
    let Some((exe, mut mounts)) = python_runnable_parts() else {
        return Built::Failed("no python3 on this machine: a Python validator needs one".into());
    };
    mounts.push(folder);
    Built::Ready(Runnable::new(
        exe.clone(),
        vec!["-S".into(), entry.as_os_str().to_owned()],
        mounts,
        vec![exe],
        Vec::new(),
        None,
    ))
}

/// Compiles a C or C++ program with the system's compiler, in a box, cached by its files.
fn native(
    cache: &Cache,
    program: &Program,
    language: Language,
    cancel: &Cancel,
) -> Result<Built, JudgeError> {
    let (compiler, flags): (&str, &[&str]) = match language {
        Language::C => ("gcc", &["-O2", "-std=gnu11", "-o", "validator"]),
        _ => ("g++", &["-O2", "-std=gnu++17", "-o", "validator"]),
    };
    // Every file of the program (headers too) is part of what it is.
    let files = program_files(program);
    let mut parts: Vec<Vec<u8>> = vec![
        compiler.as_bytes().to_vec(),
        flags.join(" ").into_bytes(),
        sandbox::BOX_VERSION.as_bytes().to_vec(),
    ];
    for f in &files {
        parts.push(
            f.file_name()
                .map(|n| n.as_encoded_bytes().to_vec())
                .unwrap_or_default(),
        );
        parts.push(
            std::fs::read(f).map_err(|source| JudgeError::ReadProblemFile {
                path: f.clone(),
                source,
            })?,
        );
    }
    let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
    let key = cache::digest(&refs);
    let cached = cache.path(&format!("builds/{}/{key}/validator", &key[..2]));
    let ready = |path: PathBuf| {
        Built::Ready(Runnable::new(
            path.clone(),
            Vec::new(),
            vec![path.clone()],
            vec![path],
            Vec::new(),
            None,
        ))
    };
    if cache::is_own_file(&cached) {
        cache::touch(&cached);
        return Ok(ready(cached));
    }
    let cache_err = |source| JudgeError::CacheWrite {
        what: "validator build",
        source,
    };
    let work = cache.temp_dir().map_err(cache_err)?;
    for f in &files {
        if let Some(name) = f.file_name() {
            std::fs::copy(f, work.path().join(name)).map_err(cache_err)?;
        }
    }
    let sources: Vec<OsString> = program
        .sources
        .iter()
        .filter(|s| {
            // Headers are included, not compiled.
            !s.extension().is_some_and(|e| e == "h" || e == "hpp")
        })
        .filter_map(|s| s.file_name().map(ToOwned::to_owned))
        .collect();
    let job = Job {
        program: find_on_path(compiler).unwrap_or_else(|| PathBuf::from("/usr/bin").join(compiler)),
        args: flags.iter().map(Into::into).chain(sources).collect(),
        env: vec![("PATH".into(), "/usr/local/bin:/usr/bin:/bin".into())],
        cwd: work.path().to_path_buf(),
        stdin: Input::default(),
        answer_pipe: false,
        mounts: sandbox::TOOLCHAIN_PATHS
            .iter()
            .map(Mount::read_only)
            .collect(),
        executables: Some(
            ["/usr", "/bin"]
                .iter()
                .map(PathBuf::from)
                .filter(|p| p.exists())
                .collect(),
        ),
    };
    let outcome = super::package_scripts::run_build(&job, cancel)?;
    if outcome.exit != Exit::Code(0) {
        let mut words = String::from_utf8_lossy(&outcome.stderr).into_owned();
        if outcome.wall_exceeded {
            words.push_str("\nerror: compilation took longer than 60 s");
        }
        return Ok(Built::Failed(words));
    }
    let (file, _) = cache::open_box_file(&work.path().join("validator")).map_err(cache_err)?;
    cache::store_box_file(file, &cached, cache::BINARY_MODE).map_err(cache_err)?;
    Ok(ready(cached))
}

/// The files of a program, in name order: the file, or the files of its folder.
fn program_files(program: &Program) -> Vec<PathBuf> {
    if !program.path.is_dir() {
        return vec![program.path.clone()];
    }
    let mut all: Vec<PathBuf> = std::fs::read_dir(&program.path)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    all.sort();
    all
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// One run of a validator on a case: `input answer feedback_dir/ args...`, with `stdin`
/// (the submission's output, or a pipe from it when interactive) and `streams`.
pub struct ValidatorCall<'a> {
    pub runnable: &'a Runnable,
    pub input: &'a Path,
    pub answer: &'a Path,
    pub args: &'a [String],
    pub stdin: Input,
    pub streams: Streams,
    pub limits: RunLimits,
}

pub fn run_validator(
    call: ValidatorCall<'_>,
    cache: &Cache,
    cancel: &Cancel,
) -> io::Result<ValidatorRun> {
    let r = call.runnable;
    let work = cache.temp_dir()?;
    let mut feedback_dir = work.path().as_os_str().to_owned();
    feedback_dir.push("/");
    let mut args = r.leading.clone();
    args.push(call.input.as_os_str().to_owned());
    args.push(call.answer.as_os_str().to_owned());
    args.push(feedback_dir);
    args.extend(call.args.iter().map(OsString::from));
    let job = Job {
        program: r.program.clone(),
        args,
        env: r.env.clone(),
        cwd: work.path().to_path_buf(),
        stdin: call.stdin,
        answer_pipe: false,
        mounts: r
            .mounts
            .iter()
            .chain([&call.input.to_path_buf(), &call.answer.to_path_buf()])
            .map(Mount::read_only)
            .collect(),
        executables: Some(r.executables.clone()),
    };
    let outcome = sandbox::run_with_streams(&job, &call.limits, cancel, call.streams)?;
    let text = |name: &str| -> Option<String> {
        use std::io::Read;
        let (file, _) = cache::open_box_file(&work.path().join(name)).ok()?;
        let mut bytes = Vec::new();
        file.take(FEEDBACK_BYTES).read_to_end(&mut bytes).ok()?;
        let text = String::from_utf8_lossy(&bytes).trim_end().to_string();
        (!text.is_empty()).then_some(text)
    };
    let feedback = Feedback {
        judge_message: text("judgemessage.txt"),
        team_message: text("teammessage.txt"),
        score: text("score.txt").map(|s| number(&s)),
        score_multiplier: text("score_multiplier.txt").map(|s| number(&s)),
    };
    // The box wrote as its own uid: remove what it left without following its links.
    let _ = sandbox::remove_tree(work.path());
    Ok(ValidatorRun { outcome, feedback })
}

/// A feedback file's number, or its text when it holds none.
fn number(text: &str) -> Result<f64, NotANumber> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| NotANumber(text.chars().take(80).collect()))
}

/// One run of an input validator: the case's input on stdin, the group's flags as its only
/// arguments (`call.answer` is not shown to it).
pub fn run_input_validator(
    call: ValidatorCall<'_>,
    cache: &Cache,
    cancel: &Cancel,
) -> io::Result<Outcome> {
    let r = call.runnable;
    let work = cache.temp_dir()?;
    let mut args = r.leading.clone();
    args.extend(call.args.iter().map(OsString::from));
    let job = Job {
        program: r.program.clone(),
        args,
        env: r.env.clone(),
        cwd: work.path().to_path_buf(),
        stdin: call.stdin,
        answer_pipe: false,
        mounts: r.mounts.iter().map(Mount::read_only).collect(),
        executables: Some(r.executables.clone()),
    };
    let outcome = sandbox::run_with_streams(&job, &call.limits, cancel, call.streams);
    let _ = sandbox::remove_tree(work.path());
    outcome
}
