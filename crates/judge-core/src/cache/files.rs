//! The cache's files: owned by the judge, written then renamed, a box's output copied in as
//! a new file of the judge's own; and the content digests that name entries.

use std::fmt::Write as _;
use std::fs::{self, File};
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::time::SystemTime;

use sha2::{Digest, Sha256};

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
pub(super) fn persist_new(
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
