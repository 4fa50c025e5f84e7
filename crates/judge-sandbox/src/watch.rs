//! The watch over a running box: one poll loop that feeds and drains its pipes while it
//! checks the wall clock, the CPU budget and the cancel flag, and the box's end.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::time::{Duration, Instant};

use super::cancel::Cancel;
use super::cgroup;
use super::job::Exit;
use super::pipes::{set_nonblocking, Pipes};

/// After the process exits, how long to keep draining pipes that something else still holds.
const DRAIN_GRACE: Duration = Duration::from_millis(50);

pub(super) struct Watch<'a> {
    pub(super) pid: libc::pid_t,
    pub(super) pidfd: Option<OwnedFd>,
    /// The run's cgroup: its CPU account covers every process and thread of the box.
    pub(super) cgroup: Option<&'a cgroup::RunCgroup>,
    pub(super) wall: Duration,
    /// The CPU budget: RLIMIT_CPU only counts whole seconds, so the watch kills the process
    /// soon after it spends its budget instead of up to a second later.
    pub(super) cpu_ms: u64,
    /// The most CPU time the watch has seen the box use.
    pub(super) most_cpu_ms: std::cell::Cell<u64>,
    pub(super) start: Instant,
    pub(super) cancel: &'a Cancel,
}

/// How often a running process's CPU time is read.
const CPU_CHECK: Duration = Duration::from_millis(50);
/// Killing only this far past the budget keeps the kernel's own account (wait4's rusage,
/// which decides the verdict) past the budget too, whatever the rounding of /proc ticks.
const CPU_KILL_MARGIN_MS: u64 = 20;

impl Watch<'_> {
    /// Feeds and drains the pipes until the process exits (or is killed) and the pipes close.
    /// Returns (output exceeded, wall clock exceeded, when the box was killed or its exit
    /// was seen).
    pub(super) fn pump(&self, pipes: &mut Pipes<'_>) -> io::Result<(bool, bool, Option<Instant>)> {
        for fd in [&pipes.stdin, &pipes.stdout, &pipes.stderr, &pipes.answer]
            .into_iter()
            .flatten()
        {
            set_nonblocking(fd.as_raw_fd())?;
        }
        let (mut output_exceeded, mut wall_exceeded) = (false, false);
        let mut exited_at: Option<Instant> = None;
        // A box the watch kills ends when it is killed: its pid 1 dies with it and reports
        // no end of its own, and the exit is seen only once the namespace is torn down,
        // after a joined box may have seen the end of its input and ended itself.
        let mut killed_at: Option<Instant> = None;
        loop {
            if exited_at.is_none() && self.has_exited() {
                exited_at = Some(Instant::now());
                // Kill stragglers in the group so they release the pipes.
                kill_group(self.pid);
            }
            if let Some(t) = exited_at {
                if !pipes.readers_open() || t.elapsed() >= DRAIN_GRACE {
                    return Ok((output_exceeded, wall_exceeded, killed_at.or(exited_at)));
                }
            } else if self.start.elapsed() >= self.wall {
                wall_exceeded = true;
                killed_at.get_or_insert_with(Instant::now);
                kill_group(self.pid);
            } else if self.cpu_used_ms() > self.cpu_ms + CPU_KILL_MARGIN_MS
                || self.cancel.is_cancelled()
            {
                killed_at.get_or_insert_with(Instant::now);
                kill_group(self.pid);
            }
            let timeout = match exited_at {
                Some(t) => DRAIN_GRACE.saturating_sub(t.elapsed()),
                // Without a pidfd the exit is noticed by polling.
                None if self.pidfd.is_none() => {
                    Duration::from_millis(5).min(self.wall.saturating_sub(self.start.elapsed()))
                }
                None => CPU_CHECK.min(self.wall.saturating_sub(self.start.elapsed())),
            };
            let mut fds = Vec::with_capacity(5);
            let mut roles = Vec::with_capacity(5);
            let entries = [
                (pipes.stdout.as_ref(), libc::POLLIN, 0usize),
                (pipes.stderr.as_ref(), libc::POLLIN, 1),
                (pipes.answer.as_ref(), libc::POLLIN, 2),
                (pipes.stdin.as_ref(), libc::POLLOUT, 3),
                (
                    self.pidfd.as_ref().filter(|_| exited_at.is_none()),
                    libc::POLLIN,
                    4,
                ),
            ];
            for (fd, events, role) in entries {
                if let Some(fd) = fd {
                    fds.push(libc::pollfd {
                        fd: fd.as_raw_fd(),
                        events,
                        revents: 0,
                    });
                    roles.push(role);
                }
            }
            let ms = timeout.as_millis().min(i32::MAX as u128) as i32;
            // SAFETY: fds is a valid array of pollfd for the duration of the call.
            let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, ms) };
            if n < 0 && io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
                return Err(io::Error::last_os_error());
            }
            for (pfd, role) in fds.iter().zip(roles) {
                if pfd.revents == 0 {
                    continue;
                }
                match role {
                    0..=2 if pipes.read(role) && !output_exceeded => {
                        output_exceeded = true;
                        kill_group(self.pid);
                    }
                    3 => pipes.write_input(),
                    _ => {}
                }
            }
        }
    }

    /// CPU time of the whole box: the cgroup's account, else the process and its
    /// descendants as /proc lists them.
    fn cpu_used_ms(&self) -> u64 {
        let used = match self.cgroup {
            Some(c) => {
                c.sample_memory();
                c.cpu_ms()
            }
            None => tree_cpu_ms(self.pid),
        };
        self.most_cpu_ms.set(self.most_cpu_ms.get().max(used));
        used
    }

    fn has_exited(&self) -> bool {
        // SAFETY: waitid with WNOWAIT only peeks; the zombie stays for wait4.
        unsafe {
            let mut info: libc::siginfo_t = std::mem::zeroed();
            let r = libc::waitid(
                libc::P_PID,
                self.pid as libc::id_t,
                &raw mut info,
                libc::WEXITED | libc::WNOHANG | libc::WNOWAIT,
            );
            r == 0 && info.si_pid() != 0
        }
    }
}

/// CPU time of a process and its descendants (found through /proc/<pid>/task/*/children).
fn tree_cpu_ms(pid: libc::pid_t) -> u64 {
    let mut total = 0;
    let mut todo = vec![pid];
    while let Some(p) = todo.pop() {
        total += process_cpu_ms(p).unwrap_or(0);
        let Ok(tasks) = std::fs::read_dir(format!("/proc/{p}/task")) else {
            continue;
        };
        for task in tasks.flatten() {
            if let Ok(children) = std::fs::read_to_string(task.path().join("children")) {
                todo.extend(
                    children
                        .split_whitespace()
                        .filter_map(|c| c.parse::<libc::pid_t>().ok()),
                );
            }
        }
    }
    total
}

/// CPU time (user + system, all threads) of a running process from /proc/<pid>/stat.
fn process_cpu_ms(pid: libc::pid_t) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces and parentheses; fields resume after the last ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line: 11 and 12 after the name.
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // SAFETY: sysconf has no preconditions.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
    Some(ticks * 1000 / per_second)
}

pub(super) fn kill_group(pid: libc::pid_t) {
    // SAFETY: signalling our own child's process group.
    unsafe {
        libc::kill(-pid, libc::SIGKILL);
    }
}

/// Reaps the child; returns its status and CPU time in ms. Its ru_maxrss is not used: a
/// forked child keeps the judge's own pre-exec high-water mark (see judge_rt::peak_kb).
pub(super) fn wait4(pid: libc::pid_t) -> io::Result<(Exit, u64)> {
    let mut status = 0;
    // SAFETY: rusage is plain data filled by the kernel.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: waiting on our own child with valid out-pointers.
        let r = unsafe { libc::wait4(pid, &raw mut status, 0, &raw mut usage) };
        if r == pid {
            break;
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
    let ms = |t: libc::timeval| t.tv_sec as u64 * 1000 + t.tv_usec as u64 / 1000;
    let cpu = ms(usage.ru_utime) + ms(usage.ru_stime);
    let exit = if libc::WIFSIGNALED(status) {
        Exit::Signal(libc::WTERMSIG(status))
    } else {
        Exit::Code(libc::WEXITSTATUS(status))
    };
    Ok((exit, cpu))
}

pub(super) fn pidfd_open(pid: libc::pid_t) -> Option<OwnedFd> {
    // SAFETY: pidfd_open returns a new fd or -1; older kernels lack it and we fall back.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
    (fd >= 0).then(|| unsafe { OwnedFd::from_raw_fd(fd as RawFd) })
}
