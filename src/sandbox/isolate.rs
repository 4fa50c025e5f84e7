//! The box: what runs between fork and exec to isolate a process, the way isolate and nsjail
//! do it, with no external binary.
//!
//! Three processes (as isolate's keeper, box init and program):
//! - M, the child `std::process::Command` forks: joins the run's cgroup, enters new mount,
//!   pid, network, IPC and UTS namespaces (and a user namespace when the judge is not root),
//!   forks A and waits for it. The judge waits for M.
//! - A, pid 1 of the new pid namespace: builds the box's filesystem (a read-only tmpfs root
//!   holding read-only binds of the toolchain and system libraries, the read-write work dir,
//!   a fresh /proc, a noexec /tmp, a few devices), pivots into it, forks B, reaps every
//!   process of the box and, when B ends, reports how full the box's disk is and B's wait
//!   status on the status pipe and exits, which makes the kernel kill whatever is left in
//!   the namespace (and unmount the box's disk: nothing is left to remove).
//! - B: sets rlimits, drops to an unprivileged uid with no capabilities, sets no_new_privs,
//!   enforces the Landlock exec rules, installs the seccomp filters, marks every descriptor
//!   but 0-3 close-on-exec and returns, so that std execs the program.
//!
//! A run's work dir and /tmp are two binds of one private tmpfs (the box's disk, `Disk`):
//! size and inode limits, its pages charged to the box's cgroup, gone with the box. A
//! compile's work dir is the host's (the judge reads the compiler's output back).
//!
//! Everything the child needs is prepared here before the fork (`BoxPlan`), because a forked
//! child of a multithreaded judge must not allocate: only raw syscalls run after fork.

use std::ffi::CString;
use std::io;
use std::os::fd::RawFd;
use std::path::{Path, PathBuf};

use seccompiler::BpfProgram;

use super::{Disk, RunLimits};

/// The uid and gid a box runs as when the judge is root (`nobody` on Debian and Fedora).
pub const BOX_UID: u32 = 65534;
pub const BOX_GID: u32 = 65534;

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
const SYSTEM_PATHS: &[&str] = &[
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
const DEVICES: &[&str] = &["/dev/null", "/dev/zero", "/dev/urandom", "/dev/random"];

pub fn namespace_flags(root: bool) -> libc::c_int {
    let flags = libc::CLONE_NEWNS
        | libc::CLONE_NEWPID
        | libc::CLONE_NEWNET
        | libc::CLONE_NEWIPC
        | libc::CLONE_NEWUTS;
    if root {
        flags
    } else {
        flags | libc::CLONE_NEWUSER
    }
}

/// One bind mount: source, target inside the new root, and the flags of its read-only (or
/// noexec) remount.
struct Bind {
    source: CString,
    target: CString,
    remount: libc::c_ulong,
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
    pub exec_rules: Option<super::landlock::ExecRules>,
}

/// The box's own disk: a tmpfs mounted at a staging point, whose two folders are bound as
/// the work dir and /tmp before the staging mount goes.
struct DiskPlan {
    staging: CString,
    options: CString,
    work: CString,
    tmp: CString,
}

/// Everything the forked processes need, made before the fork.
pub struct BoxPlan {
    root: bool,
    disk: Option<DiskPlan>,
    workdir_target: CString,
    exec_rules: Option<super::landlock::ExecRules>,
    new_root: CString,
    old_root: CString,
    old_root_inside: CString,
    workdir: CString,
    dirs: Vec<CString>,
    files: Vec<CString>,
    links: Vec<(CString, CString)>,
    binds: Vec<Bind>,
    proc_dir: CString,
    tmp_dir: CString,
    tmp_options: CString,
    root_options: CString,
    uid_map: CString,
    gid_map: CString,
    maps: [CString; 3],
    cgroup_procs: Vec<CString>,
    filters: Vec<BpfProgram>,
    pub status_fd: RawFd,
}

/// Where the box's disk is staged, as the box sees it once its root is pivoted.
const DISK_STAGING: &std::ffi::CStr = c"/.disk";

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

/// Status pipe records: what A says of B and of the box's disk.
pub const RECORD_EXIT: i32 = 1;
pub const RECORD_SETUP_FAILED: i32 = 2;
/// Free space left on the box's disk when B ended, in KiB.
pub const RECORD_DISK_FREE_KB: i32 = 3;
/// Free inodes left on the box's disk when B ended.
pub const RECORD_DISK_FREE_INODES: i32 = 4;
/// When B ended (CLOCK_MONOTONIC, shared with the judge: the box has no time namespace),
/// in whole seconds and the nanoseconds past them.
pub const RECORD_ENDED_SECONDS: i32 = 5;
pub const RECORD_ENDED_NANOS: i32 = 6;

/// Setup steps, reported with the errno when one fails.
#[derive(Debug, Clone, Copy)]
#[repr(i32)]
pub enum Step {
    Cgroup = 1,
    Unshare,
    IdMaps,
    Fork,
    MountPrivate,
    RootTmpfs,
    Mkdir,
    Bind,
    Remount,
    Proc,
    Tmp,
    PivotRoot,
    Chdir,
    DropPrivileges,
    Rlimits,
    Seccomp,
    AnswerFd,
    Disk,
    Landlock,
    Descriptors,
}

impl Step {
    pub fn name(code: i32) -> &'static str {
        const NAMES: [&str; 21] = [
            "?",
            "joining the cgroup",
            "unshare",
            "writing the id maps",
            "fork",
            "making mounts private",
            "mounting the root tmpfs",
            "mkdir",
            "bind mount",
            "read-only remount",
            "mounting /proc",
            "mounting /tmp",
            "pivot_root",
            "chdir",
            "dropping privileges",
            "rlimits",
            "seccomp",
            "the answer descriptor",
            "mounting the box's disk",
            "landlock",
            "closing inherited descriptors",
        ];
        NAMES.get(code as usize).copied().unwrap_or("?")
    }
}

/// Runs in M, right after std's fork. Returns only in B, ready for exec.
///
/// # Safety
/// Must run between fork and exec, in the child, and only makes async-signal-safe calls.
pub unsafe fn enter(
    plan: &BoxPlan,
    limits: &RunLimits,
    answer_fd: Option<RawFd>,
) -> io::Result<()> {
    for procs in &plan.cgroup_procs {
        // "0" moves the writing process itself; children are born in the cgroup.
        check(Step::Cgroup, write_file(procs, b"0"))?;
    }
    check(Step::Unshare, libc::unshare(namespace_flags(plan.root)))?;
    if !plan.root {
        check(Step::IdMaps, write_file(&plan.maps[0], b"deny"))?;
        check(
            Step::IdMaps,
            write_file(&plan.maps[1], plan.uid_map.as_bytes()),
        )?;
        check(
            Step::IdMaps,
            write_file(&plan.maps[2], plan.gid_map.as_bytes()),
        )?;
    }
    let a = libc::fork();
    check(Step::Fork, a)?;
    if a > 0 {
        // M: nothing to hold open (the judge's pipes close when the box ends); wait for A.
        close_from(0, -1);
        let mut status = 0;
        while libc::waitpid(a, &raw mut status, 0) < 0 && *libc::__errno_location() == libc::EINTR {
        }
        libc::_exit(0);
    }
    // A: pid 1 of the box. A fork of the judge, it still carries the judge's command line
    // and environment: not dumpable, its /proc entries belong to root and stay closed to
    // the program (which /proc's hidepid also keeps from seeing A at all). It dies with M,
    // and M with the judge, and the kernel then kills the whole pid namespace.
    libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
    libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong);
    if let Err(step) = build_filesystem(plan) {
        report(plan.status_fd, RECORD_SETUP_FAILED, step);
        libc::_exit(0);
    }
    let b = libc::fork();
    if b < 0 {
        report(plan.status_fd, RECORD_SETUP_FAILED, Step::Fork as i32);
        libc::_exit(0);
    }
    if b > 0 {
        close_from(0, plan.status_fd);
        loop {
            let mut status = 0;
            let pid = libc::waitpid(-1, &raw mut status, 0);
            if pid == b {
                // First, before anything A does after B: which of two boxes joined by pipes
                // ended first is told by these.
                let mut now: libc::timespec = std::mem::zeroed();
                if libc::clock_gettime(libc::CLOCK_MONOTONIC, &raw mut now) == 0 {
                    report(plan.status_fd, RECORD_ENDED_SECONDS, now.tv_sec as i32);
                    report(plan.status_fd, RECORD_ENDED_NANOS, now.tv_nsec as i32);
                }
                report_disk(plan);
                report(plan.status_fd, RECORD_EXIT, status);
                libc::_exit(0);
            }
            if pid < 0 && *libc::__errno_location() != libc::EINTR {
                libc::_exit(0);
            }
        }
    }
    // B: the program's process. A setup failure is reported before A reports B's exit.
    if let Err(step) = confine(plan, limits, answer_fd) {
        report(plan.status_fd, RECORD_SETUP_FAILED, step);
        libc::_exit(125);
    }
    libc::close(plan.status_fd);
    Ok(())
}

unsafe fn build_filesystem(plan: &BoxPlan) -> Result<(), i32> {
    let null = std::ptr::null::<libc::c_char>();
    let none = std::ptr::null::<libc::c_void>();
    let root_dir = c"/".as_ptr();
    step(
        Step::MountPrivate,
        libc::mount(null, root_dir, null, libc::MS_REC | libc::MS_PRIVATE, none),
    )?;
    let tmpfs = c"tmpfs".as_ptr();
    step(
        Step::RootTmpfs,
        libc::mount(
            tmpfs,
            plan.new_root.as_ptr(),
            tmpfs,
            libc::MS_NOSUID | libc::MS_NODEV,
            plan.root_options.as_ptr().cast(),
        ),
    )?;
    // /tmp first: binds below it (a work dir under the host's /tmp) must sit on top of it.
    libc::mkdir(plan.tmp_dir.as_ptr(), 0o755);
    match &plan.disk {
        Some(disk) => mount_disk(plan, disk)?,
        None => writable_tmpfs(Step::Tmp, &plan.tmp_dir, &plan.tmp_options)?,
    }
    for dir in &plan.dirs {
        if libc::mkdir(dir.as_ptr(), 0o755) != 0 && *libc::__errno_location() != libc::EEXIST {
            return Err(Step::Mkdir as i32);
        }
    }
    for file in &plan.files {
        let fd = libc::open(
            file.as_ptr(),
            libc::O_CREAT | libc::O_WRONLY | libc::O_CLOEXEC,
            0o644,
        );
        step(Step::Mkdir, fd)?;
        libc::close(fd);
    }
    for (target, link) in &plan.links {
        step(Step::Mkdir, libc::symlink(target.as_ptr(), link.as_ptr()))?;
    }
    for bind in &plan.binds {
        step(
            Step::Bind,
            libc::mount(
                bind.source.as_ptr(),
                bind.target.as_ptr(),
                null,
                libc::MS_BIND | libc::MS_REC,
                none,
            ),
        )?;
        step(
            Step::Remount,
            libc::mount(null, bind.target.as_ptr(), null, bind.remount, none),
        )?;
    }
    if let Some(disk) = &plan.disk {
        bind_into(&disk.work, &plan.workdir_target)?;
    }
    let proc_fs = c"proc".as_ptr();
    step(
        Step::Proc,
        libc::mount(
            proc_fs,
            plan.proc_dir.as_ptr(),
            proc_fs,
            libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC,
            c"hidepid=2".as_ptr().cast(),
        ),
    )?;
    step(
        Step::PivotRoot,
        libc::syscall(
            libc::SYS_pivot_root,
            plan.new_root.as_ptr(),
            plan.old_root.as_ptr(),
        ) as libc::c_int,
    )?;
    step(Step::Chdir, libc::chdir(root_dir))?;
    step(
        Step::PivotRoot,
        libc::umount2(plan.old_root_inside.as_ptr(), libc::MNT_DETACH),
    )?;
    libc::rmdir(plan.old_root_inside.as_ptr());
    if plan.disk.is_some() {
        // Its two folders stay mounted where the box uses them; the staging point goes.
        step(
            Step::Disk,
            libc::umount2(DISK_STAGING.as_ptr(), libc::MNT_DETACH),
        )?;
        libc::rmdir(DISK_STAGING.as_ptr());
    }
    // The root itself becomes read-only: the work dir and /tmp are the only writable places.
    step(
        Step::Remount,
        libc::mount(
            null,
            root_dir,
            null,
            libc::MS_REMOUNT | libc::MS_BIND | libc::MS_RDONLY | libc::MS_NOSUID | libc::MS_NODEV,
            none,
        ),
    )?;
    step(Step::Chdir, libc::chdir(plan.workdir.as_ptr()))?;
    Ok(())
}

/// Mounts the box's disk at its staging point, makes its work and tmp folders (the box's
/// own), and binds the tmp folder as /tmp.
unsafe fn mount_disk(plan: &BoxPlan, disk: &DiskPlan) -> Result<(), i32> {
    step(Step::Disk, libc::mkdir(disk.staging.as_ptr(), 0o755))?;
    writable_tmpfs(Step::Disk, &disk.staging, &disk.options)?;
    for (dir, mode) in [(&disk.work, 0o755), (&disk.tmp, 0o1777)] {
        step(Step::Disk, libc::mkdir(dir.as_ptr(), mode))?;
        step(Step::Disk, libc::chmod(dir.as_ptr(), mode))?;
        if plan.root {
            step(Step::Disk, libc::chown(dir.as_ptr(), BOX_UID, BOX_GID))?;
        }
    }
    bind_into(&disk.tmp, &plan.tmp_dir)
}

/// A fresh tmpfs at `target`: writable, so never a place to execute from.
unsafe fn writable_tmpfs(s: Step, target: &CString, options: &CString) -> Result<(), i32> {
    let tmpfs = c"tmpfs".as_ptr();
    step(
        s,
        libc::mount(
            tmpfs,
            target.as_ptr(),
            tmpfs,
            libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC,
            options.as_ptr().cast(),
        ),
    )
}

/// A writable bind that keeps its source mount's nosuid, nodev and noexec.
unsafe fn bind_into(source: &CString, target: &CString) -> Result<(), i32> {
    let null = std::ptr::null::<libc::c_char>();
    let none = std::ptr::null::<libc::c_void>();
    step(
        Step::Bind,
        libc::mount(source.as_ptr(), target.as_ptr(), null, libc::MS_BIND, none),
    )?;
    step(
        Step::Remount,
        libc::mount(
            null,
            target.as_ptr(),
            null,
            libc::MS_BIND | libc::MS_REMOUNT | libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC,
            none,
        ),
    )
}

/// After B ends: how much room its disk had left, so the judge can say a full disk was why
/// it failed.
unsafe fn report_disk(plan: &BoxPlan) {
    if plan.disk.is_none() {
        return;
    }
    let mut st: libc::statvfs = std::mem::zeroed();
    if libc::statvfs(plan.workdir.as_ptr(), &raw mut st) != 0 {
        return;
    }
    let free_kb = (st.f_bavail as u64).saturating_mul(st.f_frsize as u64) / 1024;
    report(
        plan.status_fd,
        RECORD_DISK_FREE_KB,
        free_kb.min(i32::MAX as u64) as i32,
    );
    report(
        plan.status_fd,
        RECORD_DISK_FREE_INODES,
        (st.f_favail as u64).min(i32::MAX as u64) as i32,
    );
}

unsafe fn confine(plan: &BoxPlan, limits: &RunLimits, answer_fd: Option<RawFd>) -> Result<(), i32> {
    if super::pre_exec::set_limits(limits).is_err() {
        return Err(Step::Rlimits as i32);
    }
    if plan.root {
        let groups = [BOX_GID];
        step(Step::DropPrivileges, libc::setgroups(1, groups.as_ptr()))?;
        step(
            Step::DropPrivileges,
            libc::setresgid(BOX_GID, BOX_GID, BOX_GID),
        )?;
        // Leaving uid 0 clears every capability.
        step(
            Step::DropPrivileges,
            libc::setresuid(BOX_UID, BOX_UID, BOX_UID),
        )?;
    } else {
        // Root of its own user namespace: lock out root's automatic capabilities on exec,
        // then drop the ones it has.
        let bits = libc::SECBIT_NOROOT
            | libc::SECBIT_NOROOT_LOCKED
            | libc::SECBIT_NO_SETUID_FIXUP
            | libc::SECBIT_NO_SETUID_FIXUP_LOCKED
            | libc::SECBIT_KEEP_CAPS_LOCKED;
        step(
            Step::DropPrivileges,
            libc::prctl(libc::PR_SET_SECUREBITS, bits as libc::c_ulong, 0, 0, 0),
        )?;
        let mut header = CapHeader {
            version: 0x2008_0522,
            pid: 0,
        };
        let data = [CapData::default(); 2];
        step(
            Step::DropPrivileges,
            libc::syscall(libc::SYS_capset, &mut header, data.as_ptr()) as libc::c_int,
        )?;
    }
    step(
        Step::DropPrivileges,
        libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0),
    )?;
    if let Some(rules) = &plan.exec_rules {
        step(Step::Landlock, rules.enforce())?;
    }
    for filter in &plan.filters {
        if seccompiler::apply_filter(filter).is_err() {
            return Err(Step::Seccomp as i32);
        }
    }
    if super::pre_exec::attach_answer(answer_fd).is_err() {
        return Err(Step::AnswerFd as i32);
    }
    step(
        Step::Descriptors,
        super::pre_exec::close_inherited(answer_fd.is_some()),
    )?;
    Ok(())
}

#[repr(C)]
struct CapHeader {
    version: u32,
    pid: libc::c_int,
}

#[repr(C)]
#[derive(Clone, Copy, Default)]
struct CapData {
    effective: u32,
    permitted: u32,
    inheritable: u32,
}

unsafe fn write_file(path: &CString, bytes: &[u8]) -> libc::c_int {
    let fd = libc::open(path.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
    if fd < 0 {
        return -1;
    }
    let n = libc::write(fd, bytes.as_ptr().cast(), bytes.len());
    libc::close(fd);
    if n == bytes.len() as isize {
        0
    } else {
        -1
    }
}

/// Closes every descriptor from `from` on, except `keep` (or none when -1).
unsafe fn close_from(from: libc::c_uint, keep: RawFd) {
    if keep >= from as RawFd {
        if keep > from as RawFd {
            libc::syscall(libc::SYS_close_range, from, keep as libc::c_uint - 1, 0);
        }
        libc::syscall(
            libc::SYS_close_range,
            keep as libc::c_uint + 1,
            libc::c_uint::MAX,
            0,
        );
    } else {
        libc::syscall(libc::SYS_close_range, from, libc::c_uint::MAX, 0);
    }
}

unsafe fn report(fd: RawFd, kind: i32, value: i32) {
    let mut record = [0u8; 8];
    record[..4].copy_from_slice(&kind.to_ne_bytes());
    record[4..].copy_from_slice(&value.to_ne_bytes());
    libc::write(fd, record.as_ptr().cast(), record.len());
}

/// Turns a failed syscall into the step's code, with the errno packed in (step * 1000 + errno).
unsafe fn step(s: Step, rc: libc::c_int) -> Result<(), i32> {
    if rc < 0 {
        Err(s as i32 * 1000 + *libc::__errno_location())
    } else {
        Ok(())
    }
}

/// M's steps fail the spawn itself, with the errno.
unsafe fn check(_s: Step, rc: libc::c_int) -> io::Result<()> {
    if rc < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

/// What A said on the status pipe.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct BoxReport {
    /// B's wait status.
    pub status: Option<i32>,
    /// The setup step that failed, in words.
    pub setup_failed: Option<String>,
    pub disk_free_kb: Option<u64>,
    pub disk_free_inodes: Option<u64>,
    /// When B ended: CLOCK_MONOTONIC seconds and nanoseconds.
    pub ended_seconds: Option<i64>,
    pub ended_nanos: Option<i64>,
}

/// Less room than this left on a box's disk counts as full: a write that failed for want of
/// space can leave a little behind (tmpfs allocates whole pages).
const DISK_FULL_MARGIN_KB: u64 = 64;

impl BoxReport {
    /// Whether the box's disk was full (of bytes or of inodes) when its program ended.
    pub fn disk_full(&self, disk: Disk) -> bool {
        let low_space = self
            .disk_free_kb
            .is_some_and(|kb| kb < DISK_FULL_MARGIN_KB.min(disk.bytes / 1024 / 2));
        low_space || self.disk_free_inodes == Some(0)
    }
}

/// Reads A's records from the status pipe: the disk's state and B's wait status, or the
/// setup step that failed. Written by the judge's own code (A), never by the program.
pub fn read_status(bytes: &[u8]) -> BoxReport {
    let mut report = BoxReport::default();
    for record in bytes.chunks_exact(8) {
        let kind = i32::from_ne_bytes([record[0], record[1], record[2], record[3]]);
        let value = i32::from_ne_bytes([record[4], record[5], record[6], record[7]]);
        match kind {
            RECORD_EXIT => report.status = Some(value),
            RECORD_DISK_FREE_KB => report.disk_free_kb = Some(value as u64),
            RECORD_DISK_FREE_INODES => report.disk_free_inodes = Some(value as u64),
            RECORD_ENDED_SECONDS => report.ended_seconds = Some(i64::from(value)),
            RECORD_ENDED_NANOS => report.ended_nanos = Some(i64::from(value)),
            _ => {
                report.setup_failed.get_or_insert(format!(
                    "the sandbox could not be set up: {} failed: {}",
                    Step::name(value / 1000),
                    io::Error::from_raw_os_error(value % 1000)
                ));
            }
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: i32, value: i32) -> Vec<u8> {
        [kind.to_ne_bytes(), value.to_ne_bytes()].concat()
    }

    #[test]
    fn status_records_are_read_in_any_number() {
        let bytes = [
            record(RECORD_DISK_FREE_KB, 10),
            record(RECORD_DISK_FREE_INODES, 0),
            record(RECORD_EXIT, 9),
        ]
        .concat();
        let report = read_status(&bytes);
        assert_eq!(report.status, Some(9));
        let ended = [
            record(RECORD_ENDED_SECONDS, 12),
            record(RECORD_ENDED_NANOS, 5),
            record(RECORD_EXIT, 0),
        ]
        .concat();
        let ended = read_status(&ended);
        assert_eq!(
            (ended.ended_seconds, ended.ended_nanos),
            (Some(12), Some(5))
        );
        assert!(
            ended.setup_failed.is_none(),
            "an end time is not a setup failure"
        );
        assert!(report.disk_full(Disk {
            bytes: 16 << 20,
            inodes: 100
        }));
        assert_eq!(read_status(&[]), BoxReport::default());
        let failed = read_status(&record(
            RECORD_SETUP_FAILED,
            Step::Landlock as i32 * 1000 + 1,
        ));
        assert!(failed.setup_failed.unwrap().contains("landlock failed"));
    }

    #[test]
    fn a_disk_with_room_left_is_not_full() {
        let disk = Disk {
            bytes: 16 << 20,
            inodes: 100,
        };
        let report = |kb, inodes| BoxReport {
            disk_free_kb: Some(kb),
            disk_free_inodes: Some(inodes),
            ..BoxReport::default()
        };
        assert!(!report(8000, 50).disk_full(disk));
        assert!(report(4, 50).disk_full(disk));
        assert!(!BoxReport::default().disk_full(disk));
    }
}
