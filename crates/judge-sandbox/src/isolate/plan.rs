//! The plan of a box, made in the judge before the fork: every path, mount option and id map
//! as a C string, so that the forked child only makes syscalls.

use std::ffi::CString;
use std::io;
use std::os::fd::RawFd;
use std::path::{Path, PathBuf};

use seccompiler::BpfProgram;

use crate::job::Disk;
use crate::landlock::ExecRules;
use crate::mounts::{Mount, DEVICES, SYSTEM_PATHS};

/// One bind mount: source, target inside the new root, and the flags of its read-only (or
/// noexec) remount.
pub(super) struct Bind {
    pub(super) source: CString,
    pub(super) target: CString,
    pub(super) remount: libc::c_ulong,
}

/// What a box is made of, as the judge asks for it.
pub struct Setup<'a> {
    /// The judge is root: the box drops to `BOX_UID` and needs no user namespace.
    pub root: bool,
    /// An empty host directory where the box's root is built.
    pub new_root: &'a Path,
    pub workdir: &'a Path,
    pub disk: Option<Disk>,
    pub mounts: &'a [Mount],
    /// Landlock rules to enforce.
    pub exec_rules: Option<ExecRules>,
}

/// The box's own disk: a tmpfs mounted at a staging point, whose two folders are bound as
/// the work dir and /tmp before the staging mount goes.
pub(super) struct DiskPlan {
    pub(super) staging: CString,
    pub(super) options: CString,
    pub(super) work: CString,
    pub(super) tmp: CString,
}

/// Everything the forked processes need, made before the fork.
pub struct BoxPlan {
    pub(super) root: bool,
    pub(super) disk: Option<DiskPlan>,
    pub(super) workdir_target: CString,
    pub(super) exec_rules: Option<ExecRules>,
    pub(super) new_root: CString,
    pub(super) old_root: CString,
    pub(super) old_root_inside: CString,
    pub(super) workdir: CString,
    pub(super) dirs: Vec<CString>,
    pub(super) files: Vec<CString>,
    pub(super) links: Vec<(CString, CString)>,
    pub(super) binds: Vec<Bind>,
    pub(super) proc_dir: CString,
    pub(super) tmp_dir: CString,
    pub(super) tmp_options: CString,
    pub(super) root_options: CString,
    pub(super) uid_map: CString,
    pub(super) gid_map: CString,
    pub(super) maps: [CString; 3],
    pub(super) cgroup_procs: Vec<CString>,
    pub(super) filters: Vec<BpfProgram>,
    pub status_fd: RawFd,
}

/// Where the box's disk is staged, as the box sees it once its root is pivoted.
pub(super) const DISK_STAGING: &std::ffi::CStr = c"/.disk";

/// The box's disk: a tmpfs with the size and inode limits, staged at `/.disk` of the new
/// root. It is mounted noexec like every writable place of a box.
fn disk_plan(new_root: &Path, disk: Disk) -> io::Result<DiskPlan> {
    use std::os::unix::ffi::OsStrExt;
    let staging = inside(
        new_root,
        Path::new(std::ffi::OsStr::from_bytes(DISK_STAGING.to_bytes())),
    );
    Ok(DiskPlan {
        options: CString::new(format!(
            "size={},nr_inodes={},mode=0755",
            disk.bytes.max(4096),
            disk.inodes.max(8)
        ))
        .map_err(io::Error::other)?,
        work: cstr(&staging.join("work"))?,
        tmp: cstr(&staging.join("tmp"))?,
        staging: cstr(&staging)?,
    })
}

/// The folders between `new_root` and `target` (both left out), which must be made before
/// `target` can be.
fn parents_inside<'a>(new_root: &'a Path, target: &'a Path) -> impl Iterator<Item = PathBuf> + 'a {
    target
        .ancestors()
        .skip(1)
        .take_while(move |a| *a != new_root && a.starts_with(new_root))
        .map(Path::to_path_buf)
}

fn cstr(path: &Path) -> io::Result<CString> {
    CString::new(path.as_os_str().as_encoded_bytes()).map_err(io::Error::other)
}

fn inside(new_root: &Path, path: &Path) -> PathBuf {
    new_root.join(path.strip_prefix("/").unwrap_or(path))
}

impl BoxPlan {
    /// Plans a box rooted (while it is built) at `new_root`, an empty host directory, that
    /// sees `mounts` plus the system paths, with `workdir` writable (its own disk, or the
    /// host's directory).
    pub fn new(
        setup: Setup<'_>,
        cgroup_procs: Vec<CString>,
        filters: Vec<BpfProgram>,
        status_fd: RawFd,
    ) -> io::Result<BoxPlan> {
        let Setup {
            root,
            new_root,
            workdir,
            disk,
            mounts,
            exec_rules,
        } = setup;
        let mut all: Vec<Mount> = SYSTEM_PATHS.iter().map(|p| Mount::read_only(*p)).collect();
        all.extend(DEVICES.iter().map(|p| Mount {
            path: (*p).into(),
            writable: true,
        }));
        all.extend(mounts.iter().cloned());
        if disk.is_none() {
            all.push(Mount {
                path: workdir.to_path_buf(),
                writable: true,
            });
        }
        let workdir_target = inside(new_root, workdir);
        let mut dirs: Vec<PathBuf> = vec![
            inside(new_root, Path::new("/proc")),
            inside(new_root, Path::new("/tmp")),
            inside(new_root, Path::new("/.old")),
            workdir_target.clone(),
        ];
        dirs.extend(parents_inside(new_root, &workdir_target));
        let mut files = Vec::new();
        let mut links = Vec::new();
        let mut binds = Vec::new();
        for m in &all {
            let Ok(meta) = std::fs::symlink_metadata(&m.path) else {
                continue;
            };
            let target = inside(new_root, &m.path);
            dirs.extend(parents_inside(new_root, &target));
            if meta.file_type().is_symlink() {
                // /bin -> usr/bin on merged-/usr systems: the same link inside the box.
                links.push((cstr(&std::fs::read_link(&m.path)?)?, cstr(&target)?));
                continue;
            }
            if meta.is_dir() {
                dirs.push(target.clone());
            } else {
                files.push(cstr(&target)?);
            }
            binds.push(Bind {
                source: cstr(&m.path)?,
                target: cstr(&target)?,
                remount: remount_flags(&m.path, m.writable, m.writable && m.path == workdir),
            });
        }
        dirs.sort();
        dirs.dedup();
        let map = |id: u32| CString::new(format!("0 {id} 1")).map_err(io::Error::other);
        let disk = disk.map(|d| disk_plan(new_root, d)).transpose()?;
        Ok(BoxPlan {
            root,
            disk,
            workdir_target: cstr(&workdir_target)?,
            exec_rules,
            new_root: cstr(new_root)?,
            old_root: cstr(&inside(new_root, Path::new("/.old")))?,
            old_root_inside: CString::new("/.old").map_err(io::Error::other)?,
            workdir: cstr(workdir)?,
            dirs: dirs.iter().map(|d| cstr(d)).collect::<io::Result<_>>()?,
            files,
            links,
            binds,
            proc_dir: cstr(&inside(new_root, Path::new("/proc")))?,
            tmp_dir: cstr(&inside(new_root, Path::new("/tmp")))?,
            tmp_options: CString::new("size=64m,mode=1777").map_err(io::Error::other)?,
            root_options: CString::new("size=1m,mode=0755").map_err(io::Error::other)?,
            // SAFETY: getuid and getgid have no preconditions.
            uid_map: map(unsafe { libc::getuid() })?,
            gid_map: map(unsafe { libc::getgid() })?,
            maps: [
                CString::new("/proc/self/setgroups").map_err(io::Error::other)?,
                CString::new("/proc/self/uid_map").map_err(io::Error::other)?,
                CString::new("/proc/self/gid_map").map_err(io::Error::other)?,
            ],
            cgroup_procs,
            filters,
            status_fd,
        })
    }
}

/// Flags for a bind's remount: read-only unless writable, never setuid or devices (but the
/// device binds themselves), no exec in writable places; plus the flags the host mount
/// already has, which a remount inside a user namespace may not drop.
fn remount_flags(path: &Path, writable: bool, workdir: bool) -> libc::c_ulong {
    let mut flags = libc::MS_BIND | libc::MS_REMOUNT | libc::MS_NOSUID;
    if !writable {
        flags |= libc::MS_RDONLY;
    }
    if workdir {
        flags |= libc::MS_NOEXEC | libc::MS_NODEV;
    }
    if let Ok(c) = CString::new(path.as_os_str().as_encoded_bytes()) {
        // SAFETY: statvfs fills a plain struct from a valid path.
        let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
        if unsafe { libc::statvfs(c.as_ptr(), &raw mut st) } == 0 {
            let locked = [
                (libc::ST_NOSUID, libc::MS_NOSUID),
                (libc::ST_NODEV, libc::MS_NODEV),
                (libc::ST_NOEXEC, libc::MS_NOEXEC),
                (libc::ST_RDONLY, libc::MS_RDONLY),
                (libc::ST_NOATIME, libc::MS_NOATIME),
                (libc::ST_NODIRATIME, libc::MS_NODIRATIME),
                (libc::ST_RELATIME, libc::MS_RELATIME),
            ];
            for (st_flag, ms_flag) in locked {
                if st.f_flag & st_flag != 0 {
                    flags |= ms_flag;
                }
            }
        }
    }
    flags
}
