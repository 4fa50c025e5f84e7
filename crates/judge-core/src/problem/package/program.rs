//! A package's programs (validators, graders, known submissions): a file or a folder of
//! them, with its language by extension where it is one the package's own programs are
//! built in, and the folder a known submission sits in.

use std::path::{Path, PathBuf};

/// The language of a program, by its files' extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Rust,
    Cpp,
    C,
    Python,
}

impl Language {
    pub fn name(self) -> &'static str {
        match self {
            Language::Rust => "Rust",
            Language::Cpp => "C++",
            Language::C => "C",
            Language::Python => "Python 3",
        }
    }

    fn of(path: &Path) -> Option<Language> {
        match path.extension()?.to_str()? {
            "rs" => Some(Language::Rust),
            "cpp" | "cc" | "cxx" | "c++" | "C" => Some(Language::Cpp),
            "c" => Some(Language::C),
            // Python 2 is known, to be refused by name (`Program::is_python2`).
            "py" | "py3" | "py2" => Some(Language::Python),
            _ => None,
        }
    }
}

/// A program of the package (a validator or a submission): one file, or a folder of them.
#[derive(Debug, Clone, PartialEq)]
pub struct Program {
    /// The file or folder, as the package holds it.
    pub path: PathBuf,
    /// `None`: a language the judge does not build (the files are named in messages).
    pub language: Option<Language>,
    /// The source files to build, the entry point first.
    pub sources: Vec<PathBuf>,
    /// Every file of the program in name order (a file program: itself), whatever its
    /// language: a submission's language is the languages table's to say.
    pub files: Vec<PathBuf>,
}

impl Program {
    /// The program at `path` (a file, or a folder of one language's files).
    pub fn at(path: &Path) -> Program {
        let mut files: Vec<PathBuf> = if path.is_dir() {
            std::fs::read_dir(path)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect()
        } else {
            vec![path.to_path_buf()]
        };
        files.sort();
        let languages: Vec<Language> = files.iter().filter_map(|f| Language::of(f)).collect();
        let language = languages.first().copied().filter(|first| {
            // C headers beside C++ files are fine; two languages are not.
            languages
                .iter()
                .all(|l| l == first || (*first == Language::Cpp && *l == Language::C))
        });
        let mut sources: Vec<PathBuf> = files
            .iter()
            .filter(|&f| Language::of(f).is_some_and(|l| Some(l) == language || l == Language::C))
            .cloned()
            .collect();
        // The entry point first: main.rs, __main__.py, or the only file.
        let entry = ["main.rs", "__main__.py", "main.py"];
        if let Some(i) = sources
            .iter()
            .position(|s| entry.iter().any(|e| s.ends_with(e)))
        {
            let main = sources.remove(i);
            sources.insert(0, main);
        }
        Program {
            path: path.to_path_buf(),
            language: language.filter(|_| !sources.is_empty()),
            sources,
            files,
        }
    }

    /// The entry file's text and the other Rust files of a folder program (name, text),
    /// for its `mod` lines.
    pub fn rust_sources(&self) -> std::io::Result<RustSources> {
        let entry = self.sources.first().unwrap_or(&self.path).clone();
        let text = std::fs::read_to_string(&entry)?;
        let mut modules = Vec::new();
        for file in self.sources.iter().skip(1) {
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if std::path::Path::new(name)
                .extension()
                .is_some_and(|e| e == "rs")
            {
                modules.push((name.to_string(), std::fs::read_to_string(file)?));
            }
        }
        Ok((entry, text, modules))
    }

    /// Whether this is a Python 2 program: a `.py2` file, or a `.py` whose first line (a
    /// `#!` line) names python2, the legacy format's rule. The judge runs no Python 2
    /// (python2 is not installed, and Python 2 is never run as Python 3).
    pub fn is_python2(&self) -> bool {
        self.files
            .iter()
            .any(|f| f.extension().is_some_and(|e| e == "py2"))
            || self.files.iter().any(|f| {
                f.extension().is_some_and(|e| e == "py")
                    && std::fs::read(f).is_ok_and(|bytes| {
                        let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
                        let line = String::from_utf8_lossy(first);
                        line.starts_with("#!") && line.contains("python2")
                    })
            })
    }

    /// Why a Python 2 program is not run, in words.
    pub const PYTHON2: &'static str = "Python 2 (a .py2 file, or a first line naming python2), which the judge does not run: python2 is not installed here, and Python 2 is never run as Python 3";

    /// A folder with a `build` or `run` script: the scripts build and run it, whatever
    /// its files' languages (validators and graders; the format's rule).
    pub fn has_build_or_run(&self) -> bool {
        self.path.is_dir() && (self.path.join("build").is_file() || self.path.join("run").is_file())
    }

    /// A checktestdata script (`.ctd`): an input validator in the checktestdata language.
    pub fn is_checktestdata(&self) -> bool {
        self.path.is_file() && self.path.extension().is_some_and(|e| e == "ctd")
    }

    /// A VIVA script (`.viva`).
    pub fn is_viva(&self) -> bool {
        self.path.is_file() && self.path.extension().is_some_and(|e| e == "viva")
    }

    /// Turned off by its name (`x.cc.disabled`, BAPCtools' convention): not a program of
    /// the package.
    pub fn is_disabled(&self) -> bool {
        self.path.extension().is_some_and(|e| e == "disabled")
    }

    /// The program's name within its folder (`accepted/fast.rs`).
    pub fn name(&self) -> String {
        let mut parts: Vec<&str> = self
            .path
            .iter()
            .rev()
            .take(2)
            .filter_map(|p| p.to_str())
            .collect();
        parts.reverse();
        parts.join("/")
    }
}

/// A Rust program's entry file, its text, and its other files (name, text).
pub type RustSources = (PathBuf, String, Vec<(String, String)>);

/// What a known submission's folder says it must get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// `accepted`: AC on every case (full score on scoring problems).
    Accepted,
    /// `partially_accepted`: AC, with less than the full score.
    PartiallyAccepted,
    /// `wrong_answer`: WA on some case.
    WrongAnswer,
    /// `time_limit_exceeded`: too slow on some case.
    TimeLimitExceeded,
    /// `run_time_error`: crashes on some case.
    RunTimeError,
    /// `rejected` (2023-07 and later): not accepted, however.
    Rejected,
    /// `brute_force` (2023-07 and later): never wrong, but too slow or crashing somewhere.
    BruteForce,
    /// A folder of another name that submissions.yaml gives requirements.
    Other,
}

impl Expected {
    pub fn from_folder(name: &str) -> Option<Expected> {
        Some(match name {
            "accepted" => Expected::Accepted,
            "partially_accepted" => Expected::PartiallyAccepted,
            "wrong_answer" => Expected::WrongAnswer,
            "time_limit_exceeded" => Expected::TimeLimitExceeded,
            "run_time_error" => Expected::RunTimeError,
            "rejected" => Expected::Rejected,
            "brute_force" => Expected::BruteForce,
            _ => return None,
        })
    }

    pub fn folder(self) -> &'static str {
        match self {
            Expected::Accepted => "accepted",
            Expected::PartiallyAccepted => "partially_accepted",
            Expected::WrongAnswer => "wrong_answer",
            Expected::TimeLimitExceeded => "time_limit_exceeded",
            Expected::RunTimeError => "run_time_error",
            Expected::Rejected => "rejected",
            Expected::BruteForce => "brute_force",
            Expected::Other => "another folder",
        }
    }
}

/// A program under `submissions/<expected>/`.
#[derive(Debug, Clone, PartialEq)]
pub struct KnownSubmission {
    pub program: Program,
    pub expected: Expected,
}
