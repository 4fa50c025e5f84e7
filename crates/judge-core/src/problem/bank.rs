//! Finding problems: a bank is a folder holding `problems/` (a folder per problem) and
//! `reference/` (their references).
//!
//! The bank is the first of: `--bank DIR` and `$JUDGE_BANK`, both used as given (one that is
//! not a bank is an error, never passed over); the current folder when it holds `problems/`;
//! a bank a packager installed next to the judge (`<exe dir>/../share/judge`); and the bank
//! bundled into the judge when it was built (build.rs), unpacked on first need into
//! `$XDG_DATA_HOME/judge/bank-<hash>` (`~/.local/share/judge/...` by default). So a judge
//! installed with `cargo install`, whose source folder may be gone, still has its problems.
//!
//! A `<problem>` argument is a path to a problem folder when it names an existing directory
//! (or contains a `/`), else an id.

use std::fmt;
use std::fmt::Write as _;
use std::io::Write as _;
use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The bank's files as build.rs found them: `FILES` and `HASH`.
mod bundled {
    include!(concat!(env!("OUT_DIR"), "/bundled_bank.rs"));
}

#[derive(Debug, Clone)]
pub struct Bank {
    pub root: PathBuf,
    pub origin: Origin,
}

/// Where the bank in use was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Flag,
    Env,
    CurrentDir,
    Installed,
    Bundled,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Origin::Flag => "given by --bank",
            Origin::Env => "given by $JUDGE_BANK",
            Origin::CurrentDir => "the current folder",
            Origin::Installed => "installed next to the judge",
            Origin::Bundled => "bundled into this judge, unpacked",
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BankError {
    /// `--bank` or `$JUDGE_BANK` names a folder that is not a bank.
    #[error("{}", not_a_bank(*.origin, .root, .why))]
    NotABank {
        origin: Origin,
        root: PathBuf,
        why: String,
    },
    /// No explicit choice, and no bank in any of the places looked at.
    #[error("{}", not_found(.looked))]
    NotFound {
        /// (the place, why it holds no bank), in the order looked at.
        looked: Vec<(String, String)>,
    },
    #[error("no problem folder at {}", .0.display())]
    NoProblemFolder(PathBuf),
    #[error("{}", unknown_problem(.id, .problems, .close, .known))]
    UnknownProblem {
        id: String,
        problems: PathBuf,
        /// Ids close to `id`, closest first.
        close: Vec<String>,
        known: Vec<String>,
    },
}

const WHAT_A_BANK_IS: &str =
    "a bank is a folder holding problems/ (a folder per problem) and reference/";

fn not_a_bank(origin: Origin, root: &Path, why: &str) -> String {
    let (named, choose) = match origin {
        Origin::Env => (
            format!("JUDGE_BANK={}", root.display()),
            "set JUDGE_BANK to one, or unset it to use the current folder's bank or the bundled one",
        ),
        _ => (
            format!("--bank {}", root.display()),
            "give --bank one, or leave it out to use $JUDGE_BANK, the current folder's bank or the bundled one",
        ),
    };
    format!("{named} is not a bank: {why} (looked only there)\n  {WHAT_A_BANK_IS}: {choose}")
}

fn not_found(looked: &[(String, String)]) -> String {
    let mut text = String::from("no bank of problems found; looked at:");
    for (place, why) in looked {
        let _ = write!(text, "\n  {place}: {why}");
    }
    let _ = write!(
        text,
        "\n  choose one with --bank DIR or JUDGE_BANK=DIR ({WHAT_A_BANK_IS})"
    );
    text
}

fn unknown_problem(id: &str, problems: &Path, close: &[String], known: &[String]) -> String {
    let quoted = |ids: &[String]| {
        ids.iter()
            .map(|i| format!("`{i}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if close.is_empty() {
        format!(
            "no problem `{id}` in {} (known: {}; `judge list` shows them)",
            problems.display(),
            known.join(", ")
        )
    } else {
        format!(
            "no problem `{id}` in {}; did you mean {}?",
            problems.display(),
            quoted(close)
        )
    }
}

impl Bank {
    /// The bank this judge uses, as the command line (`--bank`) and the environment choose.
    pub fn locate(flag: Option<&Path>) -> Result<Bank, BankError> {
        Lookup::from_env(flag).locate(&BUNDLED)
    }

    pub fn problems_dir(&self) -> PathBuf {
        self.root.join("problems")
    }

    /// The folder of `<problem>` (an id or a path).
    pub fn resolve(&self, problem: &str) -> Result<PathBuf, BankError> {
        let as_path = Path::new(problem);
        if as_path.is_dir() && (problem.contains('/') || is_problem_dir(as_path)) {
            return Ok(as_path.to_path_buf());
        }
        if problem.contains('/') {
            return Err(BankError::NoProblemFolder(as_path.to_path_buf()));
        }
        let dir = self.problems_dir().join(problem);
        if is_problem_dir(&dir) {
            return Ok(dir);
        }
        let known = self.ids();
        Err(BankError::UnknownProblem {
            id: problem.to_string(),
            problems: self.problems_dir(),
            close: closest(problem, &known),
            known,
        })
    }

    /// Every problem id in the bank, sorted.
    pub fn ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = std::fs::read_dir(self.problems_dir())
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| is_problem_dir(&e.path()))
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .collect();
        ids.sort();
        ids
    }

    /// The bank's folder (absolute) and where it came from, for `judge doctor`.
    pub fn describe(&self) -> String {
        let root = std::path::absolute(&self.root).unwrap_or_else(|_| self.root.clone());
        format!("{} ({})", root.display(), self.origin)
    }
}

/// Up to three known ids a mistyped `id` may have meant, closest first: a few edits away, or
/// holding it whole (`t-val`).
fn closest(id: &str, known: &[String]) -> Vec<String> {
    let allowed = (id.chars().count() / 3).max(2);
    let mut near: Vec<(usize, &String)> = known
        .iter()
        .filter_map(|k| {
            let d = edit_distance(id, k);
            (d <= allowed || (id.len() >= 3 && k.contains(id))).then_some((d, k))
        })
        .collect();
    near.sort();
    near.into_iter().take(3).map(|(_, k)| k.clone()).collect()
}

/// Levenshtein distance over chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

/// The places a bank may be, read from the command line and the environment by
/// `from_env` (tests make their own).
#[derive(Debug, Clone)]
pub struct Lookup {
    pub flag: Option<PathBuf>,
    pub env: Option<PathBuf>,
    pub cwd: PathBuf,
    /// Where a packager puts the bank: `<exe dir>/../share/judge`.
    pub installed: Option<PathBuf>,
    /// The user's data folder (`$XDG_DATA_HOME`, else `~/.local/share`).
    pub data_home: Option<PathBuf>,
}

impl Lookup {
    pub fn from_env(flag: Option<&Path>) -> Lookup {
        let installed = std::env::current_exe()
            .ok()
            .and_then(|exe| Some(exe.parent()?.parent()?.join("share/judge")));
        Lookup {
            flag: flag.map(Path::to_path_buf),
            env: non_empty_var("JUDGE_BANK").map(PathBuf::from),
            cwd: PathBuf::from("."),
            installed,
            data_home: data_home(),
        }
    }

    pub fn locate(&self, bundle: &Bundle) -> Result<Bank, BankError> {
        for (choice, origin) in [(&self.flag, Origin::Flag), (&self.env, Origin::Env)] {
            if let Some(root) = choice {
                return match why_not_a_bank(root) {
                    None => Ok(Bank {
                        root: root.clone(),
                        origin,
                    }),
                    Some(why) => Err(BankError::NotABank {
                        origin,
                        root: root.clone(),
                        why,
                    }),
                };
            }
        }
        let mut looked = vec![
            ("--bank".to_string(), "not given".to_string()),
            ("$JUDGE_BANK".to_string(), "not set".to_string()),
        ];
        let cwd = std::path::absolute(&self.cwd).unwrap_or_else(|_| self.cwd.clone());
        let mut candidates = vec![(
            self.cwd.clone(),
            Origin::CurrentDir,
            format!("the current folder, {}", cwd.display()),
        )];
        match &self.installed {
            Some(dir) => candidates.push((
                dir.clone(),
                Origin::Installed,
                format!("next to the judge, {}", dir.display()),
            )),
            None => looked.push((
                "next to the judge".to_string(),
                "the judge's own path is unknown".to_string(),
            )),
        }
        for (root, origin, place) in candidates {
            match why_not_a_bank(&root) {
                None => return Ok(Bank { root, origin }),
                Some(why) => looked.push((place, why)),
            }
        }
        match bundle.unpacked(self.data_home.as_deref()) {
            Ok(root) => Ok(Bank {
                root,
                origin: Origin::Bundled,
            }),
            Err(why) => {
                looked.push((
                    "the bank bundled into this judge".to_string(),
                    why.to_string(),
                ));
                Err(BankError::NotFound { looked })
            }
        }
    }
}

fn non_empty_var(name: &str) -> Option<std::ffi::OsString> {
    std::env::var_os(name).filter(|v| !v.is_empty())
}

/// `$XDG_DATA_HOME` when it is an absolute path (the XDG spec ignores a relative one), else
/// `$HOME/.local/share`.
/// A folder holding a problem: a TOML problem (`problem.toml`) or a Kattis package
/// (`problem.yaml`).
pub fn is_problem_dir(dir: &Path) -> bool {
    dir.join("problem.toml").is_file() || dir.join(super::package::PROBLEM_YAML).is_file()
}

pub fn data_home() -> Option<PathBuf> {
    non_empty_var("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| non_empty_var("HOME").map(|h| PathBuf::from(h).join(".local/share")))
}

/// Why `root` is not a bank, or None when it is one.
fn why_not_a_bank(root: &Path) -> Option<String> {
    match std::fs::metadata(root) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Some("no such folder".to_string())
        }
        Err(e) => return Some(e.to_string()),
        Ok(m) if !m.is_dir() => return Some("not a folder".to_string()),
        Ok(_) => {}
    }
    match std::fs::metadata(root.join("problems")) {
        Ok(m) if m.is_dir() => None,
        Ok(_) => Some("its problems is not a folder".to_string()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Some("it holds no problems/ folder".to_string())
        }
        Err(e) => Some(format!("its problems/: {e}")),
    }
}

/// A bank carried inside the judge's binary.
pub struct Bundle {
    /// (path relative to the bank, contents).
    pub files: &'static [(&'static str, &'static [u8])],
    /// Names the unpacked folder: a judge with other problems never shares it.
    pub hash: &'static str,
}

pub const BUNDLED: Bundle = Bundle {
    files: bundled::FILES,
    hash: bundled::HASH,
};

/// Why there is no bundled bank to use.
#[derive(Debug, thiserror::Error)]
pub enum UnpackError {
    #[error("this judge was built without one")]
    NotBundled,
    #[error("neither XDG_DATA_HOME nor HOME is set: nowhere to unpack it")]
    NoDataHome,
    #[error("could not unpack it into {}: {source}", .root.display())]
    Write {
        root: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Prefix of a folder being unpacked; one older than `STALE` was left by a killed judge.
const UNPACKING: &str = ".unpacking-bank-";
const STALE: Duration = Duration::from_hours(1);

impl Bundle {
    /// The bank's folder under `data_home`, unpacked first if no judge has yet. Err says why
    /// there is none.
    pub fn unpacked(&self, data_home: Option<&Path>) -> Result<PathBuf, UnpackError> {
        if self.files.is_empty() {
            return Err(UnpackError::NotBundled);
        }
        let Some(data_home) = data_home else {
            return Err(UnpackError::NoDataHome);
        };
        let parent = data_home.join("judge");
        let root = parent.join(format!("bank-{}", self.hash));
        if root.join("problems").is_dir() {
            return Ok(root);
        }
        if let Err(source) = self.unpack(&parent, &root) {
            return Err(UnpackError::Write { root, source });
        }
        Ok(root)
    }

    /// Writes every file into a fresh folder beside `root`, then renames it to `root`: a
    /// judge killed midway leaves no half bank, and of two judges unpacking at once one
    /// rename wins and the other's copy is dropped. Files are read-only: the folder is named
    /// after their contents.
    fn unpack(&self, parent: &Path, root: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(parent)?;
        remove_stale_unpackings(parent);
        let temp = tempfile::Builder::new()
            .prefix(UNPACKING)
            .tempdir_in(parent)?;
        for (relative, bytes) in self.files {
            let path = temp.path().join(relative);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o444)
                .open(&path)?;
            file.write_all(bytes)?;
            // On disk before the rename publishes the folder: a crash right after must not
            // leave a bank of empty files under the final name.
            file.sync_all()?;
        }
        std::fs::set_permissions(temp.path(), std::fs::Permissions::from_mode(0o755))?;
        match std::fs::rename(temp.path(), root) {
            Ok(()) => {
                // The folder is root now; nothing is left for the guard to remove.
                let _ = temp.keep();
                std::fs::File::open(parent)?.sync_all()
            }
            // Another judge renamed its copy first (a non-empty folder is never replaced).
            Err(_) if root.join("problems").is_dir() => Ok(()),
            Err(e) => Err(e),
        }
    }
}

/// Removes folders of unpackings that a killed judge left (best effort).
fn remove_stale_unpackings(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE);
        if old && entry.file_name().to_string_lossy().starts_with(UNPACKING) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TINY: Bundle = Bundle {
        files: &[
            ("problems/a-b/problem.toml", b"title = \"A\"\n"),
            ("reference/a_b.rs", b"pub fn a_b() {}\n"),
        ],
        hash: "0123456789abcdef",
    };

    fn lookup(cwd: &Path, data_home: Option<&Path>) -> Lookup {
        Lookup {
            flag: None,
            env: None,
            cwd: cwd.to_path_buf(),
            installed: Some(cwd.join("share/judge")),
            data_home: data_home.map(Path::to_path_buf),
        }
    }

    fn make_bank(dir: &Path) {
        std::fs::create_dir_all(dir.join("problems")).unwrap();
    }

    #[test]
    fn explicit_choices_come_first_and_are_never_passed_over() {
        let tmp = tempfile::tempdir().unwrap();
        let (flag, env) = (tmp.path().join("flag"), tmp.path().join("env"));
        make_bank(&env);
        make_bank(tmp.path());
        let mut l = lookup(tmp.path(), Some(tmp.path()));
        l.env = Some(env.clone());
        let bank = l.locate(&TINY).unwrap();
        assert_eq!((bank.root, bank.origin), (env.clone(), Origin::Env));
        l.flag = Some(flag.clone());
        let err = l.locate(&TINY).unwrap_err().to_string();
        assert!(
            err.starts_with(&format!(
                "--bank {} is not a bank: no such folder (looked only there)",
                flag.display()
            )),
            "{err}"
        );
        assert!(err.contains("leave it out to use $JUDGE_BANK"), "{err}");
        l.flag = None;
        std::fs::remove_dir(env.join("problems")).unwrap();
        let err = l.locate(&TINY).unwrap_err().to_string();
        assert!(
            err.starts_with(&format!(
                "JUDGE_BANK={} is not a bank: it holds no problems/ folder",
                env.display()
            )),
            "{err}"
        );
    }

    #[test]
    fn the_current_folder_then_the_installed_bank_then_the_bundled_one() {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        let l = lookup(tmp.path(), Some(&data));
        let bundled = l.locate(&TINY).unwrap();
        assert_eq!(bundled.origin, Origin::Bundled);
        assert_eq!(bundled.root, data.join("judge/bank-0123456789abcdef"));
        assert_eq!(
            std::fs::read(bundled.root.join("reference/a_b.rs")).unwrap(),
            b"pub fn a_b() {}\n"
        );
        make_bank(&tmp.path().join("share/judge"));
        assert_eq!(l.locate(&TINY).unwrap().origin, Origin::Installed);
        make_bank(tmp.path());
        let here = l.locate(&TINY).unwrap();
        assert_eq!(
            (here.root.as_path(), here.origin),
            (tmp.path(), Origin::CurrentDir)
        );
    }

    #[test]
    fn finding_no_bank_names_every_place_looked_at() {
        let tmp = tempfile::tempdir().unwrap();
        let err = lookup(tmp.path(), None)
            .locate(&TINY)
            .unwrap_err()
            .to_string();
        let expected = format!(
            "no bank of problems found; looked at:\n  \
             --bank: not given\n  \
             $JUDGE_BANK: not set\n  \
             the current folder, {0}: it holds no problems/ folder\n  \
             next to the judge, {0}/share/judge: no such folder\n  \
             the bank bundled into this judge: neither XDG_DATA_HOME nor HOME is set: nowhere to unpack it\n  \
             choose one with --bank DIR or JUDGE_BANK=DIR (a bank is a folder holding problems/ (a folder per problem) and reference/)",
            tmp.path().display()
        );
        assert_eq!(err, expected);
    }

    #[test]
    fn an_unwritable_data_folder_is_named_in_the_error() {
        let tmp = tempfile::tempdir().unwrap();
        // A file where the data folder should be: fails for root too.
        let data = tmp.path().join("data");
        std::fs::write(&data, "").unwrap();
        let err = lookup(tmp.path(), Some(&data))
            .locate(&TINY)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(&format!(
                "the bank bundled into this judge: could not unpack it into {}/judge/bank-0123456789abcdef: ",
                data.display()
            )),
            "{err}"
        );
    }

    #[test]
    fn judges_unpacking_at_once_all_get_the_whole_bank() {
        let tmp = tempfile::tempdir().unwrap();
        let roots: Vec<PathBuf> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|_| s.spawn(|| TINY.unpacked(Some(tmp.path())).unwrap()))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let root = tmp.path().join("judge/bank-0123456789abcdef");
        assert!(roots.iter().all(|r| *r == root));
        assert_eq!(
            std::fs::read(root.join("problems/a-b/problem.toml")).unwrap(),
            b"title = \"A\"\n"
        );
        // No half-unpacked folder is left behind.
        let left: Vec<_> = std::fs::read_dir(tmp.path().join("judge"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(
            left,
            vec![std::ffi::OsString::from("bank-0123456789abcdef")]
        );
    }

    #[test]
    fn the_bundled_bank_holds_the_problems_and_references() {
        let paths: Vec<&str> = BUNDLED.files.iter().map(|(p, _)| *p).collect();
        assert!(paths.contains(&"problems/knn/problem.toml"), "{paths:?}");
        assert!(paths.contains(&"reference/knn.rs"), "{paths:?}");
        assert_eq!(BUNDLED.hash.len(), 16);
    }

    #[test]
    fn an_unknown_id_suggests_the_closest_ones() {
        let known: Vec<String> = ["knn", "grid-search-knn", "t-value", "fill-none"]
            .map(String::from)
            .to_vec();
        assert_eq!(closest("knm", &known), ["knn"]);
        assert_eq!(closest("t-val", &known), ["t-value"]);
        assert_eq!(closest("fillnone", &known), ["fill-none"]);
        assert!(closest("no-such-problem", &known).is_empty());
        let tmp = tempfile::tempdir().unwrap();
        for id in &known {
            std::fs::create_dir_all(tmp.path().join("problems").join(id)).unwrap();
            std::fs::write(
                tmp.path().join("problems").join(id).join("problem.toml"),
                "",
            )
            .unwrap();
        }
        let bank = Bank {
            root: tmp.path().to_path_buf(),
            origin: Origin::Flag,
        };
        let err = bank.resolve("knm").unwrap_err().to_string();
        assert!(err.ends_with("; did you mean `knn`?"), "{err}");
        let err = bank.resolve("zzz").unwrap_err().to_string();
        assert!(
            err.ends_with(
                "(known: fill-none, grid-search-knn, knn, t-value; `judge list` shows them)"
            ),
            "{err}"
        );
    }

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("knn", "knn"), 0);
    }
}
