//! Landlock's execute right: a box may execute only the files the judge names (a run box:
//! its program and that program's ELF interpreter; a compile box: the toolchain). Without
//! it, a solution could run any executable it can see (the host's /usr/lib holds many) or
//! one it wrote to a writable place of a mount that allows exec.
//!
//! Raw syscalls rather than the `landlock` crate: the rules are enforced between fork and
//! exec, where nothing may allocate, and inside the finished box, whose root and disk
//! exist only there (Landlock's rules attach to the inodes a process sees). The plan, paths
//! as C strings, is made before the fork.

use std::ffi::CString;
use std::io;
use std::path::{Path, PathBuf};

/// `LANDLOCK_ACCESS_FS_EXECUTE` (ABI 1).
const ACCESS_FS_EXECUTE: u64 = 1;
/// `LANDLOCK_ACCESS_FS_REFER` (ABI 2). A ruleset that does not handle it denies every
/// rename or link between two folders (EXDEV), which rustc does when it writes an archive;
/// so it is handled, and allowed everywhere.
const ACCESS_FS_REFER: u64 = 1 << 13;
/// `LANDLOCK_RULE_PATH_BENEATH`.
const RULE_PATH_BENEATH: libc::c_int = 1;

#[repr(C)]
struct RulesetAttr {
    handled_access_fs: u64,
}

/// The kernel's `struct landlock_path_beneath_attr` is packed.
#[repr(C, packed)]
struct PathBeneathAttr {
    allowed_access: u64,
    parent_fd: i32,
}

/// The rules of one box: execute only `executables` (files, or files beneath folders).
#[derive(Debug, Clone)]
pub struct ExecRules {
    handled: u64,
    executables: Vec<CString>,
}

impl ExecRules {
    /// Rules for a kernel of Landlock ABI `abi`; a listed program's interpreter is allowed
    /// with it.
    pub fn new(abi: i64, allowed: &[PathBuf]) -> io::Result<ExecRules> {
        let mut paths = allowed.to_vec();
        paths.extend(
            allowed
                .iter()
                .filter(|p| p.is_file())
                .filter_map(|p| interpreter(p)),
        );
        Ok(ExecRules {
            handled: if abi >= 2 {
                ACCESS_FS_EXECUTE | ACCESS_FS_REFER
            } else {
                ACCESS_FS_EXECUTE
            },
            executables: paths
                .iter()
                .map(|p| CString::new(p.as_os_str().as_encoded_bytes()).map_err(io::Error::other))
                .collect::<io::Result<_>>()?,
        })
    }

    /// Builds the ruleset and enforces it on the calling process (and its future
    /// children). No_new_privs must be set first. Paths are the ones this process sees.
    /// Returns -1 with errno set on failure. Async-signal-safe: only syscalls.
    ///
    /// # Safety
    /// Only raw syscalls; meant for the child between fork and exec.
    pub unsafe fn enforce(&self) -> libc::c_int {
        let attr = RulesetAttr {
            handled_access_fs: self.handled,
        };
        let ruleset = libc::syscall(
            libc::SYS_landlock_create_ruleset,
            &attr,
            std::mem::size_of::<RulesetAttr>(),
            0u32,
        ) as libc::c_int;
        if ruleset < 0 {
            return -1;
        }
        let mut rc = 0;
        if self.handled & ACCESS_FS_REFER != 0 {
            rc = add_rule(ruleset, c"/".as_ptr(), ACCESS_FS_REFER);
        }
        for path in &self.executables {
            if rc == 0 {
                rc = add_rule(ruleset, path.as_ptr(), ACCESS_FS_EXECUTE);
            }
        }
        if rc == 0 {
            rc = libc::syscall(libc::SYS_landlock_restrict_self, ruleset, 0u32) as libc::c_int;
        }
        let errno = *libc::__errno_location();
        libc::close(ruleset);
        *libc::__errno_location() = errno;
        rc
    }
}

unsafe fn add_rule(ruleset: libc::c_int, path: *const libc::c_char, access: u64) -> libc::c_int {
    let target = libc::open(path, libc::O_PATH | libc::O_CLOEXEC);
    if target < 0 {
        return -1;
    }
    let rule = PathBeneathAttr {
        allowed_access: access,
        parent_fd: target,
    };
    let rc = libc::syscall(
        libc::SYS_landlock_add_rule,
        ruleset,
        RULE_PATH_BENEATH,
        &rule,
        0u32,
    ) as libc::c_int;
    let errno = *libc::__errno_location();
    libc::close(target);
    *libc::__errno_location() = errno;
    rc
}

/// The ELF interpreter a dynamically linked program needs (`PT_INTERP`): the kernel
/// executes it too, so it must be allowed with the program. `None` for a static program
/// or a file that is not an ELF.
pub fn interpreter(program: &Path) -> Option<PathBuf> {
    use object::read::elf::{FileHeader, ProgramHeader};
    use object::Endianness;
    use std::os::unix::ffi::OsStrExt;
    let file = std::fs::File::open(program).ok()?;
    let data = object::read::ReadCache::new(file);
    let header = object::elf::FileHeader64::<Endianness>::parse(&data).ok()?;
    let endian = header.endian().ok()?;
    for segment in header.program_headers(endian, &data).ok()? {
        if segment.p_type(endian) == object::elf::PT_INTERP {
            let bytes = segment.data(endian, &data).ok()?;
            let path = bytes.split(|b| *b == 0).next()?;
            return Some(PathBuf::from(<std::ffi::OsStr as OsStrExt>::from_bytes(
                path,
            )));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dynamic_program_names_its_interpreter() {
        let judge = std::env::current_exe().unwrap();
        let interp = interpreter(&judge).expect("the test binary is dynamically linked");
        assert!(interp.is_file(), "{}", interp.display());
        assert!(interpreter(Path::new("/etc/hostname")).is_none());
    }
}
