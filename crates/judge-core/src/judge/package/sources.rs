//! A package's known submission as the languages table sees it: its language (by its
//! files' extensions), its entry file and text, and its other files, or why it cannot be
//! judged here (a language the table does not have, files of two languages, a language
//! not installed, a file that is not text).

use std::path::{Path, PathBuf};

use super::Unjudged;
use crate::languages::{Language, Languages};
use crate::problem::package::{Package, Program};

/// A submission's files, ready for `PackageRun`.
#[derive(Debug, Clone)]
pub struct ProgramSource {
    pub language: Language,
    /// The entry file, as the package holds it.
    pub entry: PathBuf,
    pub source: String,
    /// Its other files (name, text), the package's `include/<language>/` files among them.
    pub modules: Vec<(String, String)>,
}

/// The entry file names a folder program may have, per the format's conventions: the one
/// named `main` (any extension), Python's `__main__.py`, Java's `Main.java`.
fn is_entry(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let stem = path.file_stem().and_then(|n| n.to_str()).unwrap_or("");
    stem == "main" || stem == "Main" || name == "__main__.py"
}

/// A known submission of `package` as it is judged: its language and files, the package's
/// `include/<id>/` files beside them, the package's constants put into every text.
pub fn submission_source(
    languages: &Languages,
    package: &Package,
    program: &Program,
) -> Result<ProgramSource, Unjudged> {
    let language = language_of(languages, program)?;
    allowed(package, language)?;
    let mut found = program_source(languages, program)?;
    let entry = file_name(&found.entry);
    with_includes(
        &mut found.modules,
        &entry,
        include_files(package, language)?,
    );
    found.source = package.constants.substitute(&found.source);
    for (_, text) in &mut found.modules {
        *text = package.constants.substitute(text);
    }
    Ok(found)
}

/// The package's files for every submission in `language`: `include/<code>/` (the format's
/// language code, `package_code`), else `include/<id>/`.
fn include_dir(package: &Package, language: &Language) -> PathBuf {
    let by_code = package.dir.join("include").join(language.package_code());
    if by_code.is_dir() {
        by_code
    } else {
        package.dir.join("include").join(&language.id)
    }
}

/// The files of `include_dir` (name, text) in name order, to put beside a submission.
pub fn include_files(
    package: &Package,
    language: &Language,
) -> Result<Vec<(String, String)>, Unjudged> {
    let dir = include_dir(package, language);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|source| Unjudged::ReadDir {
            dir: dir.clone(),
            source,
        })?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| {
            std::fs::read_to_string(f)
                .map(|text| (file_name(f), text))
                .map_err(|source| Unjudged::Read {
                    path: f.clone(),
                    source,
                })
        })
        .collect()
}

/// `includes` added to a program's other files, but where the program has a file of the
/// same name (its own wins).
pub fn with_includes(
    modules: &mut Vec<(String, String)>,
    entry: &str,
    includes: Vec<(String, String)>,
) {
    for (name, text) in includes {
        if name != entry && !modules.iter().any(|(n, _)| *n == name) {
            modules.push((name, text));
        }
    }
}

/// Whether problem.yaml's `languages` lets a submission be in `language`; `Err` says why not.
pub fn allowed(package: &Package, language: &Language) -> Result<(), Unjudged> {
    let Some(codes) = &package.languages else {
        return Ok(());
    };
    if codes.iter().any(|c| c == language.package_code()) {
        return Ok(());
    }
    Err(Unjudged::NotAllowed {
        package: package.dir.clone(),
        codes: codes.clone(),
        language: language.name.clone(),
        code: language.package_code().to_string(),
    })
}

/// `program`'s language and files.
pub fn program_source(languages: &Languages, program: &Program) -> Result<ProgramSource, Unjudged> {
    let language = language_of(languages, program)?;
    language.installed()?;
    let mut owned: Vec<&PathBuf> = program.files.iter().filter(|f| language.owns(f)).collect();
    let entry_at = owned
        .iter()
        .position(|f| is_entry(f) && !language.is_header(f))
        .or_else(|| owned.iter().position(|f| !language.is_header(f)))
        .ok_or_else(|| Unjudged::NoSource {
            program: program.path.clone(),
            language: language.name.clone(),
        })?;
    let entry = owned.remove(entry_at).clone();
    let read = |path: &Path| {
        std::fs::read_to_string(path).map_err(|source| Unjudged::Read {
            path: path.to_path_buf(),
            source,
        })
    };
    let source = read(&entry)?;
    let mut modules = Vec::new();
    for file in owned {
        modules.push((file_name(file), read(file)?));
    }
    Ok(ProgramSource {
        language: language.clone(),
        entry,
        source,
        modules,
    })
}

/// The language of a program's files: the table's for each file's extension, one language
/// for all of them (headers have no language of their own: `.h` beside C++ is C++'s).
pub fn language_of<'a>(
    languages: &'a Languages,
    program: &Program,
) -> Result<&'a Language, Unjudged> {
    if program.is_python2() {
        return Err(Unjudged::Python2 {
            program: program.path.clone(),
        });
    }
    let mut found: Vec<&Language> = Vec::new();
    for file in &program.files {
        if let Some(language) = languages.for_path(file) {
            if !found.iter().any(|l| l.id == language.id) {
                found.push(language);
            }
        }
    }
    if found.len() > 1 {
        return Err(Unjudged::Languages {
            program: program.path.clone(),
            languages: found.iter().map(|l| l.name.clone()).collect(),
        });
    }
    found.first().copied().ok_or_else(|| {
        let extensions: Vec<String> = program
            .files
            .iter()
            .filter_map(|f| f.extension().map(|e| format!(".{}", e.to_string_lossy())))
            .collect();
        Unjudged::NoLanguage {
            program: program.path.clone(),
            extensions,
            known: languages.known(),
        }
    })
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_string()
}
