//! `SpecError`, an authoring mistake, and `Source`, one TOML file's text, which turns a span
//! into the file, line and source line an error names.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::de::DeTable;
use toml::Spanned;

/// An authoring mistake in a problem folder.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecError {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub key: Option<String>,
    pub message: String,
    /// The offending source line, shown under the message.
    pub snippet: Option<Box<str>>,
    /// How to mend it, when the judge can say (boxed: this error travels in every Result).
    pub help: Option<Box<str>>,
}

impl SpecError {
    pub fn help(mut self, help: impl Into<String>) -> SpecError {
        self.help = Some(help.into().into_boxed_str());
        self
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(key) = &self.key {
            write!(f, ": `{key}`")?;
        }
        write!(f, ": {}", self.message)?;
        if let (Some(line), Some(snippet)) = (self.line, &self.snippet) {
            write!(f, "\n  {line:>4} | {snippet}")?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecError {}

/// One TOML file's text, for locating errors.
pub(super) struct Source<'a> {
    pub(super) path: &'a Path,
    pub(super) text: &'a str,
}

impl Source<'_> {
    pub(super) fn error(
        &self,
        span: Option<Range<usize>>,
        key: Option<String>,
        message: impl Into<String>,
    ) -> SpecError {
        let line = span.map(|s| self.line_of(s.start));
        let snippet = line
            .and_then(|l| self.text.lines().nth(l - 1))
            .map(|s| s.trim_end().into());
        SpecError {
            file: self.path.to_path_buf(),
            line,
            key,
            message: message.into(),
            snippet,
            help: None,
        }
    }

    /// The 1-based line holding byte `offset`.
    pub(super) fn line_of(&self, offset: usize) -> usize {
        self.text[..offset.min(self.text.len())]
            .matches('\n')
            .count()
            + 1
    }

    pub(super) fn toml_error(&self, e: &toml::de::Error) -> SpecError {
        let mut message = e.message().trim().to_string();
        if message.contains("too large") {
            message.push_str(
                "; TOML integers stop at 9223372036854775807: write a larger u64 as a string of decimal digits",
            );
        }
        let help = toml_help(&message);
        let error = self.error(e.span(), None, message);
        match help {
            Some(h) => error.help(h),
            None => error,
        }
    }

    pub(super) fn parse_typed<T: serde::de::DeserializeOwned>(
        &self,
    ) -> Result<(T, Spanned<DeTable<'_>>), SpecError> {
        let doc = DeTable::parse(self.text).map_err(|e| self.toml_error(&e))?;
        let typed = toml::from_str(self.text).map_err(|e| self.toml_error(&e))?;
        Ok((typed, doc))
    }
}

/// Mending advice for serde's messages about a file's keys.
fn toml_help(message: &str) -> Option<String> {
    let quoted = |m: &str| m.split('`').nth(1).map(str::to_string);
    if message.starts_with("missing field") {
        let key = quoted(message)?;
        return Some(format!("add `{key} = ...`; `judge new` writes a problem whose files show every key, with comments"));
    }
    if message.starts_with("unknown field") {
        let key = quoted(message)?;
        return Some(format!(
            "remove `{key}` or correct its spelling (the keys this table takes are listed above)"
        ));
    }
    None
}

pub(super) fn read(path: &Path) -> Result<String, SpecError> {
    std::fs::read_to_string(path).map_err(|e| SpecError {
        file: path.to_path_buf(),
        line: None,
        key: None,
        message: format!("cannot read: {e}"),
        snippet: None,
        help: None,
    })
}
