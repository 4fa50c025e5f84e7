//! `languages.toml` read into `Languages`: typed by serde (unknown keys refused), an
//! override file's entries merged key by key into the built-in ones, then every entry
//! checked (placeholders known, extensions not shared, what `run` needs made by the
//! compile). Every error names the file, the key and, where it can, the line.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{
    Build, Functions, Harness, Language, LanguageError, LanguageLimits, MemoryCount, Tool,
};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    name: Option<String>,
    package_code: Option<String>,
    extensions: Option<Vec<String>>,
    headers: Option<Vec<String>>,
    source_name: Option<String>,
    build: Option<RawBuild>,
    compile: Option<Vec<String>>,
    run: Option<Vec<String>>,
    version: Option<Vec<String>>,
    tools: Option<BTreeMap<String, RawTool>>,
    compile_paths: Option<Vec<String>>,
    compile_exec: Option<Vec<String>>,
    run_paths: Option<Vec<String>>,
    run_exec: Option<Vec<String>>,
    limits: Option<RawLimits>,
    functions: Option<RawFunctions>,
    stub: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFunctions {
    harness: RawHarness,
    time_multiplier: u64,
    memory_extra_mb: u64,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum RawHarness {
    Python,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum RawBuild {
    /// The judge's own Rust toolchain.
    Judge,
    /// No compile: the sources run as they are.
    None,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTool {
    program: String,
    locate: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    processes: Option<u64>,
    memory: Option<RawMemory>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum RawMemory {
    AddressSpace,
    Resident,
}

/// The placeholders every command may use besides its language's tools.
const PLACEHOLDERS: &[&str] = &[
    "source",
    "sources",
    "binary",
    "out_dir",
    "class",
    "memory_mb",
];

/// One file's text, for naming places in errors.
struct File<'a> {
    name: &'a str,
    text: &'a str,
}

/// Reads `text` (from `file`): a whole table, or, with `base`, changes to it.
pub(super) fn parse(
    text: &str,
    file: &str,
    base: Vec<Language>,
) -> Result<Vec<Language>, LanguageError> {
    let src = File { name: file, text };
    let order: toml::Table = toml::from_str(text).map_err(|e| src.toml_error(&e))?;
    let mut raw: BTreeMap<String, RawEntry> =
        toml::from_str(text).map_err(|e| src.toml_error(&e))?;
    let mut list = base;
    for id in order.keys() {
        let entry = raw.remove(id).unwrap_or_default();
        src.check_id(id)?;
        match list.iter_mut().find(|l| l.id == *id) {
            Some(known) => src.merge(known, entry)?,
            None => list.push(src.new_language(id, entry)?),
        }
    }
    for language in &list {
        src.check(language, &list)?;
    }
    Ok(list)
}

impl File<'_> {
    fn error(
        &self,
        line: Option<usize>,
        key: impl Into<String>,
        message: impl Into<String>,
    ) -> LanguageError {
        LanguageError::Invalid {
            file: self.name.to_string(),
            line,
            key: key.into(),
            message: message.into(),
        }
    }

    /// An entry's key as the file writes it: `key` under `[id]`, `id.key`, or a table
    /// `[id.key]`; its line, when found.
    fn line_of(&self, id: &str, key: &str) -> Option<usize> {
        let mut inside = false;
        for (i, line) in self.text.lines().enumerate() {
            let line = line.trim();
            if let Some(header) = line.strip_prefix('[') {
                let header = header.trim_end_matches(']').trim();
                if header == format!("{id}.{key}") {
                    return Some(i + 1);
                }
                inside = header == id;
                continue;
            }
            let name = line.split('=').next().unwrap_or("").trim();
            if line.contains('=') && ((inside && name == key) || name == format!("{id}.{key}")) {
                return Some(i + 1);
            }
        }
        None
    }

    fn keyed(&self, id: &str, key: &str, message: impl Into<String>) -> LanguageError {
        self.error(self.line_of(id, key), format!("{id}.{key}"), message)
    }

    /// A TOML or serde error, named by the key on its line (under the table it is in).
    fn toml_error(&self, e: &toml::de::Error) -> LanguageError {
        let line = e.span().map(|s| {
            self.text[..s.start.min(self.text.len())]
                .matches('\n')
                .count()
                + 1
        });
        let key = line.map_or_else(String::new, |l| self.key_at(l));
        self.error(line, key, e.message().trim())
    }

    /// The key a line belongs to: the nearest `key =` at or above it, under its table.
    fn key_at(&self, line: usize) -> String {
        let lines: Vec<&str> = self.text.lines().take(line).collect();
        let mut key = None;
        for text in lines.iter().rev() {
            let text = text.trim();
            if let Some(header) = text.strip_prefix('[') {
                let header = header.trim_end_matches(']').trim().to_string();
                return match key {
                    Some(k) => format!("{header}.{k}"),
                    None => header,
                };
            }
            if key.is_none() && is_assignment(text) {
                key = text.split('=').next().map(|k| k.trim().to_string());
            }
        }
        key.unwrap_or_default()
    }

    fn check_id(&self, id: &str) -> Result<(), LanguageError> {
        let plain = !id.is_empty()
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if plain {
            Ok(())
        } else {
            Err(self.error(
                self.line_of(id, ""),
                id,
                "a language id is lowercase letters, digits, `-` and `_` (it is what --lang takes)",
            ))
        }
    }

    fn new_language(&self, id: &str, raw: RawEntry) -> Result<Language, LanguageError> {
        let missing = |key: &str| {
            self.error(
                self.line_of(id, ""),
                format!("{id}.{key}"),
                format!("a new language needs `{key}`"),
            )
        };
        let mut language = Language {
            id: id.to_string(),
            name: raw.name.clone().ok_or_else(|| missing("name"))?,
            package_code: None,
            extensions: raw
                .extensions
                .clone()
                .ok_or_else(|| missing("extensions"))?,
            headers: Vec::new(),
            source_name: None,
            build: Build::Nothing,
            run: raw.run.clone().ok_or_else(|| missing("run"))?,
            version: raw.version.clone().ok_or_else(|| missing("version"))?,
            tools: Vec::new(),
            compile_paths: Vec::new(),
            compile_exec: Vec::new(),
            run_paths: Vec::new(),
            run_exec: Vec::new(),
            limits: LanguageLimits {
                processes: None,
                memory: MemoryCount::AddressSpace,
            },
            functions: None,
            stub: None,
            defined_in: self.name.to_string(),
            found: std::sync::OnceLock::new(),
        };
        if raw.compile.is_none() && raw.build.is_none() {
            return Err(missing(
                "compile` (or `build = \"none\"` for sources run as they are)",
            ));
        }
        self.merge(&mut language, raw)?;
        Ok(language)
    }

    /// Each key `raw` gives replaces the entry's; tools by name, limits by key.
    fn merge(&self, language: &mut Language, raw: RawEntry) -> Result<(), LanguageError> {
        let id = language.id.clone();
        let set = |target: &mut Vec<String>, value: Option<Vec<String>>| {
            if let Some(v) = value {
                *target = v;
            }
        };
        if let Some(name) = raw.name {
            language.name = name;
        }
        if raw.package_code.is_some() {
            language.package_code = raw.package_code;
        }
        set(&mut language.extensions, raw.extensions);
        set(&mut language.headers, raw.headers);
        set(&mut language.run, raw.run);
        set(&mut language.version, raw.version);
        set(&mut language.compile_paths, raw.compile_paths);
        set(&mut language.compile_exec, raw.compile_exec);
        set(&mut language.run_paths, raw.run_paths);
        set(&mut language.run_exec, raw.run_exec);
        if raw.source_name.is_some() {
            language.source_name = raw.source_name;
        }
        if raw.stub.is_some() {
            language.stub = raw.stub;
        }
        match (raw.build, raw.compile) {
            (Some(_), Some(_)) => {
                return Err(self.keyed(
                    &id,
                    "build",
                    "give `build` or `compile`, not both: `build` says there is no compile command",
                ))
            }
            (Some(RawBuild::Judge), None) if id != "rust" => {
                return Err(self.keyed(
                    &id,
                    "build",
                    "`build = \"judge\"` is the judge's own Rust toolchain, for `rust` alone; give a `compile` command",
                ))
            }
            (Some(RawBuild::Judge), None) => language.build = Build::Judge,
            (Some(RawBuild::None), None) => language.build = Build::Nothing,
            (None, Some(_)) if language.build == Build::Judge => {
                return Err(self.keyed(
                    &id,
                    "compile",
                    "Rust is built by the judge's own toolchain (its runtime crates and flags), which takes no compile command",
                ))
            }
            (None, Some(compile)) => language.build = Build::Command(compile),
            (None, None) => {}
        }
        for (name, tool) in raw.tools.unwrap_or_default() {
            let tool = Tool {
                program: tool.program,
                locate: tool.locate,
            };
            match language.tools.iter_mut().find(|(n, _)| *n == name) {
                Some((_, known)) => *known = tool,
                None => language.tools.push((name, tool)),
            }
        }
        if let Some(limits) = raw.limits {
            if let Some(p) = limits.processes {
                language.limits.processes = Some(p);
            }
            if let Some(m) = limits.memory {
                language.limits.memory = match m {
                    RawMemory::AddressSpace => MemoryCount::AddressSpace,
                    RawMemory::Resident => MemoryCount::Resident,
                };
            }
        }
        if let Some(f) = raw.functions {
            if f.time_multiplier < 1 {
                return Err(self.keyed(&id, "functions", "`time_multiplier` must be at least 1"));
            }
            language.functions = Some(Functions {
                harness: match f.harness {
                    RawHarness::Python => Harness::Python,
                },
                time_multiplier: f.time_multiplier,
                memory_extra_mb: f.memory_extra_mb,
            });
        }
        language.defined_in = self.name.to_string();
        Ok(())
    }

    /// The checks an entry must pass whatever file it came from.
    fn check(&self, language: &Language, all: &[Language]) -> Result<(), LanguageError> {
        let id = &language.id;
        if language.name.trim().is_empty() {
            return Err(self.keyed(id, "name", "the name is empty"));
        }
        if language.extensions.is_empty() {
            return Err(self.keyed(
                id,
                "extensions",
                "no extension: a file could never be in this language",
            ));
        }
        for ext in language.extensions.iter().chain(&language.headers) {
            if ext.is_empty() || ext.contains('.') || ext.contains('/') {
                return Err(self.keyed(
                    id,
                    "extensions",
                    format!("`{ext}` is not an extension: write it without the dot (\"cpp\")"),
                ));
            }
        }
        for ext in &language.extensions {
            if let Some(other) = all
                .iter()
                .find(|o| o.id != *id && o.extensions.contains(ext))
            {
                return Err(self.keyed(
                    id,
                    "extensions",
                    format!(
                        "`.{ext}` is also {}'s: a file's extension must name one language",
                        other.id
                    ),
                ));
            }
        }
        for (name, tool) in &language.tools {
            if tool.program.trim().is_empty() {
                return Err(self.keyed(id, "tools", format!("tool `{name}` names no program")));
            }
            if PLACEHOLDERS.contains(&name.as_str()) {
                return Err(self.keyed(
                    id,
                    "tools",
                    format!("`{name}` is a placeholder of its own: name the tool otherwise"),
                ));
            }
        }
        let tool_names: Vec<&str> = language.tools.iter().map(|(n, _)| n.as_str()).collect();
        let mut commands: Vec<(&str, &[String])> =
            vec![("run", &language.run), ("version", &language.version)];
        if let Build::Command(compile) = &language.build {
            commands.push(("compile", compile));
        }
        for (key, command) in &commands {
            self.check_command(id, key, command, &tool_names)?;
        }
        if let Some(template) = &language.source_name {
            let names = placeholders(template);
            if names.iter().any(|n| n != "class") || template.contains('/') {
                return Err(self.keyed(
                    id,
                    "source_name",
                    "a file name with no folder, whose only placeholder may be {class}",
                ));
            }
        }
        self.check_outputs(language)?;
        if language
            .stub
            .as_deref()
            .is_some_and(|s| s.trim().is_empty())
        {
            return Err(self.keyed(
                id,
                "stub",
                "the stub is empty: give a whole program to start from, or leave the key out",
            ));
        }
        if language.limits.processes.is_some_and(|p| p < 1) {
            return Err(self.keyed(id, "limits", "`processes` must be at least 1"));
        }
        Ok(())
    }

    fn check_command(
        &self,
        id: &str,
        key: &str,
        command: &[String],
        tools: &[&str],
    ) -> Result<(), LanguageError> {
        if command.first().is_none_or(|p| p.trim().is_empty()) {
            return Err(self.keyed(
                id,
                key,
                "the command is empty: its first word is the program",
            ));
        }
        for arg in command {
            for name in placeholders(arg) {
                if !PLACEHOLDERS.contains(&name.as_str()) && !tools.contains(&name.as_str()) {
                    return Err(self.keyed(
                        id,
                        key,
                        format!(
                            "unknown placeholder {{{name}}}: the commands take {}, and this language's tools {}",
                            PLACEHOLDERS.iter().map(|p| format!("{{{p}}}")).collect::<Vec<_>>().join(" "),
                            if tools.is_empty() { "(none)".to_string() } else { tools.iter().map(|t| format!("{{{t}}}")).collect::<Vec<_>>().join(" ") }
                        ),
                    ));
                }
            }
            if arg.contains("{sources}") && arg != "{sources}" {
                return Err(self.keyed(
                    id,
                    key,
                    "{sources} stands for many arguments: it must be an argument of its own",
                ));
            }
        }
        if key == "version"
            && (command.iter().any(|a| {
                a.contains("{source") || a.contains("{binary}") || a.contains("{out_dir}")
            }))
        {
            return Err(self.keyed(
                id,
                key,
                "the version command runs with no program: only tools may appear in it",
            ));
        }
        Ok(())
    }

    /// What `run` takes from the compile is what the compile makes.
    fn check_outputs(&self, language: &Language) -> Result<(), LanguageError> {
        let id = &language.id;
        let uses = |command: &[String], name: &str| {
            command.iter().any(|a| a.contains(&format!("{{{name}}}")))
        };
        let (binary, out_dir) = match &language.build {
            Build::Judge => (true, false),
            Build::Nothing => (false, true),
            Build::Command(c) => (uses(c, "binary"), uses(c, "out_dir")),
        };
        if let Build::Command(c) = &language.build {
            if binary == out_dir {
                return Err(self.keyed(
                    id,
                    "compile",
                    "a compile makes either {binary} (one program file) or {out_dir} (a folder): name one of them",
                ));
            }
            if !uses(c, "source") && !uses(c, "sources") {
                return Err(self.keyed(
                    id,
                    "compile",
                    "the compile never names the program's files ({source} or {sources})",
                ));
            }
        }
        if uses(&language.run, "binary") && !binary {
            return Err(self.keyed(
                id,
                "run",
                "the run uses {binary}, which its compile does not make",
            ));
        }
        if uses(&language.run, "out_dir") && !out_dir {
            return Err(self.keyed(
                id,
                "run",
                "the run uses {out_dir}, which its compile does not fill",
            ));
        }
        if !uses(&language.run, "binary")
            && !uses(&language.run, "out_dir")
            && !uses(&language.run, "source")
        {
            return Err(self.keyed(
                id,
                "run",
                "the run never names the program ({binary}, {out_dir} or {source})",
            ));
        }
        Ok(())
    }
}

/// `key = ...` (a line of an assignment, not of a table or a continued value).
fn is_assignment(line: &str) -> bool {
    let Some((key, _)) = line.split_once('=') else {
        return false;
    };
    let key = key.trim();
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '"'))
}

/// The `{name}` placeholders of a template, in order.
pub(super) fn placeholders(template: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        let name = &after[..end];
        if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            found.push(name.to_string());
        }
        rest = &after[end + 1..];
    }
    found
}
