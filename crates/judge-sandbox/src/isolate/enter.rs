//! Between fork and exec: M enters the namespaces, A builds the box's filesystem and waits
//! as its pid 1, B confines itself and returns to be exec'd. Only raw syscalls on what the
//! plan prepared.

use std::ffi::CString;
use std::io;
use std::os::fd::RawFd;

use super::plan::{BoxPlan, DiskPlan, DISK_STAGING};
use super::status::{
    report, Step, RECORD_DISK_FREE_INODES, RECORD_DISK_FREE_KB, RECORD_ENDED_NANOS,
    RECORD_ENDED_SECONDS, RECORD_EXIT, RECORD_SETUP_FAILED,
};
use crate::job::RunLimits;
use crate::pre_exec;

/// The uid and gid a box runs as when the judge is root (`nobody` on Debian and Fedora).
pub const BOX_UID: u32 = 65534;
pub const BOX_GID: u32 = 65534;

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
    if pre_exec::set_limits(limits).is_err() {
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
    if pre_exec::attach_answer(answer_fd).is_err() {
        return Err(Step::AnswerFd as i32);
    }
    step(
        Step::Descriptors,
        pre_exec::close_inherited(answer_fd.is_some()),
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
