//! What the forked child does between fork and exec that is not the box itself: dying with
//! the judge, rlimits, the answer pipe on fd 3, no inherited descriptor, and the whole
//! setup of a run where there are no namespaces. Everything here is async-signal-safe.

use std::io;
use std::os::fd::RawFd;

use super::job::RunLimits;
use super::landlock;

/// Marks every descriptor the judge inherited from whoever started it (above stderr)
/// close-on-exec, so that no program the judge starts, boxed or not, receives one. Boxes
/// close theirs again themselves (`close_inherited`), whatever the judge holds.
pub fn close_inherited_descriptors() {
    // SAFETY: only sets the close-on-exec flag on this process's own descriptors.
    unsafe {
        cloexec_from(3);
    }
}

/// Marks every descriptor from `first` on close-on-exec: they stay usable until the exec
/// and are gone after it, whatever they are (an inherited file, a directory, a socket).
/// Async-signal-safe.
unsafe fn cloexec_from(first: libc::c_uint) -> libc::c_int {
    if libc::syscall(
        libc::SYS_close_range,
        first,
        libc::c_uint::MAX,
        libc::CLOSE_RANGE_CLOEXEC,
    ) == 0
    {
        return 0;
    }
    // Kernels before 5.11 lack the flag: one descriptor at a time, up to the limit.
    let mut lim: libc::rlimit = std::mem::zeroed();
    if libc::getrlimit(libc::RLIMIT_NOFILE, &raw mut lim) != 0 {
        return -1;
    }
    let end = lim.rlim_cur.min(1 << 20) as libc::c_int;
    for fd in first as libc::c_int..end {
        let flags = libc::fcntl(fd, libc::F_GETFD);
        if flags >= 0 && libc::fcntl(fd, libc::F_SETFD, flags | libc::FD_CLOEXEC) < 0 {
            return -1;
        }
    }
    0
}

/// The box's last step before exec: no descriptor but stdin, stdout, stderr and the
/// answer pipe (fd 3, when there is one) survives into the program.
pub(super) unsafe fn close_inherited(answer: bool) -> libc::c_int {
    cloexec_from(if answer { 4 } else { 3 })
}

/// Makes the forked child die when the judge does (a judge killed mid-case must not leave
/// its case running: the watch that would kill it died with the judge). The kernel sends
/// SIGKILL when the forking thread exits, and that thread waits for the child, so only the
/// judge's death sends it. The check after it closes the race with a judge that died first.
/// Async-signal-safe.
pub(super) fn die_with_judge(judge_pid: libc::pid_t) -> io::Result<()> {
    // SAFETY: prctl and getppid only read and set this process's own attributes.
    unsafe {
        if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong) != 0 {
            return Err(io::Error::last_os_error());
        }
        if libc::getppid() != judge_pid {
            libc::_exit(137);
        }
    }
    Ok(())
}

/// Without namespaces: the same limits, cgroup, exec rules and syscall filter on the
/// process itself.
pub(super) fn unboxed_setup(
    cgroup_procs: &[std::ffi::CString],
    filters: &[seccompiler::BpfProgram],
    exec_rules: Option<&landlock::ExecRules>,
    limits: &RunLimits,
    answer_fd: Option<RawFd>,
) -> io::Result<()> {
    for procs in cgroup_procs {
        // SAFETY: open/write/close on a path prepared before the fork.
        unsafe {
            let fd = libc::open(procs.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
            if fd < 0 || libc::write(fd, b"0".as_ptr().cast(), 1) != 1 {
                return Err(io::Error::last_os_error());
            }
            libc::close(fd);
        }
    }
    set_limits(limits)?;
    // SAFETY: prctl and the Landlock syscall only restrict this process.
    unsafe {
        if libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0
            || exec_rules.is_some_and(|r| r.enforce() != 0)
        {
            return Err(io::Error::last_os_error());
        }
    }
    for filter in filters {
        seccompiler::apply_filter(filter).map_err(|e| io::Error::other(e.to_string()))?;
    }
    attach_answer(answer_fd)?;
    // SAFETY: only marks this process's descriptors close-on-exec.
    if unsafe { close_inherited(answer_fd.is_some()) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// The rlimits of a run. Async-signal-safe.
pub(super) fn set_limits(limits: &RunLimits) -> io::Result<()> {
    // RLIMIT_CPU counts whole seconds: a backstop for the watch, which kills at the budget.
    let cpu_s = limits.cpu_ms.div_ceil(1000) + 1;
    set_rlimit(libc::RLIMIT_CPU, cpu_s, cpu_s + 1)?;
    set_rlimit(libc::RLIMIT_AS, limits.address_space, limits.address_space)?;
    set_rlimit(libc::RLIMIT_CORE, 0, 0)?;
    set_rlimit(libc::RLIMIT_FSIZE, limits.file_bytes, limits.file_bytes)?;
    if limits.processes > 0 {
        set_rlimit(libc::RLIMIT_NPROC, limits.processes, limits.processes)?;
    }
    Ok(())
}

/// Puts the answer pipe on fd 3. Async-signal-safe.
pub(super) fn attach_answer(answer_fd: Option<RawFd>) -> io::Result<()> {
    if let Some(fd) = answer_fd {
        // SAFETY: plain fd syscalls on descriptors this process owns.
        unsafe {
            if fd == 3 {
                let flags = libc::fcntl(3, libc::F_GETFD);
                libc::fcntl(3, libc::F_SETFD, flags & !libc::FD_CLOEXEC);
            } else if libc::dup2(fd, 3) < 0 {
                return Err(io::Error::last_os_error());
            }
        }
    }
    Ok(())
}

fn set_rlimit(resource: libc::__rlimit_resource_t, soft: u64, hard: u64) -> io::Result<()> {
    let lim = libc::rlimit {
        rlim_cur: soft,
        rlim_max: hard,
    };
    // SAFETY: setrlimit reads a valid struct.
    if unsafe { libc::setrlimit(resource, &raw const lim) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}
