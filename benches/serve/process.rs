//! This process as the subreaper of everything it starts: the CPU its children used, orphans
//! reaped, and a process's own CPU and memory from /proc.

use std::process::Child;

/// CPU seconds of every child (and orphan) this process has reaped.
pub(crate) fn children_cpu_s() -> f64 {
    // SAFETY: rusage is plain data filled by the kernel.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: a valid out-pointer.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &raw mut usage) };
    let s = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    s(usage.ru_utime) + s(usage.ru_stime)
}

/// Reaps orphaned boxes handed to this subreaper. Only called when no child this program
/// waits for by its pid is running.
pub(crate) fn reap_orphans() {
    loop {
        let mut status = 0;
        // SAFETY: waiting on any child, without blocking.
        let pid = unsafe { libc::waitpid(-1, &raw mut status, libc::WNOHANG) };
        if pid <= 0 {
            return;
        }
    }
}

/// A process's own CPU in seconds, utime + stime from /proc/PID/stat (clock ticks; its
/// children's are apart, in cutime and cstime).
pub(crate) fn proc_own_cpu(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<f64> = stat[stat.rfind(')')? + 2..]
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0.0))
        .collect();
    // SAFETY: sysconf has no preconditions.
    let tick = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    Some((fields.get(11)? + fields.get(12)?) / tick)
}

pub(crate) fn proc_status_kb(pid: u32, key: &str) -> Option<u64> {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()?
        .lines()
        .find(|l| l.starts_with(key))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Waits until `child` exits and leaves it unreaped, so that /proc still shows its totals.
pub(crate) fn wait_unreaped(child: &Child) {
    loop {
        // SAFETY: siginfo is plain data; WNOWAIT leaves the zombie for `Child::wait`.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        let r = unsafe {
            libc::waitid(
                libc::P_PID,
                child.id(),
                &raw mut info,
                libc::WEXITED | libc::WNOWAIT,
            )
        };
        if r == 0 || std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            return;
        }
    }
}
