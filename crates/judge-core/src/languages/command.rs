//! A language's templates made into commands: its tools found on this machine (once), the
//! placeholders filled in, and what the box must mount and may execute for them.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::table::placeholders;
use super::{Language, Tool};

/// A command ready for a box: the program's real path, its arguments, and what the box
/// must see read-only and may execute (besides the system's shared libraries).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub program: PathBuf,
    pub args: Vec<OsString>,
    pub mounts: Vec<PathBuf>,
    pub executables: Vec<PathBuf>,
}

/// What the placeholders stand for in one command.
#[derive(Debug, Clone, Copy)]
pub struct Vars<'a> {
    /// `{source}`: the entry file (its name in a compile's work dir; at run, for a language
    /// without a compile, its path in the built folder).
    pub source: &'a str,
    /// `{sources}`: every file to compile, the entry first.
    pub sources: &'a [String],
    /// `{binary}`: at compile, the name the compiler writes; at run, the program's path.
    pub binary: Option<&'a Path>,
    /// `{out_dir}`: at compile, the folder the compiler fills; at run, the built folder.
    pub out_dir: Option<&'a Path>,
    /// `{class}`: see `class_of`.
    pub class: &'a str,
    /// `{memory_mb}`: the box's memory limit.
    pub memory_mb: u64,
}

/// A language's tools as found here: (name, executable, folders it needs), and the
/// path each is started by on the host (`host`): the name found on `PATH`, since a
/// launcher (rustup's proxy) decides what to run by the name it was started as.
#[derive(Debug, Clone, Default)]
pub(super) struct Found {
    pub(super) tools: Vec<(String, PathBuf, Vec<PathBuf>)>,
    host: Vec<PathBuf>,
}

/// Why a language's tool cannot be used here: the language is then not installed.
#[derive(Debug, thiserror::Error)]
pub enum ToolError {
    #[error("no `{0}` on PATH")]
    NotOnPath(String),
    #[error("cannot run {}: {source}", .program.display())]
    CannotRun {
        program: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A tool's `locate` command (`command`, as written) named no executable.
    #[error("`{command}` did not name its executable: {stderr}")]
    NotLocated { command: String, stderr: String },
    /// The version command failed (what it said on stderr).
    #[error("{} failed: {stderr}", .program.display())]
    VersionFailed { program: PathBuf, stderr: String },
    /// The version command's template is wrong.
    #[error(transparent)]
    Command(#[from] CommandError),
}

/// Why a command template cannot be filled in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    #[error("the command is empty")]
    Empty,
    #[error("{{{0}}} names no tool of this language")]
    NoSuchTool(String),
    /// `{binary}` or `{out_dir}` where the command has none.
    #[error("{{{0}}} has no value in this command")]
    NoValue(&'static str),
}

/// Finds every tool; `Err` names the first that is missing and why.
pub(super) fn find_tools(tools: &[(String, Tool)]) -> Result<Found, ToolError> {
    let mut found = Vec::new();
    let mut host = Vec::new();
    for (name, tool) in tools {
        let (path, folders, started_as) = find_tool(tool)?;
        found.push((name.clone(), path, folders));
        host.push(started_as);
    }
    Ok(Found { tools: found, host })
}

/// A tool's real executable, the folders it needs, and the path the host starts it by.
fn find_tool(tool: &Tool) -> Result<(PathBuf, Vec<PathBuf>, PathBuf), ToolError> {
    let on_path =
        on_path(&tool.program).ok_or_else(|| ToolError::NotOnPath(tool.program.clone()))?;
    let Some(locate) = &tool.locate else {
        let real = std::fs::canonicalize(&on_path).unwrap_or_else(|_| on_path.clone());
        return Ok((real, Vec::new(), on_path));
    };
    let out = std::process::Command::new(&on_path)
        .args(locate)
        .output()
        .map_err(|source| ToolError::CannotRun {
            program: on_path.clone(),
            source,
        })?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let exe = lines.next().map(PathBuf::from).filter(|p| p.is_file());
    match exe {
        Some(exe) if out.status.success() => {
            let folders = lines.map(PathBuf::from).filter(|p| p.exists()).collect();
            Ok((exe.clone(), folders, exe))
        }
        _ => Err(ToolError::NotLocated {
            command: format!("{} {}", tool.program, locate.join(" ")),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        }),
    }
}

/// `program` on the judge's `PATH` (as given when it holds a slash).
fn on_path(program: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    if program.contains('/') {
        return Some(PathBuf::from(program)).filter(|p| p.is_file());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| {
            std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// The first line the language's version command prints, run here on the host (it is the
/// toolchain's own program, not a candidate's).
pub(super) fn version(language: &Language, found: &Found) -> Result<String, ToolError> {
    let vars = Vars {
        source: "",
        sources: &[],
        binary: None,
        out_dir: None,
        class: "",
        memory_mb: 0,
    };
    let host = Found {
        tools: found
            .tools
            .iter()
            .zip(&found.host)
            .map(|((name, _, folders), host)| (name.clone(), host.clone(), folders.clone()))
            .collect(),
        host: found.host.clone(),
    };
    let command = build(&language.version, &vars, &host, (&Vec::new(), &Vec::new()))?;
    let out = std::process::Command::new(&command.program)
        .args(&command.args)
        .output()
        .map_err(|source| ToolError::CannotRun {
            program: command.program.clone(),
            source,
        })?;
    // A JVM warns about its options before the tool says its version.
    let first = |bytes: &[u8]| {
        String::from_utf8_lossy(bytes)
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.contains("warning:"))
            .map(|l| l.trim_start_matches("info: ").to_string())
    };
    first(&out.stdout)
        .or_else(|| first(&out.stderr))
        .filter(|_| out.status.success())
        .ok_or_else(|| ToolError::VersionFailed {
            program: command.program.clone(),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        })
}

/// `template` with `vars` and the tools filled in, and what its box needs: the tools it
/// names (their folders too), the program and built folder when named, `paths` (read-only)
/// and `exec` (folders it may execute beneath).
pub(super) fn build(
    template: &[String],
    vars: &Vars<'_>,
    found: &Found,
    (paths, exec): (&Vec<String>, &Vec<String>),
) -> Result<Command, CommandError> {
    let mut words: Vec<OsString> = Vec::new();
    let mut mounts: Vec<PathBuf> = Vec::new();
    let mut executables: Vec<PathBuf> = Vec::new();
    for arg in template {
        if arg == "{sources}" {
            words.extend(vars.sources.iter().map(OsString::from));
            continue;
        }
        for name in placeholders(arg) {
            if let Some((_, path, folders)) = found.tools.iter().find(|(n, _, _)| *n == name) {
                mounts.push(path.clone());
                mounts.extend(folders.iter().cloned());
                executables.push(path.clone());
            }
        }
        let filled = fill(arg, vars, found)?;
        for (name, value) in [("binary", vars.binary), ("out_dir", vars.out_dir)] {
            if let Some(path) =
                value.filter(|p| p.is_absolute() && arg.contains(&format!("{{{name}}}")))
            {
                mounts.push(path.to_path_buf());
                if name == "binary" {
                    executables.push(path.to_path_buf());
                }
            }
        }
        words.push(filled.into());
    }
    let mut words = words.into_iter();
    let first = words.next().ok_or(CommandError::Empty)?;
    let program = match on_path(&first.to_string_lossy()) {
        Some(p) if !Path::new(&first).is_absolute() => std::fs::canonicalize(&p).unwrap_or(p),
        _ => PathBuf::from(&first),
    };
    if !executables.contains(&program) {
        mounts.push(program.clone());
        executables.push(program.clone());
    }
    mounts.extend(paths.iter().flat_map(|p| expand(p)));
    executables.extend(exec.iter().flat_map(|p| expand(p)));
    dedup(&mut mounts);
    dedup(&mut executables);
    Ok(Command {
        program,
        args: words.collect(),
        mounts,
        executables,
    })
}

fn dedup(paths: &mut Vec<PathBuf>) {
    let mut seen = std::collections::HashSet::new();
    paths.retain(|p| seen.insert(p.clone()));
}

/// One argument with its placeholders filled in.
fn fill(arg: &str, vars: &Vars<'_>, found: &Found) -> Result<String, CommandError> {
    let mut out = arg.to_string();
    for name in placeholders(arg) {
        let value = match name.as_str() {
            "source" => vars.source.to_string(),
            "binary" => path_text(vars.binary, "binary")?,
            "out_dir" => path_text(vars.out_dir, "out_dir")?,
            "class" => vars.class.to_string(),
            "memory_mb" => vars.memory_mb.to_string(),
            tool => match found.tools.iter().find(|(n, _, _)| n == tool) {
                Some((_, path, _)) => path.display().to_string(),
                None => return Err(CommandError::NoSuchTool(tool.to_string())),
            },
        };
        out = out.replace(&format!("{{{name}}}"), &value);
    }
    Ok(out)
}

fn path_text(path: Option<&Path>, name: &'static str) -> Result<String, CommandError> {
    path.map(|p| p.display().to_string())
        .ok_or(CommandError::NoValue(name))
}

/// A path of the table: as written, or, when its last component ends in `*`, every entry
/// of its folder whose name starts with the rest. Only paths that exist.
fn expand(pattern: &str) -> Vec<PathBuf> {
    let path = Path::new(pattern);
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let Some(prefix) = name.strip_suffix('*') else {
        return Some(path.to_path_buf())
            .filter(|p| p.exists())
            .into_iter()
            .collect();
    };
    let folder = path.parent().unwrap_or(Path::new("/"));
    let mut found: Vec<PathBuf> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .map(|e| e.path())
        .collect();
    found.sort();
    found
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
