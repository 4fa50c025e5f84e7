//! Reading a Kattis package's YAML files (`problem.yaml`, `testdata.yaml`) with errors that
//! name the file, the line and the key path, as TOML problems' errors do. The YAML parser
//! gives a tree without positions, so a key's line is found by looking for `key:` in the
//! text: exact for the block style every package uses, absent (never wrong) otherwise.

use std::path::Path;

use yaml_rust2::{Yaml, YamlLoader};

use crate::problem::spec::SpecError;

/// One YAML file's text, for locating errors.
#[derive(Clone, Copy)]
pub(crate) struct Doc<'a> {
    pub path: &'a Path,
    pub text: &'a str,
}

impl<'a> Doc<'a> {
    /// The file's one document (an empty file is an empty map).
    pub fn parse(self) -> Result<Yaml, SpecError> {
        let docs = YamlLoader::load_from_str(self.text).map_err(|e| SpecError {
            file: self.path.to_path_buf(),
            line: Some(e.marker().line()),
            key: None,
            message: format!("not valid YAML: {}", e.info()),
            snippet: self
                .text
                .lines()
                .nth(e.marker().line().saturating_sub(1))
                .map(|l| l.trim_end().into()),
            help: None,
        })?;
        match docs.into_iter().next() {
            None | Some(Yaml::Null) => Ok(Yaml::Hash(yaml_rust2::yaml::Hash::new())),
            Some(doc @ Yaml::Hash(_)) => Ok(doc),
            Some(other) => Err(self.error(
                "",
                format!("expected a map of keys, found {}", describe(&other)),
            )),
        }
    }

    /// An error about the key at `path` (dotted; empty for the whole file).
    pub fn error(self, path: &str, message: impl Into<String>) -> SpecError {
        let last = path.rsplit('.').next().unwrap_or("");
        let line = (!last.is_empty())
            .then(|| {
                self.text.lines().position(|l| {
                    let t = l.trim_start().trim_start_matches("- ");
                    t.strip_prefix(last)
                        .is_some_and(|rest| rest.trim_start().starts_with(':'))
                })
            })
            .flatten();
        SpecError {
            file: self.path.to_path_buf(),
            line: line.map(|l| l + 1),
            key: (!path.is_empty()).then(|| path.to_string()),
            message: message.into(),
            snippet: line.and_then(|l| self.text.lines().nth(l).map(|s| s.trim_end().into())),
            help: None,
        }
    }

    /// The map at `path` (`value` itself), checked to hold only `known` keys.
    pub fn map(self, value: &'a Yaml, path: &str, known: &[&str]) -> Result<Map<'a>, SpecError> {
        let map = self.map_any(value, path)?;
        for name in map.keys() {
            if !known.contains(&name) {
                return Err(self
                    .error(&join(path, name), format!("unknown key `{name}`"))
                    .help(format!(
                        "remove it or correct its spelling; the keys here are: {}",
                        known.join(", ")
                    )));
            }
        }
        Ok(map)
    }

    /// The map at `path`, its keys checked to be words only (the caller judges them).
    pub fn map_any(self, value: &'a Yaml, path: &str) -> Result<Map<'a>, SpecError> {
        let Yaml::Hash(hash) = value else {
            return Err(self.error(
                path,
                format!("expected a map of keys, found {}", describe(value)),
            ));
        };
        for key in hash.keys() {
            if !matches!(key, Yaml::String(_)) {
                return Err(
                    self.error(path, format!("keys must be words, found {}", describe(key)))
                );
            }
        }
        Ok(Map {
            doc: self,
            hash,
            path: path.to_string(),
        })
    }
}

/// A map of a YAML file, with its key path for errors.
pub(crate) struct Map<'a> {
    pub doc: Doc<'a>,
    hash: &'a yaml_rust2::yaml::Hash,
    pub path: String,
}

impl<'a> Map<'a> {
    /// The keys, in the file's order.
    pub fn keys(&self) -> Vec<&'a str> {
        self.hash.keys().filter_map(Yaml::as_str).collect()
    }

    /// Each key with its value, in the file's order.
    pub fn entries(&self) -> Vec<(&'a str, &'a Yaml)> {
        self.hash
            .iter()
            .filter_map(|(k, v)| Some((k.as_str()?, v)))
            .collect()
    }

    pub fn get(&self, key: &str) -> Option<&'a Yaml> {
        self.hash
            .get(&Yaml::String(key.to_string()))
            .filter(|v| !v.is_null())
    }

    /// The key path of `key` in this map.
    pub fn key(&self, key: &str) -> String {
        join(&self.path, key)
    }

    pub fn error(&self, key: &str, message: impl Into<String>) -> SpecError {
        self.doc.error(&self.key(key), message)
    }

    /// A string (a number or a boolean is taken as written).
    pub fn string(&self, key: &str) -> Result<Option<String>, SpecError> {
        match self.get(key) {
            None => Ok(None),
            Some(Yaml::String(s) | Yaml::Real(s)) => Ok(Some(s.clone())),
            Some(Yaml::Integer(i)) => Ok(Some(i.to_string())),
            Some(Yaml::Boolean(b)) => Ok(Some(b.to_string())),
            Some(other) => {
                Err(self.error(key, format!("expected a string, found {}", describe(other))))
            }
        }
    }

    /// A number, at least `min`.
    pub fn number(&self, key: &str, min: f64) -> Result<Option<f64>, SpecError> {
        let value = match self.get(key) {
            None => return Ok(None),
            Some(Yaml::Integer(i)) => *i as f64,
            Some(y @ Yaml::Real(_)) => y.as_f64().unwrap_or(f64::NAN),
            Some(other) => {
                return Err(self.error(key, format!("expected a number, found {}", describe(other))))
            }
        };
        if value.is_nan() || value < min {
            return Err(self.error(
                key,
                format!("expected a number of at least {min}, found {value}"),
            ));
        }
        Ok(Some(value))
    }

    /// Words: a string split at whitespace (the legacy format) or a sequence of strings
    /// (the 2023-07 draft).
    pub fn words(&self, key: &str) -> Result<Option<Vec<String>>, SpecError> {
        match self.get(key) {
            None => Ok(None),
            Some(Yaml::String(s)) => Ok(Some(s.split_whitespace().map(str::to_string).collect())),
            // `grader_flags: 10`: one word, as written.
            Some(Yaml::Real(s)) => Ok(Some(vec![s.clone()])),
            Some(Yaml::Integer(i)) => Ok(Some(vec![i.to_string()])),
            Some(Yaml::Array(items)) => items
                .iter()
                .map(|item| match item {
                    Yaml::String(s) | Yaml::Real(s) => Ok(s.clone()),
                    Yaml::Integer(i) => Ok(i.to_string()),
                    other => Err(self.error(
                        key,
                        format!("expected a list of strings, found {}", describe(other)),
                    )),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(other) => Err(self.error(
                key,
                format!(
                    "expected a string of words or a list of strings, found {}",
                    describe(other)
                ),
            )),
        }
    }

    /// A boolean.
    pub fn boolean(&self, key: &str) -> Result<Option<bool>, SpecError> {
        match self.get(key) {
            None => Ok(None),
            Some(Yaml::Boolean(b)) => Ok(Some(*b)),
            Some(other) => Err(self.error(
                key,
                format!("expected true or false, found {}", describe(other)),
            )),
        }
    }

    /// A nested map checked to hold only `known` keys.
    pub fn map(&self, key: &str, known: &[&str]) -> Result<Option<Map<'a>>, SpecError> {
        self.get(key)
            .map(|v| self.doc.map(v, &self.key(key), known))
            .transpose()
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// A value's kind in words, for messages.
pub(crate) fn describe(value: &Yaml) -> String {
    match value {
        Yaml::Real(s) => format!("the number {s}"),
        Yaml::Integer(i) => format!("the number {i}"),
        Yaml::String(s) => format!("the string {s:?}"),
        Yaml::Boolean(b) => format!("{b}"),
        Yaml::Array(_) => "a list".into(),
        Yaml::Hash(_) => "a map".into(),
        Yaml::Alias(_) => "an alias".into(),
        Yaml::Null => "nothing".into(),
        Yaml::BadValue => "a value that cannot be read".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Doc<'_> {
        Doc {
            path: Path::new("problem.yaml"),
            text,
        }
    }

    #[test]
    fn an_unknown_key_is_named_with_its_line() {
        let text = "name: A\nlimits:\n  tme_multiplier: 3\n";
        let y = doc(text).parse().unwrap();
        let top = doc(text).map(&y, "", &["name", "limits"]).unwrap();
        let e = top.map("limits", &["time_multiplier"]).err().unwrap();
        assert_eq!(e.key.as_deref(), Some("limits.tme_multiplier"));
        assert_eq!(e.line, Some(3));
        assert!(
            e.to_string().contains("unknown key `tme_multiplier`"),
            "{e}"
        );
    }

    #[test]
    fn a_number_of_the_wrong_kind_is_an_error() {
        let text = "limits:\n  memory: lots\n";
        let y = doc(text).parse().unwrap();
        let top = doc(text).map(&y, "", &["limits"]).unwrap();
        let limits = top.map("limits", &["memory"]).unwrap().unwrap();
        let e = limits.number("memory", 1.0).err().unwrap();
        assert_eq!(e.key.as_deref(), Some("limits.memory"));
        assert!(e
            .message
            .contains("expected a number, found the string \"lots\""));
        assert_eq!(limits.number("missing", 1.0).unwrap(), None);
    }

    #[test]
    fn words_are_a_string_or_a_list() {
        let text = "a: x  y\nb: [p, q]\nc: 3\nd: {x: 1}\n";
        let y = doc(text).parse().unwrap();
        let top = doc(text).map(&y, "", &["a", "b", "c", "d"]).unwrap();
        assert_eq!(top.words("a").unwrap().unwrap(), ["x", "y"]);
        assert_eq!(top.words("b").unwrap().unwrap(), ["p", "q"]);
        assert_eq!(top.words("c").unwrap().unwrap(), ["3"]);
        assert!(top.words("d").is_err());
    }

    #[test]
    fn broken_yaml_names_its_line() {
        let e = doc("name: [a\nx: 1\n").parse().err().unwrap();
        assert!(e.line.is_some());
        assert!(e.message.starts_with("not valid YAML"), "{e}");
        assert!(doc("").parse().unwrap().is_hash());
        assert!(doc("- a\n").parse().is_err());
    }
}
