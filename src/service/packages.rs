//! Problem data by content hash: the service publishes each problem version it queues a job
//! on (the files that decide its cases and answers, under the version's digest) in the
//! store, and a worker that lacks a version unpacks it from there into its cache. So a
//! worker judges exactly the service's problem, and needs no bank of its own.
//!
//! A package is JSON: `{"problem": id, "files": {relative path: text}, "bank": text|null}`:
//! the problem folder without its known submissions, the reference as `reference.rs`
//! inside it, and the bank's `bank.toml` (its feedback default). Problem folders are text.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::Service;
use crate::cache::Cache;
use crate::problem::spec::{self, Problem, BANK_FILE};

/// The file that makes a folder a problem.
const PROBLEM_FILE: &str = "problem.toml";

/// Where unpacked versions live in the cache: `problems/<version>/problems/<id>/`.
pub const CACHE_DIR: &str = "problems";

#[derive(Debug, Serialize, Deserialize)]
struct Package {
    problem: String,
    files: BTreeMap<String, String>,
    bank: Option<String>,
}

/// The version of the bank's problem `id` as it is now, published in the store (once per
/// version and process) so that any worker can judge on it.
pub fn publish(service: &Service, id: &str) -> Result<String, String> {
    let dir = service.bank.resolve(id).map_err(|e| e.to_string())?;
    let problem = spec::load(&dir).map_err(|e| e.to_string())?;
    let version = super::problem_version(&problem);
    let mut published = service
        .published
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !published.contains(&version) {
        service
            .store
            .publish_problem(&version, id, &pack(&problem)?)
            .map_err(|e| e.to_string())?;
        published.insert(version.clone());
    }
    Ok(version)
}

/// The folder to judge a job on: its problem version from the cache, unpacked from the
/// store first when this host has not seen it.
pub fn local(service: &Service, version: &str, id: &str) -> Result<PathBuf, String> {
    let cache = Cache::from_env();
    let dir = cache.path(&format!("{CACHE_DIR}/{version}/problems/{id}"));
    if is_plain(Path::new(id)) && !id.contains('/') && dir.join(PROBLEM_FILE).is_file() {
        crate::cache::touch(&dir);
        return Ok(dir);
    }
    let package = service
        .store
        .problem_package(version)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("the store has no problem version {version}"))?;
    unpack(&cache, version, &package)
}

/// The package of `problem` as it is on disk now.
pub fn pack(problem: &Problem) -> Result<String, String> {
    let mut files = BTreeMap::new();
    collect(&problem.dir, &problem.dir, &mut files)?;
    if !files.contains_key("reference.rs") {
        let reference = problem.reference_path();
        let text = std::fs::read_to_string(&reference)
            .map_err(|e| format!("{}: {e}", reference.display()))?;
        files.insert("reference.rs".into(), text);
    }
    let bank = problem
        .dir
        .parent()
        .map(|p| p.join(BANK_FILE))
        .and_then(|p| std::fs::read_to_string(p).ok());
    serde_json::to_string(&Package {
        problem: problem.id.clone(),
        files,
        bank,
    })
    .map_err(|e| e.to_string())
}

/// Every file under `dir` but the known submissions, by path relative to `root`.
fn collect(root: &Path, dir: &Path, files: &mut BTreeMap<String, String>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let relative = path
            .strip_prefix(root)
            .map_err(|e| e.to_string())?
            .to_string_lossy()
            .into_owned();
        if relative == "submissions" {
            continue;
        }
        if path.is_dir() {
            collect(root, &path, files)?;
        } else {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("{}: not a text file ({e})", path.display()))?;
            files.insert(relative, text);
        }
    }
    Ok(())
}

/// The folder of problem version `version`, unpacked from `package` into the cache unless
/// it is there already. A folder appears whole or not at all (written aside, then renamed).
pub fn unpack(cache: &Cache, version: &str, package: &str) -> Result<PathBuf, String> {
    if version.is_empty() || !version.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("{version:?} is not a problem version"));
    }
    let package: Package =
        serde_json::from_str(package).map_err(|e| format!("a broken package: {e}"))?;
    if !is_plain(Path::new(&package.problem)) || package.problem.contains('/') {
        return Err(format!("a package names the problem {:?}", package.problem));
    }
    let root = cache.path(&format!("{CACHE_DIR}/{version}"));
    let dir = root.join("problems").join(&package.problem);
    if dir.join(PROBLEM_FILE).is_file() {
        return Ok(dir);
    }
    let aside = cache.temp_dir().map_err(|e| e.to_string())?;
    let problems = aside.path().join("problems");
    let folder = problems.join(&package.problem);
    for (relative, text) in &package.files {
        if !is_plain(Path::new(relative)) {
            return Err(format!("a package holds the path {relative:?}"));
        }
        let path = folder.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        std::fs::write(&path, text).map_err(|e| e.to_string())?;
    }
    if let Some(bank) = &package.bank {
        std::fs::write(problems.join(BANK_FILE), bank).map_err(|e| e.to_string())?;
    }
    if let Some(parent) = root.parent() {
        std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
    }
    let made = aside.keep();
    if std::fs::rename(&made, &root).is_err() {
        // Another worker unpacked it first: theirs is the same.
        let _ = std::fs::remove_dir_all(&made);
    }
    if dir.join(PROBLEM_FILE).is_file() {
        Ok(dir)
    } else {
        Err(format!("the package of {version} has no {PROBLEM_FILE}"))
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
        let bank = crate::problem::bank::Bank::locate(None).unwrap();
        spec::load(&bank.resolve(id).unwrap()).unwrap()
    }

    #[test]
    fn a_packed_problem_unpacks_to_the_same_version() {
        let problem = bank_problem("t-value");
        let version = crate::service::problem_version(&problem);
        let package = pack(&problem).unwrap();
        assert!(
            !package.contains("\"submissions/"),
            "known submissions stay home"
        );
        let cache_dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(cache_dir.path());
        let dir = unpack(&cache, &version, &package).unwrap();
        let again = spec::load(&dir).unwrap();
        assert_eq!(crate::service::problem_version(&again), version);
        assert_eq!(again.samples.len(), problem.samples.len());
        // A second unpack finds it there.
        assert_eq!(unpack(&cache, &version, &package).unwrap(), dir);
    }

    #[test]
    fn a_package_cannot_write_outside_its_folder() {
        let cache_dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(cache_dir.path());
        let evil = r#"{"problem": "x", "files": {"../../escaped": "x", "problem.toml": ""}, "bank": null}"#;
        let e = unpack(&cache, "abcd", evil).unwrap_err();
        assert!(e.contains("../../escaped"), "{e}");
        let evil = r#"{"problem": "../x", "files": {}, "bank": null}"#;
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
