//! Problem data by content hash: the service publishes each problem version it queues a job
//! on (the files that decide its cases and answers, under the version's digest) in the
//! store, and a worker that lacks a version unpacks it from there into its cache. So a
//! worker judges exactly the service's problem, and needs no bank of its own.
//!
//! A package is JSON: `{"problem": id, "files": {relative path: text}, "binary": {relative
//! path: hex}, "bank": text|null}`: the problem folder without its known submissions, the
//! reference as `reference.rs` inside it, and the bank's `bank.toml` (its feedback default).
//! A file that is not UTF-8 (a Kattis package's data may be binary) is in `binary`, hex.
//! A Kattis package (`problem.yaml`) is packed the same way, whole but for `submissions/`;
//! when it gives no time limit its `submissions/accepted/` comes too, for the worker to
//! derive the limit from.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::store::StoreError;
use super::Service;
use judge_core::cache::{digest, Cache};
use judge_core::problem::bank::{is_problem_dir, BankError};
use judge_core::problem::package::{Package as KattisPackage, PROBLEM_YAML};
use judge_core::problem::spec::{self, Problem, SpecError, BANK_FILE, CHECKER_FILE};

/// The file that makes a folder a problem.
const PROBLEM_FILE: &str = "problem.toml";

/// Where unpacked versions live in the cache: `problems/<version>/problems/<id>/`.
pub const CACHE_DIR: &str = "problems";

#[derive(Debug, Serialize, Deserialize)]
struct Package {
    problem: String,
    files: BTreeMap<String, String>,
    /// Files that are not UTF-8, hex.
    #[serde(default)]
    binary: BTreeMap<String, String>,
    bank: Option<String>,
}

/// A folder's files by relative path: text, and bytes that are not UTF-8.
#[derive(Default)]
struct Files {
    text: BTreeMap<String, String>,
    binary: BTreeMap<String, Vec<u8>>,
}

/// Why a problem version could not be published, packed or unpacked.
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    #[error(transparent)]
    Bank(#[from] BankError),
    #[error(transparent)]
    Spec(#[from] SpecError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Writing the unpacked folder into the cache.
    #[error("{0}")]
    Write(#[from] std::io::Error),
    #[error("{0}")]
    Json(#[from] serde_json::Error),
    /// The task that unpacks it ended without an answer.
    #[error("{0}")]
    Task(#[from] tokio::task::JoinError),
    #[error("the store has no problem version {0}")]
    NoVersion(String),
    #[error("{0:?} is not a problem version")]
    NotAVersion(String),
    #[error("a broken package: {0}")]
    Broken(serde_json::Error),
    #[error("a package names the problem {0:?}")]
    BadProblem(String),
    #[error("a package's {0:?} is not hex")]
    NotHex(String),
    #[error("a package holds the path {0:?}")]
    BadPath(String),
    #[error("the package of {0} has no {PROBLEM_FILE} or {PROBLEM_YAML}")]
    NoProblem(String),
}

/// Packs a problem version's package when it is first published.
type Packer = Box<dyn Fn() -> Result<String, PackageError>>;

/// The version of the bank's problem `id` as it is now, published in the store (once per
/// version and process) so that any worker can judge on it.
pub fn publish(service: &Service, id: &str) -> Result<String, PackageError> {
    let dir = service.bank.resolve(id)?;
    // A package is packed only when this version is not published yet.
    let (version, pack): (String, Packer) = if let Some(package) = super::kattis::load(&dir) {
        let package = package?;
        (
            package_version(&package)?,
            Box::new(move || pack_package(&package)),
        )
    } else {
        let problem = spec::load(&dir)?;
        (problem_version(&problem), Box::new(move || pack(&problem)))
    };
    let mut published = service
        .published
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !published.contains(&version) {
        service.store.publish_problem(&version, id, &pack()?)?;
        published.insert(version.clone());
    }
    Ok(version)
}

/// The folder to judge a job on: its problem version from the cache, unpacked from the
/// store first when this host has not seen it.
pub fn local(service: &Service, version: &str, id: &str) -> Result<PathBuf, PackageError> {
    // The engine's own cache: the one its builds and reports go to.
    let cache = service.engine.cache();
    let dir = cache.path(&format!("{CACHE_DIR}/{version}/problems/{id}"));
    if is_plain(Path::new(id)) && !id.contains('/') && is_problem_dir(&dir) {
        judge_core::cache::touch(&dir);
        return Ok(dir);
    }
    let package = service
        .store
        .problem_package(version)?
        .ok_or_else(|| PackageError::NoVersion(version.to_string()))?;
    unpack(cache, version, &package)
}

/// The package of `problem` as it is on disk now.
pub fn pack(problem: &Problem) -> Result<String, PackageError> {
    let mut files = Files::default();
    collect(&problem.dir, &problem.dir, &mut files, false)?;
    if !files.text.contains_key("reference.rs") {
        let reference = problem.reference_path();
        let text = std::fs::read_to_string(&reference).map_err(|source| PackageError::Read {
            path: reference.clone(),
            source,
        })?;
        files.text.insert("reference.rs".into(), text);
    }
    let bank = problem
        .dir
        .parent()
        .map(|p| p.join(BANK_FILE))
        .and_then(|p| std::fs::read_to_string(p).ok());
    to_json(&problem.id, files, bank)
}

/// The package of the Kattis package `package` as it is on disk now: every file but its
/// known submissions (the accepted ones come when the time limit is derived from them).
pub fn pack_package(package: &KattisPackage) -> Result<String, PackageError> {
    to_json(&package.id, kattis_files(package)?, None)
}

/// The version of a problem a submission is judged on: a digest of its id and every file
/// that decides its cases and answers.
pub fn problem_version(problem: &Problem) -> String {
    let read = |path: PathBuf| std::fs::read(path).unwrap_or_default();
    let version = digest(&[
        problem.id.as_bytes(),
        &problem.source_digest_input,
        &read(problem.reference_path()),
        &read(problem.dir.join(judge_core::judge::GENERATOR_FILE)),
        &read(problem.dir.join(CHECKER_FILE)),
    ]);
    version[..16].to_string()
}

/// The version of a Kattis package: a digest of its id and every file it is packed with
/// (names and bytes), so it is the same wherever it was unpacked.
pub fn package_version(package: &KattisPackage) -> Result<String, PackageError> {
    let files = kattis_files(package)?;
    let mut parts: Vec<&[u8]> = vec![b"kattis-version-1", package.id.as_bytes()];
    let all = files
        .text
        .iter()
        .map(|(k, v)| (k, v.as_bytes()))
        .chain(files.binary.iter().map(|(k, v)| (k, v.as_slice())));
    let mut all: Vec<(&String, &[u8])> = all.collect();
    all.sort();
    for (name, bytes) in all {
        parts.push(name.as_bytes());
        parts.push(bytes);
    }
    Ok(judge_core::cache::digest(&parts)[..16].to_string())
}

fn kattis_files(package: &KattisPackage) -> Result<Files, PackageError> {
    let mut files = Files::default();
    collect(
        &package.dir,
        &package.dir,
        &mut files,
        package.limits.time_ms.is_none(),
    )?;
    Ok(files)
}

fn to_json(id: &str, files: Files, bank: Option<String>) -> Result<String, PackageError> {
    Ok(serde_json::to_string(&Package {
        problem: id.to_string(),
        files: files.text,
        binary: files
            .binary
            .into_iter()
            .map(|(k, v)| (k, hex(&v)))
            .collect(),
        bank,
    })?)
}

/// Every file under `dir` but the known submissions (but `submissions/accepted` with
/// `accepted`), by path relative to `root`.
fn collect(root: &Path, dir: &Path, files: &mut Files, accepted: bool) -> Result<(), PackageError> {
    let read = |path: &Path| {
        let path = path.to_path_buf();
        move |source| PackageError::Read { path, source }
    };
    let entries = std::fs::read_dir(dir).map_err(read(dir))?;
    for entry in entries.flatten() {
        let path = entry.path();
        // `read_dir` of a folder under `root` gives paths under `root`.
        let Ok(relative) = path.strip_prefix(root) else {
            continue;
        };
        let relative = relative.to_string_lossy().into_owned();
        let kept_submissions = accepted && relative == "submissions";
        if relative == "submissions" && !kept_submissions {
            continue;
        }
        if relative.starts_with("submissions/")
            && !(accepted && relative.starts_with("submissions/accepted"))
        {
            continue;
        }
        if path.is_dir() {
            collect(root, &path, files, accepted)?;
        } else {
            let bytes = std::fs::read(&path).map_err(read(&path))?;
            match String::from_utf8(bytes) {
                Ok(text) => {
                    files.text.insert(relative, text);
                }
                Err(e) => {
                    files.binary.insert(relative, e.into_bytes());
                }
            }
        }
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The folder of problem version `version`, unpacked from `package` into the cache unless
/// it is there already. A folder appears whole or not at all (written aside, then renamed).
pub fn unpack(cache: &Cache, version: &str, package: &str) -> Result<PathBuf, PackageError> {
    if version.is_empty() || !version.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(PackageError::NotAVersion(version.to_string()));
    }
    let package: Package = serde_json::from_str(package).map_err(PackageError::Broken)?;
    if !is_plain(Path::new(&package.problem)) || package.problem.contains('/') {
        return Err(PackageError::BadProblem(package.problem));
    }
    let root = cache.path(&format!("{CACHE_DIR}/{version}"));
    let dir = root.join("problems").join(&package.problem);
    if is_problem_dir(&dir) {
        return Ok(dir);
    }
    let aside = cache.temp_dir()?;
    let problems = aside.path().join("problems");
    let folder = problems.join(&package.problem);
    let mut binary = Vec::new();
    for (relative, text) in &package.binary {
        let bytes = unhex(text).ok_or_else(|| PackageError::NotHex(relative.clone()))?;
        binary.push((relative, bytes));
    }
    let text = package.files.iter().map(|(k, v)| (k, v.as_bytes()));
    for (relative, bytes) in text.chain(binary.iter().map(|(k, v)| (*k, v.as_slice()))) {
        if !is_plain(Path::new(relative)) {
            return Err(PackageError::BadPath(relative.clone()));
        }
        let path = folder.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, bytes)?;
    }
    if let Some(bank) = &package.bank {
        std::fs::write(problems.join(BANK_FILE), bank)?;
    }
    if let Some(parent) = root.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let made = aside.keep();
    if std::fs::rename(&made, &root).is_err() {
        // Another worker unpacked it first: theirs is the same.
        let _ = std::fs::remove_dir_all(&made);
    }
    if is_problem_dir(&dir) {
        Ok(dir)
    } else {
        Err(PackageError::NoProblem(version.to_string()))
    }
}

/// A relative path that stays below where it is joined (no `..`, no root).
fn is_plain(path: &Path) -> bool {
    !path.as_os_str().is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bank_problem(id: &str) -> Problem {
        let bank = judge_core::problem::bank::Bank::locate(None).unwrap();
        spec::load(&bank.resolve(id).unwrap()).unwrap()
    }

    #[test]
    fn a_packed_problem_unpacks_to_the_same_version() {
        let problem = bank_problem("t-value");
        let version = crate::problem_version(&problem);
        let package = pack(&problem).unwrap();
        assert!(
            !package.contains("\"submissions/"),
            "known submissions stay home"
        );
        let cache_dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(cache_dir.path());
        let dir = unpack(&cache, &version, &package).unwrap();
        let again = spec::load(&dir).unwrap();
        assert_eq!(crate::problem_version(&again), version);
        assert_eq!(again.samples.len(), problem.samples.len());
        // A second unpack finds it there.
        assert_eq!(unpack(&cache, &version, &package).unwrap(), dir);
    }

    /// A copy of a Kattis fixture package in a bank of its own, with a file that is not
    /// UTF-8.
    fn kattis_copy(root: &Path, name: &str) -> PathBuf {
        fn copy(from: &Path, to: &Path) {
            std::fs::create_dir_all(to).unwrap();
            for entry in std::fs::read_dir(from).unwrap().flatten() {
                let target = to.join(entry.file_name());
                if entry.path().is_dir() {
                    copy(&entry.path(), &target);
                } else {
                    std::fs::copy(entry.path(), target).unwrap();
                }
            }
        }
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/kattis")
            .join(name);
        let dir = root.join("problems").join(name);
        copy(&from, &dir);
        std::fs::write(dir.join("data/figure.bin"), [0xff, 0x00, 0xfe]).unwrap();
        dir
    }

    #[test]
    fn a_kattis_package_unpacks_whole_and_binary_safe_to_the_same_version() {
        let bank = tempfile::tempdir().unwrap();
        let dir = kattis_copy(bank.path(), "subtasks");
        let package = judge_core::problem::package::load(&dir).unwrap();
        let version = package_version(&package).unwrap();
        let packed = pack_package(&package).unwrap();
        assert!(
            !packed.contains("submissions/"),
            "known submissions stay home"
        );
        assert!(
            packed.contains("\"data/figure.bin\":\"ff00fe\""),
            "{packed}"
        );
        let cache_dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(cache_dir.path());
        let unpacked = unpack(&cache, &version, &packed).unwrap();
        assert_eq!(
            std::fs::read(unpacked.join("data/figure.bin")).unwrap(),
            [0xff, 0x00, 0xfe]
        );
        let again = judge_core::problem::package::load(&unpacked).unwrap();
        assert_eq!(package_version(&again).unwrap(), version);
        assert_eq!(again.cases().len(), package.cases().len());
        // Another byte is another version.
        std::fs::write(dir.join("data/figure.bin"), [0xff, 0x01, 0xfe]).unwrap();
        assert_ne!(package_version(&package).unwrap(), version);
    }

    #[test]
    fn a_package_without_a_time_limit_brings_its_accepted_submissions() {
        let bank = tempfile::tempdir().unwrap();
        let dir = kattis_copy(bank.path(), "add");
        let package = judge_core::problem::package::load(&dir).unwrap();
        assert!(
            package.limits.time_ms.is_none(),
            "the add fixture derives its limit"
        );
        let packed = pack_package(&package).unwrap();
        assert!(packed.contains("submissions/accepted/add.rs"), "{packed}");
        assert!(!packed.contains("submissions/wrong_answer"), "{packed}");
        let cache_dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(cache_dir.path());
        let version = package_version(&package).unwrap();
        let unpacked = unpack(&cache, &version, &packed).unwrap();
        let again = judge_core::problem::package::load(&unpacked).unwrap();
        assert_eq!(package_version(&again).unwrap(), version);
    }

    #[test]
    fn a_package_cannot_write_outside_its_folder() {
        let cache_dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(cache_dir.path());
        let evil = r#"{"problem": "x", "files": {"../../escaped": "x", "problem.toml": ""}, "bank": null}"#;
        let e = unpack(&cache, "abcd", evil).unwrap_err();
        assert!(e.to_string().contains("../../escaped"), "{e}");
        let evil = r#"{"problem": "../x", "files": {}, "bank": null}"#;
        assert!(unpack(&cache, "abcd", evil).is_err());
        let evil = r#"{"problem": "x", "files": {"problem.toml": ""}, "binary": {"../up": "00"}, "bank": null}"#;
        assert!(unpack(&cache, "abcd", evil).is_err());
        assert!(unpack(
            &cache,
            "../x",
            r#"{"problem": "x", "files": {}, "bank": null}"#
        )
        .is_err());
        assert!(!cache_dir.path().join("escaped").exists());
    }
}
