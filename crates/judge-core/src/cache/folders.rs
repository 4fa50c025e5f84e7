//! `Cache`: where the cache is, and its folders by kind.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::files::{make_dir, persist_new, touch, CAP_STAMP, FILE_MODE};

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
        make_dir(&tmp)?;
        tempfile::Builder::new().prefix("box-").tempdir_in(tmp)
    }

    /// Writes `bytes` to `relative` atomically.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> io::Result<()> {
        persist_new(&self.path(relative), FILE_MODE, |file| {
            io::Write::write_all(file, bytes)
        })
    }

    /// The entry's bytes, touching it as used; `None` when it is not there.
    pub fn read(&self, relative: &str) -> Option<Vec<u8>> {
        let path = self.path(relative);
        let bytes = fs::read(&path).ok()?;
        touch(&path);
        Some(bytes)
    }

    /// Whether the file `relative` is there, touching it as used when it is.
    pub fn hit(&self, relative: &str) -> bool {
        let path = self.path(relative);
        let found = path.is_file();
        if found {
            touch(&path);
        }
        found
    }

    /// Asks the next cap check (`prune::enforce_cap`) to walk the cache now instead of
    /// waiting out its interval: a large entry was just stored.
    pub fn request_cap_check(&self) {
        let _ = fs::remove_file(self.path(CAP_STAMP));
    }
}
