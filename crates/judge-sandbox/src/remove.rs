//! Removing a folder a box may have filled: whatever its depth, without recursion on the
//! judge's stack, without following a symlink out of it, and without one open descriptor
//! per level. std's `remove_dir_all` recurses once per level: a box that nests ~14k
//! folders would make the judge abort with a stack overflow while cleaning up.

use std::ffi::{CStr, CString};
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::path::Path;

/// One folder on the way down: its name in its parent, and its parent's subfolders still
/// to remove.
struct Level {
    name: CString,
    siblings: Vec<CString>,
}

/// Removes `path` and everything under it. A symlink is removed, never followed.
pub fn remove_tree(path: &Path) -> io::Result<()> {
    let meta = std::fs::symlink_metadata(path)?;
    if !meta.is_dir() {
        return std::fs::remove_file(path);
    }
    let root = CString::new(path.as_os_str().as_encoded_bytes()).map_err(io::Error::other)?;
    let mut dir = open_dir(libc::AT_FDCWD, &root)?;
    let mut pending = clear_files(&dir)?;
    let mut stack: Vec<Level> = Vec::new();
    loop {
        if let Some(sub) = pending.pop() {
            let child = open_dir(dir.as_raw_fd(), &sub)?;
            stack.push(Level {
                name: sub,
                siblings: std::mem::take(&mut pending),
            });
            dir = child;
            pending = clear_files(&dir)?;
            continue;
        }
        let Some(level) = stack.pop() else {
            drop(dir);
            return std::fs::remove_dir(path);
        };
        let parent = open_dir(dir.as_raw_fd(), c"..")?;
        drop(dir);
        // SAFETY: unlinkat on a descriptor we own and a valid name.
        if unsafe { libc::unlinkat(parent.as_raw_fd(), level.name.as_ptr(), libc::AT_REMOVEDIR) }
            != 0
        {
            return Err(io::Error::last_os_error());
        }
        dir = parent;
        pending = level.siblings;
    }
}

/// Opens a folder relative to `at` without following a symlink, making it readable and
/// writable first if the box took those rights away (only matters when the judge is not
/// root: root reads and writes regardless).
fn open_dir(at: RawFd, name: &CStr) -> io::Result<OwnedFd> {
    let flags = libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC;
    // SAFETY: openat with a valid name; the returned fd is owned right away.
    let mut fd = unsafe { libc::openat(at, name.as_ptr(), flags) };
    if fd < 0 && io::Error::last_os_error().kind() == io::ErrorKind::PermissionDenied {
        // SAFETY: as above; fchmodat does not follow symlinks of the final component for
        // a directory we just failed to open as one.
        unsafe {
            libc::fchmodat(at, name.as_ptr(), 0o700, 0);
            fd = libc::openat(at, name.as_ptr(), flags);
        }
    }
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: just opened; nothing else owns it.
    let dir = unsafe { OwnedFd::from_raw_fd(fd) };
    // SAFETY: fchmod on our own descriptor; failing it only matters if unlinking fails.
    unsafe {
        libc::fchmod(dir.as_raw_fd(), 0o700);
    }
    Ok(dir)
}

/// Unlinks every entry of `dir` that is not a folder; returns the names of its folders.
fn clear_files(dir: &OwnedFd) -> io::Result<Vec<CString>> {
    let mut folders = Vec::new();
    // SAFETY: fdopendir takes a duplicate we own; closedir releases it.
    let stream = unsafe {
        let copy = libc::fcntl(dir.as_raw_fd(), libc::F_DUPFD_CLOEXEC, 0);
        if copy < 0 {
            return Err(io::Error::last_os_error());
        }
        let stream = libc::fdopendir(copy);
        if stream.is_null() {
            libc::close(copy);
            return Err(io::Error::last_os_error());
        }
        stream
    };
    let mut names = Vec::new();
    loop {
        // SAFETY: readdir on an open stream; the entry is copied before the next call.
        let entry = unsafe { libc::readdir64(stream) };
        if entry.is_null() {
            break;
        }
        // SAFETY: d_name is a NUL-terminated name inside the entry.
        let (name, kind) = unsafe {
            (
                CStr::from_ptr((*entry).d_name.as_ptr()).to_owned(),
                (*entry).d_type,
            )
        };
        if name.as_bytes() != b"." && name.as_bytes() != b".." {
            names.push((name, kind));
        }
    }
    // SAFETY: closing the stream we opened.
    unsafe {
        libc::closedir(stream);
    }
    for (name, kind) in names {
        if is_folder(dir, &name, kind) {
            folders.push(name);
        // SAFETY: unlinkat on our descriptor and a valid name.
        } else if unsafe { libc::unlinkat(dir.as_raw_fd(), name.as_ptr(), 0) } != 0 {
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::NotFound {
                return Err(e);
            }
        }
    }
    Ok(folders)
}

fn is_folder(dir: &OwnedFd, name: &CStr, kind: u8) -> bool {
    if kind != libc::DT_UNKNOWN {
        return kind == libc::DT_DIR;
    }
    // SAFETY: fstatat without following links, into a zeroed struct.
    unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        libc::fstatat(
            dir.as_raw_fd(),
            name.as_ptr(),
            &raw mut st,
            libc::AT_SYMLINK_NOFOLLOW,
        ) == 0
            && st.st_mode & libc::S_IFMT == libc::S_IFDIR
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_deeper_than_any_path_is_removed() {
        let top = tempfile::tempdir().unwrap();
        let root = top.path().join("deep");
        std::fs::create_dir(&root).unwrap();
        // 20,000 levels: paths far past PATH_MAX, and deeper than std's recursion survives
        // on a test thread's stack. Made with relative steps, as a box would.
        let mut dir = open_dir(
            libc::AT_FDCWD,
            &CString::new(root.to_str().unwrap()).unwrap(),
        )
        .unwrap();
        for i in 0..20_000 {
            // SAFETY: mkdirat/openat on our own descriptor.
            unsafe {
                assert_eq!(libc::mkdirat(dir.as_raw_fd(), c"d".as_ptr(), 0o755), 0);
                if i % 1000 == 0 {
                    let f = libc::openat(
                        dir.as_raw_fd(),
                        c"f".as_ptr(),
                        libc::O_CREAT | libc::O_WRONLY | libc::O_CLOEXEC,
                        0o644,
                    );
                    libc::close(f);
                }
            }
            dir = open_dir(dir.as_raw_fd(), c"d").unwrap();
        }
        drop(dir);
        remove_tree(&root).unwrap();
        assert!(!root.exists());
    }

    #[test]
    fn symlinks_are_removed_not_followed() {
        let top = tempfile::tempdir().unwrap();
        let outside = top.path().join("outside");
        std::fs::create_dir(&outside).unwrap();
        std::fs::write(outside.join("keep"), "x").unwrap();
        let root = top.path().join("box");
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::write(root.join("a/file"), "x").unwrap();
        std::os::unix::fs::symlink(&outside, root.join("a/b/link")).unwrap();
        std::os::unix::fs::symlink(outside.join("keep"), root.join("filelink")).unwrap();
        remove_tree(&root).unwrap();
        assert!(!root.exists());
        assert!(outside.join("keep").is_file());
    }
}
