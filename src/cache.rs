//! The judge's cache directory: built runtimes, compiled binaries, reference answers.
//!
//! `JUDGE_CACHE_DIR` overrides the location; otherwise `$XDG_CACHE_HOME/judge` or
//! `~/.cache/judge`. Entries are written to a temporary name and renamed into place, so a
//! judge killed mid-write never leaves a half entry that a later run trusts.

use std::io;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

#[derive(Debug, Clone)]
pub struct Cache {
    root: PathBuf,
}

impl Cache {
    pub fn from_env() -> Cache {
        let root = std::env::var_os("JUDGE_CACHE_DIR")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("XDG_CACHE_HOME").map(|d| PathBuf::from(d).join("judge")))
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/judge")))
            .unwrap_or_else(|| std::env::temp_dir().join("judge-cache"));
        Cache { root }
    }

    pub fn at(root: &Path) -> Cache {
        Cache {
            root: root.to_path_buf(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    /// A fresh private directory inside the cache (same filesystem, so renames are atomic).
    pub fn temp_dir(&self) -> io::Result<tempfile::TempDir> {
        let tmp = self.root.join("tmp");
        std::fs::create_dir_all(&tmp)?;
        tempfile::Builder::new().prefix("box-").tempdir_in(tmp)
    }

    /// Writes `bytes` to `relative` atomically.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.path(relative);
        let dir = path.parent().unwrap_or(&self.root);
        std::fs::create_dir_all(dir)?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        io::Write::write_all(&mut tmp, bytes)?;
        tmp.persist(&path).map_err(|e| e.error)?;
        Ok(())
    }
}

/// Hex SHA-256 of the parts, each length-prefixed so that ("ab","c") != ("a","bc").
pub fn digest(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_separates_parts() {
        assert_ne!(digest(&[b"ab", b"c"]), digest(&[b"a", b"bc"]));
        assert_eq!(digest(&[b"x"]).len(), 64);
    }
}
