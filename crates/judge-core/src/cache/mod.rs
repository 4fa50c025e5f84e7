//! The judge's cache directory: built runtimes, compiled binaries, reference answers.
//!
//! `JUDGE_CACHE_DIR` overrides the location; otherwise `$XDG_CACHE_HOME/judge` or
//! `~/.cache/judge`. Entries are written to a temporary name and renamed into place, so a
//! judge killed mid-write never leaves a half entry that a later run trusts.
//!
//! Boxes write as uid 65534 into work dirs under `tmp/`; nothing outside `tmp/` is theirs.
//! What a box made reaches the cache only as a new file the judge creates and fills
//! (`Cache::store_box_file`), so a box that could reach the cache still could not rewrite
//! another submission's binary. Every hit touches its entry's mtime: that is its last use,
//! which `prune` removes by (atime is unreliable under relatime and noatime).

pub mod prune;

use std::fmt::Write as _;
use std::fs::{self, File};
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

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

/// The file in the cache root whose mtime says when the cache's size was last checked.
pub const CAP_STAMP: &str = "last-cap-check";

/// Binaries are executed by boxes of another uid; nothing is writable by anyone but the judge.
pub const BINARY_MODE: u32 = 0o755;
pub const FILE_MODE: u32 = 0o644;
const DIR_MODE: u32 = 0o755;

/// Creates `dir` and its parents as the judge's own, mode 0755.
pub fn make_dir(dir: &Path) -> io::Result<()> {
    fs::DirBuilder::new()
        .recursive(true)
        .mode(DIR_MODE)
        .create(dir)
}

/// Marks the file or directory at `path` as used now. Best effort: a cache the judge may read
/// but not write (another user's) still serves hits.
pub fn touch(path: &Path) {
    if let Ok(f) = File::open(path) {
        let _ = f.set_modified(SystemTime::now());
    }
}

/// Whether `path` is a regular file of the judge's own uid that only it may write: a cache
/// hit is trusted only then (an older judge left box-owned binaries in the cache).
pub fn is_own_file(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| {
        m.file_type().is_file() && m.uid() == effective_uid() && m.mode() & 0o022 == 0
    })
}

pub fn effective_uid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// A file a box made, opened for reading without following a symlink the box may have put in
/// its place (O_NONBLOCK: a planted FIFO must not hang the judge), with its length.
pub fn open_box_file(path: &Path) -> io::Result<(File, u64)> {
    let file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)?;
    let meta = file.metadata()?;
    if !meta.file_type().is_file() {
        return Err(io::Error::other(format!(
            "{} is not a regular file",
            path.display()
        )));
    }
    Ok((file, meta.len()))
}

/// Copies an opened box-made file to `dest` as a new file of the judge's, mode `mode`,
/// written beside it and renamed into place.
pub fn store_box_file(mut from: File, dest: &Path, mode: u32) -> io::Result<()> {
    persist_new(dest, mode, |file| io::copy(&mut from, file).map(drop))
}

/// Creates a new file beside `dest`, fills it, sets `mode` and renames it to `dest`.
fn persist_new(
    dest: &Path,
    mode: u32,
    fill: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    let dir = dest.parent().unwrap_or(Path::new("."));
    make_dir(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    fill(tmp.as_file_mut())?;
    tmp.as_file()
        .set_permissions(fs::Permissions::from_mode(mode))?;
    tmp.persist(dest).map_err(|e| e.error)?;
    Ok(())
}

/// Hex SHA-256 of the parts, each length-prefixed so that ("ab","c") != ("a","bc").
pub fn digest(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    hex(&h.finalize())
}

/// `bytes` as lowercase hex, two digits each.
pub fn hex(bytes: &[u8]) -> String {
    let mut hex = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(hex, "{b:02x}");
    }
    hex
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
