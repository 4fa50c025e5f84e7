//! Why a package's submission cannot be judged here, each naming the file or package it
//! is about: a language the table does not have, files of two languages, a language not
//! installed, no source file, a file that is not text, a language the package refuses.

use std::io;
use std::path::PathBuf;

use crate::languages::LanguageError;
use crate::problem::package::Program;

#[derive(Debug, thiserror::Error)]
pub enum Unjudged {
    #[error("{} is {}", program.display(), Program::PYTHON2)]
    Python2 { program: PathBuf },
    #[error("{} holds files of {}: a program is in one language", program.display(), languages.join(" and "))]
    Languages {
        program: PathBuf,
        languages: Vec<String>,
    },
    /// No language of the table owns the program's files (`extensions`: theirs, as
    /// `.ext`; `known`: the table's language ids).
    #[error("{}: no language of the table has its extension{} (the judge knows {known})", program.display(), listed(extensions))]
    NoLanguage {
        program: PathBuf,
        extensions: Vec<String>,
        known: String,
    },
    #[error(transparent)]
    NotInstalled(#[from] LanguageError),
    #[error("{} holds no {language} source file", program.display())]
    NoSource { program: PathBuf, language: String },
    #[error("cannot read {}: {source}", dir.display())]
    ReadDir { dir: PathBuf, source: io::Error },
    #[error("cannot read {} as text: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    /// problem.yaml's `languages` (`codes`) leaves out the submission's language (its name
    /// and its code in the format).
    #[error("{}/problem.yaml allows submissions in {} only (its `languages`), and this one is {language} (`{code}`)", package.display(), codes.join(", "))]
    NotAllowed {
        package: PathBuf,
        codes: Vec<String>,
        language: String,
        code: String,
    },
}

/// The extensions a program's files have, in brackets after a space, or nothing.
fn listed(extensions: &[String]) -> String {
    if extensions.is_empty() {
        String::new()
    } else {
        format!(" ({})", extensions.join(", "))
    }
}
