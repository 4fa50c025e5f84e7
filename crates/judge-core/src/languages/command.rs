//! A language's templates made into commands: its tools found on this machine (once), the
//! placeholders filled in, and what the box must mount and may execute for them.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::entry::Found;
use super::table::{self, placeholders};
use super::{Build, CommandError, Language, LanguageError, Tool, ToolError};

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

impl Language {
    /// Whether every tool is on this machine; `Err` says which is missing and why.
    pub fn installed(&self) -> Result<(), LanguageError> {
        self.found().map(|_| ())
    }

    /// The tool `name`'s real executable and the folders a box running it must see.
    pub fn tool(&self, name: &str) -> Result<(&Path, &[PathBuf]), LanguageError> {
        let found = self.found()?;
        found
            .tools
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, path, folders)| (path.as_path(), folders.as_slice()))
            .ok_or_else(|| self.invalid("tools", format!("no tool named `{name}`")))
    }

    /// The first line the version command prints (stdout, else stderr).
    pub fn version(&self) -> Result<String, LanguageError> {
        let found = self.found()?;
        version(self, found).map_err(|why| self.not_installed(Arc::new(why)))
    }

    /// The compile command for `vars`; `None` for a language built by the judge or not at
    /// all.
    pub fn compile_command(&self, vars: &Vars<'_>) -> Result<Option<Command>, LanguageError> {
        let Build::Command(template) = &self.build else {
            return Ok(None);
        };
        let found = self.found_for(template)?;
        let paths = (&self.compile_paths, &self.compile_exec);
        build(template, vars, &found, paths)
            .map(Some)
            .map_err(|why| self.bad_command("compile", why))
    }

    /// The run command for `vars`.
    pub fn run_command(&self, vars: &Vars<'_>) -> Result<Command, LanguageError> {
        let found = self.found_for(&self.run)?;
        let paths = (&self.run_paths, &self.run_exec);
        build(&self.run, vars, &found, paths).map_err(|why| self.bad_command("run", why))
    }

    /// What identifies this language's builds: the entry as written and the real paths of
    /// its tools (a different compiler is a different build).
    pub fn build_key(&self) -> Result<String, LanguageError> {
        let found = self.found()?;
        Ok(format!("{}|{found:?}", self.entry_key()))
    }

    /// The tools `template` names, found; none needed when it names none (Rust's run is its
    /// binary alone, whatever rustc is on `PATH`).
    fn found_for(&self, template: &[String]) -> Result<Found, LanguageError> {
        let names: Vec<String> = template
            .iter()
            .flat_map(|a| table::placeholders(a))
            .collect();
        if !self.tools.iter().any(|(n, _)| names.contains(n)) {
            return Ok(Found::default());
        }
        self.found().cloned()
    }

    fn found(&self) -> Result<&Found, LanguageError> {
        self.found
            .get_or_init(|| find_tools(&self.tools).map_err(Arc::new))
            .as_ref()
            .map_err(|why| self.not_installed(Arc::clone(why)))
    }

    fn not_installed(&self, why: Arc<ToolError>) -> LanguageError {
        LanguageError::NotInstalled {
            name: self.name.clone(),
            why,
        }
    }

    fn bad_command(&self, key: &str, source: CommandError) -> LanguageError {
        LanguageError::BadCommand {
            file: self.defined_in.clone(),
            key: format!("{}.{key}", self.id),
            source,
        }
    }

    fn invalid(&self, key: &str, message: String) -> LanguageError {
        LanguageError::Invalid {
            file: self.defined_in.clone(),
            line: None,
            key: format!("{}.{key}", self.id),
            message,
        }
    }
}
