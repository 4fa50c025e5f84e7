//! The runtime every compiled Rust program links: judge_rt (the case protocol's reader and
//! writer) and ndarray, built once per toolchain with cargo into the cache, and recorded in
//! `artifacts.json` so later judges find the rlibs without asking cargo.

use std::fmt::Write as _;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::cache::Cache;

/// The runtime library's source, compiled into the cache on first use.
pub(crate) const RUNTIME_SOURCE: &str = include_str!("../runtime/judge_rt.rs");
/// The judge's own lock file (the workspace's) pins the runtime's dependencies to the
/// versions the judge was built with, so the first build finds them in cargo's local
/// registry and needs no network.
pub const LOCKFILE: &str = include_str!("../../../../Cargo.lock");

/// The version of `package` in the judge's lock file.
pub fn locked_version(package: &str) -> Option<String> {
    let lock: toml::Value = toml::from_str(LOCKFILE).ok()?;
    lock.get("package")?
        .as_array()?
        .iter()
        .find(|p| p.get("name").and_then(|n| n.as_str()) == Some(package))?
        .get("version")?
        .as_str()
        .map(str::to_string)
}
pub(crate) const RUNTIME_MANIFEST: &str = r#"[package]
name = "judge_rt"
version = "0.0.0"
edition = "2021"

[lib]
path = "judge_rt.rs"

[dependencies]
ndarray = "0.17"
serde_json = { version = "1", features = ["float_roundtrip"] }

[profile.release]
opt-level = 2
debug = false

# A workspace of its own: a cache inside a Cargo workspace (a clone's target/) is no member
# of it.
[workspace]
"#;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct RuntimeArtifacts {
    pub(crate) deps_dir: PathBuf,
    pub(crate) judge_rt: PathBuf,
    pub(crate) ndarray: PathBuf,
}

/// Why the runtime could not be built. Shown as "building the solution runtime (ndarray,
/// serde_json) with cargo failed:" and then this.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    #[error("cannot run cargo: {0}")]
    NoCargo(#[source] io::Error),
    /// cargo ran and failed; what it printed.
    #[error("{0}")]
    Failed(String),
    #[error("cargo did not report the judge_rt and ndarray libraries")]
    Unreported,
    #[error("cache at {path}: {source}")]
    Cache { path: PathBuf, source: io::Error },
}

/// Builds judge_rt and its dependencies once; later calls read the recorded artifacts.
pub(crate) fn build(
    cache: &Cache,
    key: &str,
    sysroot: &str,
) -> Result<RuntimeArtifacts, RuntimeError> {
    let dir = cache.path(&format!("runtime/{}", &key[..16]));
    let record = dir.join("artifacts.json");
    let cache_err = |source| RuntimeError::Cache {
        path: dir.clone(),
        source,
    };
    if let Some(found) = read_artifacts(&record) {
        return Ok(found);
    }
    fs::create_dir_all(&dir).map_err(cache_err)?;
    // Several judges may start at once on a fresh cache: one builds, the rest wait.
    let lock = File::create(dir.join(".lock")).map_err(cache_err)?;
    lock.lock().map_err(cache_err)?;
    if let Some(found) = read_artifacts(&record) {
        return Ok(found);
    }
    fs::write(dir.join("Cargo.toml"), RUNTIME_MANIFEST).map_err(cache_err)?;
    fs::write(dir.join("Cargo.lock"), LOCKFILE).map_err(cache_err)?;
    fs::write(dir.join("judge_rt.rs"), RUNTIME_SOURCE).map_err(cache_err)?;
    let cargo = Path::new(sysroot).join("bin/cargo");
    let cargo = if cargo.is_file() {
        cargo.into_os_string()
    } else {
        "cargo".into()
    };
    let build = |offline: bool| {
        let mut cmd = Command::new(&cargo);
        cmd.args([
            "build",
            "--release",
            "--message-format=json-render-diagnostics",
            "--quiet",
        ])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS");
        if offline {
            cmd.arg("--offline");
        }
        cmd.output()
    };
    // Offline first (the judge's own build fetched these crates); the network only if not.
    let mut out = build(true).map_err(RuntimeError::NoCargo)?;
    if !out.status.success() {
        out = build(false).map_err(RuntimeError::NoCargo)?;
    }
    if !out.status.success() {
        return Err(RuntimeError::Failed(
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ));
    }
    let found = parse_artifacts(
        &String::from_utf8_lossy(&out.stdout),
        &dir.join("target/release/deps"),
    )
    .ok_or(RuntimeError::Unreported)?;
    let json = serde_json::to_string_pretty(&found).unwrap_or_default();
    fs::write(&record, json).map_err(cache_err)?;
    Ok(found)
}

/// Which build of the runtime a harness library is compiled against. rustc links a library
/// only with the very build of judge_rt and ndarray it was compiled with, and a runtime built
/// again is another build: cargo's crate hashes include the folder, so a cache moved or
/// copied to another path (its runtime rebuilt there) would otherwise reuse libraries that no
/// longer link, and every solution would fail to compile ("can't find crate for `judge_h`").
/// The files' paths, sizes and modification times tell one build from another.
pub(crate) fn identity(runtime: &RuntimeArtifacts) -> String {
    let mut identity = String::new();
    for rlib in [&runtime.judge_rt, &runtime.ndarray] {
        let stamp = fs::metadata(rlib).ok().map(|m| {
            let modified = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok());
            (m.len(), modified.map(|d| d.as_nanos()))
        });
        let _ = writeln!(identity, "{} {stamp:?}", rlib.display());
    }
    identity
}

fn read_artifacts(record: &Path) -> Option<RuntimeArtifacts> {
    let found: RuntimeArtifacts = serde_json::from_str(&fs::read_to_string(record).ok()?).ok()?;
    (found.judge_rt.is_file() && found.ndarray.is_file()).then_some(found)
}

/// Picks the rlibs of judge_rt and ndarray out of cargo's JSON messages.
fn parse_artifacts(messages: &str, deps_dir: &Path) -> Option<RuntimeArtifacts> {
    let mut judge_rt = None;
    let mut ndarray = None;
    for line in messages.lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if msg["reason"] != "compiler-artifact" {
            continue;
        }
        #[expect(
            clippy::case_sensitive_file_extension_comparisons,
            reason = "cargo names its rlibs `.rlib`, lowercase"
        )]
        let rlib = msg["filenames"].as_array().and_then(|files| {
            files
                .iter()
                .filter_map(|f| f.as_str())
                .find(|f| f.ends_with(".rlib"))
                .map(PathBuf::from)
        });
        match msg["target"]["name"].as_str() {
            Some("judge_rt") => judge_rt = rlib,
            Some("ndarray") => ndarray = rlib,
            _ => {}
        }
    }
    Some(RuntimeArtifacts {
        deps_dir: deps_dir.to_path_buf(),
        judge_rt: judge_rt?,
        ndarray: ndarray?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locked_versions_come_from_the_lockfile() {
        let v = locked_version("ndarray").expect("ndarray is locked");
        assert!(LOCKFILE.contains(&format!("name = \"ndarray\"\nversion = \"{v}\"")));
        assert_eq!(locked_version("no-such-crate"), None);
    }

    #[test]
    fn runtime_dependencies_are_in_the_judges_own_lockfile() {
        // The first runtime build is offline against the judge's lock file: every crate the
        // runtime needs must be one the judge itself depends on.
        for name in ["ndarray", "serde_json"] {
            assert!(
                LOCKFILE.contains(&format!("name = \"{name}\"")),
                "{name} missing from Cargo.lock"
            );
        }
    }

    #[test]
    fn the_runtime_is_a_workspace_of_its_own_inside_another() {
        // A cache under a clone of the judge (target/bench/cache) sits inside the judge's own
        // workspace; cargo refuses a package there unless it is its own workspace's root.
        let outer = tempfile::tempdir().unwrap();
        fs::write(
            outer.path().join("Cargo.toml"),
            "[workspace]\nmembers = []\n",
        )
        .unwrap();
        let dir = outer.path().join("cache/runtime/x");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("Cargo.toml"), RUNTIME_MANIFEST).unwrap();
        fs::write(dir.join("judge_rt.rs"), "").unwrap();
        let out = Command::new("cargo")
            .args(["metadata", "--no-deps", "--offline", "--format-version=1"])
            .current_dir(&dir)
            .output()
            .expect("cargo runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    #[test]
    fn artifacts_are_read_from_cargo_messages() {
        let msgs = r#"{"reason":"compiler-artifact","target":{"name":"ndarray"},"filenames":["/t/libndarray-1.rlib","/t/libndarray-1.rmeta"]}
{"reason":"compiler-artifact","target":{"name":"judge_rt"},"filenames":["/t/libjudge_rt-2.rlib"]}
{"reason":"build-finished","success":true}"#;
        let a = parse_artifacts(msgs, Path::new("/t")).unwrap();
        assert_eq!(a.ndarray, PathBuf::from("/t/libndarray-1.rlib"));
        assert_eq!(a.judge_rt, PathBuf::from("/t/libjudge_rt-2.rlib"));
        assert!(parse_artifacts("", Path::new("/t")).is_none());
    }
}
