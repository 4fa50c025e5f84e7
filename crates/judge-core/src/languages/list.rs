//! `Languages`: the table, built in or changed by a bank's own, and a language chosen from
//! it by `--lang` or by a file's extension.

use std::path::Path;

use super::{table, Language, LanguageError, BUILTIN, FILE_NAME};

/// Every language the judge knows, in the table's order.
#[derive(Debug, Clone)]
pub struct Languages {
    pub(super) list: Vec<Language>,
}

impl Languages {
    /// The table built into the judge.
    pub fn builtin() -> Languages {
        let list = table::parse(BUILTIN, "languages.toml (built into the judge)", Vec::new())
            .expect("the built-in languages.toml is valid (a unit test checks it)");
        Languages { list }
    }

    /// The built-in table, changed by `<bank_root>/languages.toml` when there is one.
    pub fn load(bank_root: Option<&Path>) -> Result<Languages, LanguageError> {
        let builtin = Languages::builtin();
        let Some(path) = bank_root.map(|r| r.join(FILE_NAME)).filter(|p| p.is_file()) else {
            return Ok(builtin);
        };
        let text = std::fs::read_to_string(&path).map_err(|source| LanguageError::Read {
            path: path.clone(),
            source,
        })?;
        let list = table::parse(&text, &path.display().to_string(), builtin.list)?;
        Ok(Languages { list })
    }

    pub fn all(&self) -> &[Language] {
        &self.list
    }

    /// The language of this id.
    pub fn get(&self, id: &str) -> Result<&Language, LanguageError> {
        self.list
            .iter()
            .find(|l| l.id == id)
            .ok_or_else(|| LanguageError::Unknown {
                given: id.to_string(),
                known: self.known(),
            })
    }

    /// The language whose extensions hold `path`'s (exactly as written; `.C` is C++).
    pub fn for_path(&self, path: &Path) -> Option<&Language> {
        let extension = path.extension()?.to_str()?;
        self.list
            .iter()
            .find(|l| l.extensions.iter().any(|e| e == extension))
    }

    /// `--lang` when given (it beats the extension), else `path`'s extension.
    pub fn choose(&self, lang: Option<&str>, path: &Path) -> Result<&Language, LanguageError> {
        match lang {
            Some(id) => self.get(id),
            None => self
                .for_path(path)
                .ok_or_else(|| LanguageError::NoLanguageFor {
                    path: path.to_path_buf(),
                    known: self.known_with_extensions(),
                }),
        }
    }

    /// The ids, for messages: "rust, c, cpp, ...".
    pub fn known(&self) -> String {
        let ids: Vec<&str> = self.list.iter().map(|l| l.id.as_str()).collect();
        ids.join(", ")
    }

    fn known_with_extensions(&self) -> String {
        let each: Vec<String> = self
            .list
            .iter()
            .map(|l| {
                let exts: Vec<String> = l.extensions.iter().map(|e| format!(".{e}")).collect();
                format!("{} {}", l.id, exts.join(" "))
            })
            .collect();
        each.join(", ")
    }
}
