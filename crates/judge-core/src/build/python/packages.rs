//! numpy and pandas for Python solutions, found or made outside any box: the interpreter's
//! own when it already imports both, else a virtual environment in the judge's cache
//! (`runtime/python-<key>/venv`) made on first use with pinned versions from the package
//! index. Judges starting at once on a fresh cache take turns on a lock: one installs, the
//! others wait and find it made. A half-made environment (a judge killed mid-install) has
//! no `ready` record and is made again.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::Command;

use super::error::StepError;
use super::{Install, PythonError};
use crate::cache::{self, Cache};

use super::pins::SUPPORTED;
pub use super::pins::{NUMPY, PANDAS};

/// Where numpy and pandas come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packages {
    /// The folders to put on `sys.path` (site-packages).
    pub paths: Vec<PathBuf>,
    /// In words, for `judge doctor`: versions and origin.
    pub origin: String,
}

/// What `judge doctor` says of numpy and pandas for `language`'s interpreter: where they
/// come from, or that the first Python judging will set them up (doctor never installs).
pub fn status(cache: &Cache, language: &crate::languages::Language) -> String {
    let install = match Install::of(language) {
        Ok(install) => install,
        Err(e) => return format!("not usable: {e}"),
    };
    if let Some(found) = ready(&environment_dir(cache, &install)) {
        return found.origin;
    }
    if let Some(found) = system(&install) {
        return found.origin;
    }
    format!(
        "numpy and pandas are not set up yet: the first Python judging installs numpy {NUMPY} and pandas {PANDAS} (about 200 MB) into {} from the package index",
        environment_dir(cache, &install).join("venv").display()
    )
}

/// Whether numpy and pandas for `language` are still to be found (and maybe installed):
/// the first Python judging, which may take half a minute.
pub fn first_use(cache: &Cache, language: &crate::languages::Language) -> bool {
    Install::of(language).is_ok_and(|install| ready(&environment_dir(cache, &install)).is_none())
}

/// numpy and pandas for `install`: as found before (the interpreter's own, or the judge's
/// environment), else the interpreter's own if it imports both, else the judge's
/// environment, made now.
pub fn find(cache: &Cache, install: &Install) -> Result<Packages, PythonError> {
    let dir = environment_dir(cache, install);
    if let Some(found) = ready(&dir) {
        return Ok(found);
    }
    if let Some(found) = system(install) {
        // Asking costs an import of pandas: the answer is kept beside where the judge's
        // environment would be, and trusted while those folders hold both packages.
        let record = serde_json::json!({ "paths": found.paths, "origin": found.origin });
        let _ = cache::make_dir(&dir);
        let _ = fs::write(dir.join("ready.json"), record.to_string());
        return Ok(found);
    }
    judge_made(cache, install)
}

/// What the interpreter itself imports, when it imports both numpy and pandas.
pub fn system(install: &Install) -> Option<Packages> {
    let out = Command::new(&install.exe)
        .args([
            "-c",
            "import os, sys, numpy, pandas\n\
             print(numpy.__version__, pandas.__version__)\n\
             for p in sys.path:\n\
             \x20   if p.endswith(('site-packages', 'dist-packages')) and os.path.isdir(p): print(p)",
        ])
        .env_remove("PYTHONPATH")
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    let mut lines = text.lines();
    let versions = lines.next()?.to_string();
    let paths: Vec<PathBuf> = lines.map(PathBuf::from).collect();
    let (numpy, pandas) = versions.split_once(' ')?;
    Some(Packages {
        paths,
        origin: format!("numpy {numpy}, pandas {pandas} (the interpreter's own)"),
    })
}

/// The judge's environment for `install`, made now if it is not there yet.
pub fn judge_made(cache: &Cache, install: &Install) -> Result<Packages, PythonError> {
    let dir = environment_dir(cache, install);
    if let Some(found) = ready(&dir) {
        return Ok(found);
    }
    let cache_err = |source| PythonError::Cache {
        path: dir.clone(),
        source,
    };
    cache::make_dir(&dir).map_err(cache_err)?;
    let lock = File::create(dir.join(".lock")).map_err(cache_err)?;
    lock.lock().map_err(cache_err)?;
    if let Some(found) = ready(&dir) {
        return Ok(found);
    }
    check_version(install)?;
    let venv = dir.join("venv");
    let site = make_venv(install, &venv)?;
    let origin = format!(
        "numpy {NUMPY}, pandas {PANDAS} (the judge's, in {})",
        venv.display()
    );
    let record = serde_json::json!({ "paths": [site], "origin": origin }).to_string();
    fs::write(dir.join("ready.json"), record).map_err(cache_err)?;
    Ok(Packages {
        paths: vec![site],
        origin,
    })
}

/// The judge's environment if it was made: for `judge doctor`, which never makes it.
pub fn judge_made_if_ready(cache: &Cache, install: &Install) -> Option<Packages> {
    ready(&environment_dir(cache, install))
}

/// Where the judge keeps the environment of `install` (`runtime/` is never pruned).
pub fn environment_dir(cache: &Cache, install: &Install) -> PathBuf {
    let key = cache::digest(&[
        install.exe.as_os_str().as_encoded_bytes(),
        install.version.as_bytes(),
        NUMPY.as_bytes(),
        PANDAS.as_bytes(),
    ]);
    cache.path(&format!("runtime/python-{}", &key[..16]))
}

/// The packages recorded in `dir`, if their folders still hold numpy and pandas.
fn ready(dir: &Path) -> Option<Packages> {
    let text = fs::read_to_string(dir.join("ready.json")).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    let paths: Vec<PathBuf> = v["paths"]
        .as_array()?
        .iter()
        .filter_map(|p| p.as_str().map(PathBuf::from))
        .collect();
    let holds = |name: &str| paths.iter().any(|p| p.join(name).is_dir());
    (holds("numpy") && holds("pandas")).then(|| Packages {
        paths,
        origin: v["origin"].as_str().unwrap_or_default().to_string(),
    })
}

fn check_version(install: &Install) -> Result<(), PythonError> {
    let minor = install
        .version
        .split('.')
        .nth(1)
        .and_then(|m| m.parse::<u32>().ok());
    match minor {
        Some(m)
            if install.version.starts_with("3.") && (SUPPORTED.0..=SUPPORTED.1).contains(&m) =>
        {
            Ok(())
        }
        _ => Err(PythonError::Unsupported {
            exe: install.exe.clone(),
            version: install.version.clone(),
        }),
    }
}

/// Makes the virtual environment at `venv` (made anew: a half-made one is removed) and
/// installs the pinned wheels; returns its site-packages folder.
fn make_venv(install: &Install, venv: &Path) -> Result<PathBuf, PythonError> {
    if venv.exists() {
        fs::remove_dir_all(venv).map_err(|source| PythonError::Cache {
            path: venv.to_path_buf(),
            source,
        })?;
    }
    let made = Command::new(&install.exe)
        .args(["-m", "venv"])
        .arg(venv)
        .env_remove("PYTHONPATH")
        .output();
    failed("python3 -m venv", made).map_err(|step| PythonError::Venv {
        venv: venv.to_path_buf(),
        step: Box::new(step),
    })?;
    let python = venv.join("bin/python");
    let pip = Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-input",
            "--only-binary=:all:",
        ])
        .arg(format!("numpy=={NUMPY}"))
        .arg(format!("pandas=={PANDAS}"))
        .env_remove("PYTHONPATH")
        .env_remove("PIP_REQUIRE_VIRTUALENV")
        .output();
    failed("pip install numpy pandas", pip).map_err(|step| PythonError::Pip {
        venv: venv.to_path_buf(),
        exe: install.exe.clone(),
        step: Box::new(step),
    })?;
    let site = Command::new(&python)
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_path('purelib'))",
        ])
        .output();
    let site = failed("finding the environment's site-packages", site)
        .map_err(|step| PythonError::SitePackages(Box::new(step)))?;
    let site = PathBuf::from(String::from_utf8_lossy(&site.stdout).trim());
    if !site.join("numpy").is_dir() || !site.join("pandas").is_dir() {
        return Err(PythonError::NotInstalled(site));
    }
    Ok(site)
}

/// A tool's run as a step of setting up numpy and pandas: its output when it succeeded.
fn failed(
    what: &'static str,
    out: Result<std::process::Output, std::io::Error>,
) -> Result<std::process::Output, StepError> {
    match out {
        Ok(o) if o.status.success() => Ok(o),
        Ok(o) => Err(StepError::Failed {
            what,
            stderr_tail: tail(&String::from_utf8_lossy(&o.stderr)),
        }),
        Err(source) => Err(StepError::Start { what, source }),
    }
}

/// The last lines of a tool's error output: pip's are long.
fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(12)..].join("\n")
}
