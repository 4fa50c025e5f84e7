//! A whole program in a language of the table that the judge's own toolchain does not build
//! (C, C++, Python, Java, Kotlin, or one a bank's `languages.toml` adds): its files written
//! into a compile box's work dir under the names the language gives them, its compile
//! command run there with the compile limits (memory counted as the language says), and
//! what it made (`{binary}`, one file, or `{out_dir}`, a folder) copied into the cache as
//! files of the judge's own, keyed by the language's entry, its tools' paths, the box and the
//! files. A compile that fails with exit code 1 is cached too (its message is the CE).
//!
//! Invariant: the compiler runs in a box like every other compile; what it wrote is read
//! back without following links, regular files and folders only.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use super::toolchain::{
    compile_run_limits, explain_compile_failure, CompileLimits, ToolchainError, MAX_CACHED_BINARY,
};
use crate::cache::{self, digest, Cache};
use crate::languages::{Build, Language, MemoryCount, Vars};
use judge_sandbox::{self as sandbox, Cancel, Exit, Input, Job, Mount};

/// The name a compile writes `{binary}` as, in its work dir.
const BINARY: &str = "solution";
/// The folder a compile fills as `{out_dir}`, in its work dir.
const OUT_DIR: &str = "out";
/// Most files, and deepest folders, a compile's `{out_dir}` may hold (Java's packages nest).
const MOST_FILES: usize = 10_000;
const DEEPEST: usize = 32;

/// One file of a program: its name (a plain file name) and its text.
pub type File = (String, String);

/// What a compile made: the program file or the folder, in the cache (or, too large to
/// cache, in a temporary folder that lives as long as a clone of this).
#[derive(Debug, Clone)]
pub struct Compiled {
    pub path: PathBuf,
    /// `path` is `{binary}` (else `{out_dir}`).
    pub binary: bool,
    /// The entry's name in the box (`{source}` of a language without a compile).
    pub entry: String,
    /// `{class}`.
    pub class: String,
    _temp: Option<Arc<tempfile::TempDir>>,
}

impl Compiled {
    /// The run command for this program under a memory limit of `memory_mb`.
    pub fn run_command(
        &self,
        language: &Language,
        memory_mb: u64,
    ) -> Result<crate::languages::Command, crate::languages::LanguageError> {
        let source = if self.binary {
            String::new()
        } else {
            self.path.join(&self.entry).display().to_string()
        };
        language.run_command(&Vars {
            source: &source,
            sources: &[],
            binary: self.binary.then_some(self.path.as_path()),
            out_dir: (!self.binary).then_some(self.path.as_path()),
            class: &self.class,
            memory_mb,
        })
    }
}

/// The result of compiling one program.
#[derive(Debug, Clone)]
pub struct ProgramBuild {
    pub compiled: Option<Compiled>,
    pub stderr: String,
    pub time_ms: u64,
    pub cached: bool,
}

/// A file name safe in a box's argv and work dir: plain, not taken for an option.
pub fn box_name(name: &str) -> String {
    let plain = !name.is_empty()
        && !name.starts_with(['-', '.'])
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '+'));
    if plain {
        name.to_string()
    } else {
        let kept: String = name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.'))
            .collect();
        format!("f{}", kept.trim_start_matches('.'))
    }
}

/// Compiles `files` (the entry first) as `language` (not one the judge's own toolchain
/// builds), cached by content.
pub fn compile(
    cache: &Cache,
    language: &Language,
    files: &[File],
    limits: &CompileLimits,
    cancel: &Cancel,
) -> Result<ProgramBuild, ToolchainError> {
    let named = box_names(language, files);
    let (entry, entry_text) = named.first().cloned().unwrap_or_default();
    let class = crate::languages::class_of(&entry_text, &entry);
    let key = build_key(language, &named)?;
    let dir = cache.path(&format!("builds/{}/{key}", &key[..2]));
    let cache_err = |source| ToolchainError::Cache {
        path: dir.clone(),
        source,
    };
    let made = |path: PathBuf, binary: bool, temp, time_ms, cached| ProgramBuild {
        compiled: Some(Compiled {
            path,
            binary,
            entry: entry.clone(),
            class: class.clone(),
            _temp: temp,
        }),
        stderr: String::new(),
        time_ms,
        cached,
    };
    if let Some((path, binary)) = cached_output(&dir) {
        cache::touch(&dir);
        return Ok(made(path, binary, None, 0, true));
    }
    if let Ok(stderr) = fs::read_to_string(dir.join("compile-error.txt")) {
        cache::touch(&dir);
        return Ok(ProgramBuild {
            compiled: None,
            stderr,
            time_ms: 0,
            cached: true,
        });
    }
    let work = cache.temp_dir().map_err(cache_err)?;
    for (name, text) in &named {
        fs::write(work.path().join(name), text).map_err(cache_err)?;
    }
    let sources: Vec<String> = named
        .iter()
        .map(|(n, _)| n.clone())
        .filter(|n| !language.is_header(Path::new(n)))
        .collect();
    let vars = Vars {
        source: &entry,
        sources: &sources,
        binary: Some(Path::new(BINARY)),
        out_dir: Some(Path::new(OUT_DIR)),
        class: &class,
        memory_mb: limits.memory_mb,
    };
    let Some(command) = language
        .compile_command(&vars)
        .map_err(|e| language_error(&e))?
    else {
        // No compile (`build = "none"`): the sources are the program.
        let out = dir.join(OUT_DIR);
        store_tree(work.path(), &out).map_err(cache_err)?;
        return Ok(made(out, false, None, 0, false));
    };
    let binary =
        matches!(&language.build, Build::Command(c) if c.iter().any(|a| a.contains("{binary}")));
    if !binary {
        // Made here, writable by the box's uid: not every compiler makes the folder it is
        // told to write into (kotlinc's `-d out/main.jar`). The work dir is the judge's own.
        let out = work.path().join(OUT_DIR);
        fs::create_dir(&out).map_err(cache_err)?;
        fs::set_permissions(&out, std::os::unix::fs::PermissionsExt::from_mode(0o777))
            .map_err(cache_err)?;
    }
    let job = Job {
        program: command.program.clone(),
        args: command.args.clone(),
        // No locale: compilers quote in plain ASCII, as the messages users compare say.
        env: vec![("PATH".into(), "/usr/local/bin:/usr/bin:/bin".into())],
        cwd: work.path().to_path_buf(),
        stdin: Input::default(),
        answer_pipe: false,
        mounts: command.mounts.iter().map(Mount::read_only).collect(),
        executables: Some(command.executables.clone()),
    };
    let mut run_limits = compile_run_limits(limits);
    if language.limits.memory == MemoryCount::Resident {
        run_limits.address_space = u64::MAX;
    }
    let started = Instant::now();
    let outcome =
        sandbox::run_with_cancel(&job, &run_limits, cancel).map_err(ToolchainError::Sandbox)?;
    let time_ms = started.elapsed().as_millis() as u64;
    let made_path = work.path().join(if binary { BINARY } else { OUT_DIR });
    if outcome.exit == Exit::Code(0) && !outcome.output_exceeded {
        if binary {
            if let Ok((file, len)) = cache::open_box_file(&made_path) {
                let (path, temp) = store_binary(cache, file, len, &dir).map_err(cache_err)?;
                return Ok(made(path, true, temp, time_ms, false));
            }
        } else if fs::symlink_metadata(&made_path).is_ok_and(|m| m.is_dir()) {
            let out = dir.join(OUT_DIR);
            store_tree(&made_path, &out).map_err(cache_err)?;
            return Ok(made(out, false, None, time_ms, false));
        }
    }
    let mut stderr = explain_compile_failure(&outcome, limits);
    if stderr.trim().is_empty() {
        // javac and kotlinc say some of it on stdout.
        stderr = String::from_utf8_lossy(&outcome.stdout).into_owned();
    }
    if outcome.exit == Exit::Code(0) && stderr.trim().is_empty() {
        stderr = format!(
            "the compile succeeded but made no {}",
            if binary {
                "program file"
            } else {
                "output folder"
            }
        );
    }
    if !outcome.wall_exceeded && outcome.exit == Exit::Code(1) {
        let entry = format!("builds/{}/{key}/compile-error.txt", &key[..2]);
        cache.write(&entry, stderr.as_bytes()).map_err(cache_err)?;
    }
    Ok(ProgramBuild {
        compiled: None,
        stderr,
        time_ms,
        cached: false,
    })
}

fn language_error(e: &crate::languages::LanguageError) -> ToolchainError {
    ToolchainError::Language(e.to_string())
}

/// Each file under the name the box gives it: the entry as the language names it (Java's
/// after its class), every name plain.
fn box_names(language: &Language, files: &[File]) -> Vec<File> {
    files
        .iter()
        .enumerate()
        .map(|(i, (name, text))| {
            let name = box_name(name);
            let name = if i == 0 {
                box_name(&language.source_name(&name, text))
            } else {
                name
            };
            (name, text.clone())
        })
        .collect()
}

/// What a build depends on: the language's entry and its tools' real paths, the box, and
/// every file under its box name.
fn build_key(language: &Language, files: &[File]) -> Result<String, ToolchainError> {
    let entry = language.build_key().map_err(|e| language_error(&e))?;
    let mut parts: Vec<&[u8]> = vec![
        b"program-2",
        entry.as_bytes(),
        sandbox::BOX_VERSION.as_bytes(),
    ];
    for (name, text) in files {
        parts.push(name.as_bytes());
        parts.push(text.as_bytes());
    }
    Ok(digest(&parts))
}

/// The program or folder a previous compile stored under `dir`, when it is the judge's own.
fn cached_output(dir: &Path) -> Option<(PathBuf, bool)> {
    let binary = dir.join(BINARY);
    if cache::is_own_file(&binary) {
        return Some((binary, true));
    }
    let out = dir.join(OUT_DIR);
    let own_dir = fs::symlink_metadata(&out).is_ok_and(|m| {
        use std::os::unix::fs::MetadataExt;
        m.is_dir() && m.uid() == cache::effective_uid() && m.mode() & 0o022 == 0
    });
    own_dir.then_some((out, false))
}

/// Stores a binary at `<dir>/solution`, or, over the cache's size for one binary, in a
/// temporary folder kept alive by the returned guard.
fn store_binary(
    cache: &Cache,
    file: fs::File,
    len: u64,
    dir: &Path,
) -> io::Result<(PathBuf, Option<Arc<tempfile::TempDir>>)> {
    if len > MAX_CACHED_BINARY {
        let temp = cache.temp_dir()?;
        let path = temp.path().join(BINARY);
        cache::store_box_file(file, &path, cache::BINARY_MODE)?;
        return Ok((path, Some(Arc::new(temp))));
    }
    let path = dir.join(BINARY);
    cache::store_box_file(file, &path, cache::BINARY_MODE)?;
    Ok((path, None))
}

/// Copies the folder a box made into the cache at `dest`: regular files and folders only,
/// never through a link, at most `MOST_FILES` files `DEEPEST` folders deep; built beside
/// `dest` and renamed into place, so a half copy is never found.
fn store_tree(from: &Path, dest: &Path) -> io::Result<()> {
    let parent = dest.parent().unwrap_or(Path::new("."));
    cache::make_dir(parent)?;
    let staging = tempfile::Builder::new()
        .prefix(".out-")
        .tempdir_in(parent)?;
    let mut stack = vec![(from.to_path_buf(), staging.path().to_path_buf(), 0)];
    let mut files = 0;
    while let Some((source, target, depth)) = stack.pop() {
        cache::make_dir(&target)?;
        for entry in fs::read_dir(&source)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            let to = target.join(entry.file_name());
            if kind.is_dir() && depth < DEEPEST {
                stack.push((entry.path(), to, depth + 1));
            } else if kind.is_file() {
                files += 1;
                if files > MOST_FILES {
                    return Err(io::Error::other(format!(
                        "the compile made more than {MOST_FILES} files"
                    )));
                }
                let (file, _) = cache::open_box_file(&entry.path())?;
                cache::store_box_file(file, &to, cache::FILE_MODE)?;
            }
        }
    }
    let staged = staging.keep();
    set_dir_modes(&staged)?;
    match fs::rename(&staged, dest) {
        Ok(()) => Ok(()),
        // Another judge stored the same build first: theirs is as good.
        Err(_) if dest.is_dir() => sandbox::remove_tree(&staged),
        Err(e) => Err(e),
    }
}

/// Folders 0755 (a tempdir is made 0700), so a box's uid can read the program.
fn set_dir_modes(root: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755))?;
        for entry in fs::read_dir(&dir)? {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                stack.push(entry.path());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn box_names_are_plain_and_never_options() {
        assert_eq!(box_name("sol.cpp"), "sol.cpp");
        assert_eq!(box_name("a+b.c++"), "a+b.c++");
        assert_eq!(box_name("-o.cpp"), "fo.cpp");
        assert_eq!(box_name("../x.py"), "fx.py");
        assert_eq!(box_name("my file.py"), "fmyfile.py");
        assert_eq!(box_name(".hidden.c"), "fhidden.c");
    }
}
