//! What a box sees of the host: the paths every box mounts, a compiler's extra ones, and
//! `Mount`, one more path a job asks for.

use std::path::{Path, PathBuf};

/// A path the box sees, at the same absolute path as on the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    pub path: PathBuf,
    pub writable: bool,
}

impl Mount {
    pub fn read_only(path: impl Into<PathBuf>) -> Mount {
        Mount {
            path: path.into(),
            writable: false,
        }
    }
}

/// System paths every box sees read-only (where they exist): the shared libraries a Rust
/// program loads, and nothing to execute (no /bin, no /usr/bin: a solution has no shell).
pub(super) const SYSTEM_PATHS: &[&str] = &[
    "/lib",
    "/lib64",
    "/usr/lib",
    "/usr/lib64",
    "/etc/ld.so.cache",
];

/// Whether every box sees `path` already, under one of the system paths it mounts: a
/// caller need not mount it again.
pub fn in_every_box(path: &Path) -> bool {
    SYSTEM_PATHS.iter().any(|p| path.starts_with(p))
}

/// What a compiler's box adds: the linker driver (`cc`, through /etc/alternatives) and the
/// tools it runs live under /usr and /bin.
pub const TOOLCHAIN_PATHS: &[&str] = &[
    "/usr",
    "/bin",
    "/etc/alternatives",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
];
pub(super) const DEVICES: &[&str] = &["/dev/null", "/dev/zero", "/dev/urandom", "/dev/random"];
