//! Runs one untrusted process (a compiler or a compiled solution) under limits and reports
//! what happened: exit status, CPU time and peak memory of the whole box (from its cgroup:
//! nothing the boxed process writes decides them), whether its disk filled, and its output.
//!
//! Invariant: this is the only module that spawns candidate code. Isolation here is rlimits,
//! a fresh process group, an empty environment and a private working directory; the process
//! group is killed when the run ends, so nothing started by the candidate outlives its case.
//! One poll loop drains stdout, stderr and the answer pipe (fd 3) and feeds stdin, so a
//! process that floods one pipe while the judge waits on another can never hang the judge;
//! it keeps bounded prefixes of stdout and stderr only, so neither can bloat the judge.

mod cgroup;
pub use cgroup::Cgroups;
mod cgroup2;
pub mod counter;
mod isolate;
mod landlock;
pub mod layers;
mod remove;
mod seccomp;

pub use remove::remove_tree;

/// Gives back what the judge set up in a delegated cgroup v2 (its boxes' parent, the leaf it
/// moved the processes of its cgroup into), unless another judge still uses it: called as
/// the judge ends, so the cgroup tree is left as it was found. Nothing on cgroup v1.
pub fn release_cgroups() {
    cgroup2::release();
}

pub use isolate::{in_every_box, Mount, TOOLCHAIN_PATHS};

use std::ffi::OsString;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Changes whenever what a box can see or do changes; part of every compile's cache key.
pub const BOX_VERSION: &str =
    "box-4: namespaces, pivot_root, seccomp, cgroups, landlock exec, descriptors closed, tmpfs disk";

/// Limits for one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunLimits {
    pub cpu_ms: u64,
    pub wall_ms: u64,
    /// Address-space limit (RLIMIT_AS), in bytes.
    pub address_space: u64,
    /// Bytes kept from each of stdout, stderr and the answer; more is an output overflow.
    pub output_bytes: u64,
    /// Largest file the process may write (RLIMIT_FSIZE).
    pub file_bytes: u64,
    /// Memory the box's cgroup may hold (where cgroups are available), in bytes.
    pub memory_bytes: u64,
    /// Processes and threads the box may have at once.
    pub processes: u64,
    /// A private tmpfs for the work dir and /tmp (where namespaces work): the box writes
    /// nothing to the host's disk, and the judge has nothing to remove. `None`: `cwd` is
    /// bound in from the host (compiles, whose output the judge reads back).
    pub disk: Option<Disk>,
}

/// What to run.
#[derive(Debug, Clone)]
pub struct Job {
    pub program: PathBuf,
    pub args: Vec<OsString>,
    pub env: Vec<(OsString, OsString)>,
    /// The run's own, private work dir: the box may write there (and, when the judge is
    /// root, it is handed to the box's uid).
    pub cwd: PathBuf,
    pub stdin: Input,
    /// Open a pipe on fd 3 for the answer.
    pub answer_pipe: bool,
    /// What the box sees besides the system libraries and `cwd` (the program, for one).
    pub mounts: Vec<Mount>,
    /// The only files (or files beneath these directories) the box may execute, where
    /// Landlock works; a listed program's ELF interpreter is allowed with it. `None`: no
    /// restriction beyond the mounts.
    pub executables: Option<Vec<PathBuf>>,
}

/// The size of a box's own disk (its work dir and /tmp together). Its pages are the box's
/// memory too: tmpfs charges them to the writer's cgroup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Disk {
    pub bytes: u64,
    pub inodes: u64,
}

/// What a run reads on stdin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Fed through a pipe by the judge.
    Bytes(Vec<u8>),
    /// A file the judge opens read-only and hands over as fd 0: large inputs never pass
    /// through the judge's memory.
    File(PathBuf),
}

impl Default for Input {
    fn default() -> Input {
        Input::Bytes(Vec::new())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Code(i32),
    Signal(i32),
}

/// What a run did.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub exit: Exit,
    pub cpu_ms: u64,
    pub wall_ms: u64,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub answer: Vec<u8>,
    /// Bytes written to the answer pipe, all of them: `answer` may have been emptied since
    /// (an answer over the output limit, or one the judge already knows is far too long).
    pub answer_bytes: u64,
    pub output_exceeded: bool,
    pub wall_exceeded: bool,
    /// The box's peak memory as its cgroup saw it (all processes), where there is one.
    pub cgroup_peak_bytes: Option<u64>,
    /// The kernel killed the box for exceeding its cgroup memory limit.
    pub memory_exceeded: bool,
    /// The box's disk (`RunLimits::disk`) was full, or out of inodes, when its program ended.
    pub disk_full: bool,
    /// When the program ended: as the box's pid 1 saw it (before the box is taken down,
    /// which takes longer for a box with a disk of its own), else when the judge saw the
    /// box end. Which of two boxes joined by pipes ended first. `None` for an outcome not
    /// run.
    pub ended_at: Option<Instant>,
}

/// Bytes of stdout and of stderr the judge keeps: enough to show, never enough to bloat it.
/// All of it still counts toward the output limit.
pub const KEPT_OUTPUT_BYTES: usize = 64 << 10;

/// After the process exits, how long to keep draining pipes that something else still holds.
const DRAIN_GRACE: Duration = Duration::from_millis(50);

/// A flag that stops runs: once it is set, a run watching it is killed within one watch
/// period (`CPU_CHECK`) and returns an error of kind `Interrupted`, and no new run with it
/// starts. Cheap to clone; every clone sets and sees the same flag.
#[derive(Debug, Clone, Default)]
pub struct Cancel(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl Cancel {
    pub fn cancel(&self) {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// The error of a run that was cancelled (kind `Interrupted`).
pub fn cancelled() -> io::Error {
    io::Error::new(io::ErrorKind::Interrupted, "the run was cancelled")
}

/// Runs `job` in a box under `limits` until it ends.
pub fn run(job: &Job, limits: &RunLimits) -> io::Result<Outcome> {
    run_with_cancel(job, limits, &Cancel::default())
}

/// Like `run`, and the box is killed as soon as `cancel` is set.
///
/// A run whose exec meets ETXTBSY is made again from the start (a new box): a program just
/// written (a compiled binary) can still be open for writing in a sibling box's forked
/// child that has not reached its own exec yet (a fork copies every descriptor,
/// close-on-exec ones too, until that exec). The window is one box's setup, milliseconds,
/// but on a loaded machine a forked child can wait long to be scheduled: retried for up to
/// ten seconds (CI met two seconds passing once, while the machine compiled beside it).
pub fn run_with_cancel(job: &Job, limits: &RunLimits, cancel: &Cancel) -> io::Result<Outcome> {
    run_with_streams(job, limits, cancel, Streams::default())
}

/// Where a box's stdin and stdout go when they are not the judge's own pipes: a whole
/// program's output is its answer (stdin/stdout problems), and an interactive problem joins
/// two boxes by pipes. The descriptors are the caller's; the judge's copies are closed as
/// soon as the box is running, so a box reading from the other sees end of file when the
/// other ends.
#[derive(Debug, Default)]
pub struct Streams {
    /// The box's stdin, instead of `job.stdin`.
    pub stdin: Option<OwnedFd>,
    /// The box's stdout, instead of a pipe the judge drains.
    pub stdout: Option<OwnedFd>,
    /// Without `stdout`: stdout is the answer pipe, kept whole up to the output limit (a
    /// whole program's answer is what it prints); fd 3 is then not opened.
    pub stdout_is_answer: bool,
}

/// Like `run_with_cancel`, with stdin and stdout as `streams` says.
pub fn run_with_streams(
    job: &Job,
    limits: &RunLimits,
    cancel: &Cancel,
    mut streams: Streams,
) -> io::Result<Outcome> {
    retried(|| run_once(job, limits, cancel, &mut streams, None)).map(|(outcome, _)| outcome)
}

/// Like `run_with_cancel`, and counts `event` over the program and every process it starts
/// (`counter.rs`), from its exec to the end of the box: what `judge complexity` measures.
pub fn run_counted(
    job: &Job,
    limits: &RunLimits,
    cancel: &Cancel,
    event: counter::Event,
) -> io::Result<(Outcome, Result<u64, counter::CounterError>)> {
    let mut streams = Streams::default();
    retried(|| run_once(job, limits, cancel, &mut streams, Some(event))).map(|(outcome, count)| {
        (
            outcome,
            count.unwrap_or(Err(counter::CounterError::NotReceived)),
        )
    })
}

/// `run` made again while its exec meets ETXTBSY (see `run_with_cancel`).
fn retried<T>(mut run: impl FnMut() -> io::Result<T>) -> io::Result<T> {
    let mut pause = Duration::from_millis(2);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match run() {
            Err(e) if e.raw_os_error() == Some(libc::ETXTBSY) && Instant::now() < deadline => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(100));
            }
            other => return other,
        }
    }
}

/// A counter's reading, when the run was counted.
type Count = Option<Result<u64, counter::CounterError>>;

fn run_once(
    job: &Job,
    limits: &RunLimits,
    cancel: &Cancel,
    streams: &mut Streams,
    event: Option<counter::Event>,
) -> io::Result<(Outcome, Count)> {
    if cancel.is_cancelled() {
        return Err(cancelled());
    }
    let channel = event.map(counter::Channel::new).transpose()?;
    let attach = channel.as_ref().map(counter::Channel::attach);
    let layers = layers::detect();
    let stdout_is_answer = streams.stdout_is_answer && streams.stdout.is_none();
    let (answer_read, answer_write) = if job.answer_pipe || stdout_is_answer {
        let (r, w) = pipe()?;
        (Some(r), Some(w))
    } else {
        (None, None)
    };
    let cgroup = match &layers.cgroups {
        Ok(cgroups) => Some(cgroups.create(limits.memory_bytes, limits.processes)?),
        Err(_) => None,
    };
    let procs = cgroup
        .as_ref()
        .map(|c| c.procs_files.clone())
        .unwrap_or_default();
    // Empty only when the layer is missing, which every report and `judge doctor` say.
    let filters = layers.seccomp.clone().unwrap_or_default();
    let rules = exec_rules(job, layers)?;
    let (status_read, status_write) = pipe()?;
    // The new root's mount point: empty on the host, its contents exist only in the box.
    let new_root = match layers.namespaces {
        Ok(()) => Some(
            tempfile::Builder::new()
                .prefix(".box-root")
                .tempdir_in(job.cwd.parent().unwrap_or(&job.cwd))?,
        ),
        Err(_) => None,
    };
    let plan = match &new_root {
        Some(new_root) => {
            if layers.root && limits.disk.is_none() {
                // The box runs as an unprivileged uid; its work dir must be its own.
                std::os::unix::fs::chown(&job.cwd, Some(isolate::BOX_UID), Some(isolate::BOX_GID))?;
            }
            Some(isolate::BoxPlan::new(
                isolate::Setup {
                    root: layers.root,
                    new_root: new_root.path(),
                    workdir: &job.cwd,
                    disk: limits.disk,
                    mounts: &job.mounts,
                    exec_rules: rules.clone(),
                },
                procs.clone(),
                filters.clone(),
                status_write.as_raw_fd(),
            )?)
        }
        None => None,
    };
    let mut cmd = Command::new(&job.program);
    cmd.args(&job.args)
        .env_clear()
        .envs(job.env.iter().map(|(k, v)| (k, v)))
        .current_dir(&job.cwd)
        .stdin(match (&streams.stdin, &job.stdin) {
            (Some(fd), _) => Stdio::from(fd.try_clone()?),
            (None, Input::Bytes(_)) => Stdio::piped(),
            (None, Input::File(path)) => Stdio::from(std::fs::File::open(path)?),
        })
        .stdout(match (&streams.stdout, &answer_write) {
            (Some(fd), _) => Stdio::from(fd.try_clone()?),
            (None, Some(answer)) if stdout_is_answer => Stdio::from(answer.try_clone()?),
            _ => Stdio::piped(),
        })
        .stderr(Stdio::piped())
        .process_group(0);
    let mut limits_copy = *limits;
    if cgroup.is_some() || !layers.root {
        // RLIMIT_NPROC counts every process of the box's uid on the whole machine: boxes
        // sharing a uid would starve each other (a fork bomb in one fails the next one's
        // fork), and without root that uid is the user's own. The box's pids cgroup limits
        // its processes instead.
        limits_copy.processes = 0;
    }
    let answer_fd = answer_write
        .as_ref()
        .filter(|_| !stdout_is_answer)
        .map(AsRawFd::as_raw_fd);
    // SAFETY: both closures only make async-signal-safe calls on data prepared before the
    // fork (see isolate.rs).
    let judge_pid = std::process::id() as libc::pid_t;
    unsafe {
        match plan {
            Some(plan) => cmd.pre_exec(move || {
                die_with_judge(judge_pid)?;
                if let Some(attach) = attach {
                    attach.send();
                }
                isolate::enter(&plan, &limits_copy, answer_fd)
            }),
            None => cmd.pre_exec(move || {
                die_with_judge(judge_pid)?;
                if let Some(attach) = attach {
                    attach.send();
                }
                unboxed_setup(&procs, &filters, rules.as_ref(), &limits_copy, answer_fd)
            }),
        };
    }
    let mut child = cmd.spawn()?;
    // Sent by the child before it built the box, so it is there now.
    let counter = channel.map(counter::Channel::receive);
    // spawn returns once the program is exec'd (std waits for its close-on-exec pipe, which
    // M and A close): building the box is the judge's time, not the program's. Under load
    // (a test suite's judges side by side) namespaces and mounts can take seconds to make,
    // which, counted, would turn a 92 ms case into a wall-clock TLE.
    let start = Instant::now();
    // The box holds its own copies now: the judge's would keep a pipe between two boxes
    // open after the writer ended (and the command's copies with them).
    drop(cmd);
    streams.stdin = None;
    streams.stdout = None;
    drop(answer_write);
    drop(status_write);
    let pid = child.id() as libc::pid_t;
    let child_stdin_piped = child.stdin.is_some();
    let mut pipes = Pipes {
        stdin: child.stdin.take().map(OwnedFd::from),
        stdout: child.stdout.take().map(OwnedFd::from),
        stderr: child.stderr.take().map(OwnedFd::from),
        answer: answer_read,
        input: match &job.stdin {
            Input::Bytes(bytes) if child_stdin_piped => bytes,
            _ => &[],
        },
        written: 0,
        out: [Vec::new(), Vec::new(), Vec::new()],
        seen: [0; 3],
        cap: limits.output_bytes,
    };
    let watch = Watch {
        pid,
        pidfd: pidfd_open(pid),
        cgroup: cgroup.as_ref(),
        wall: Duration::from_millis(limits.wall_ms),
        cpu_ms: limits.cpu_ms,
        most_cpu_ms: std::cell::Cell::new(0),
        start,
        cancel,
    };
    let (output_exceeded, wall_exceeded, ended_at) = watch.pump(&mut pipes)?;
    let watched_cpu_ms = watch.most_cpu_ms.get();
    // The child is a zombie now (or was killed): its pid cannot be reused until reaped, so
    // killing its group here cannot hit a stranger.
    kill_group(pid);
    let (status, rusage_cpu_ms) = wait4(pid)?;
    drop(child);
    if cancel.is_cancelled() {
        return Err(cancelled());
    }
    let wall_ms = start.elapsed().as_millis() as u64;
    let report = isolate::read_status(&read_all(status_read));
    if let Some(why) = report.setup_failed {
        return Err(io::Error::other(why));
    }
    let exit = report.status.map_or(status, decode_status);
    let disk_full = limits.disk.is_some_and(|disk| report.disk_full(disk));
    // B's end as its pid 1 saw it, else as the watch saw the box end.
    let ended_at = match (report.ended_seconds, report.ended_nanos) {
        (Some(seconds), Some(nanos)) => monotonic_instant(seconds, nanos).or(ended_at),
        _ => ended_at,
    };
    let usage = cgroup.as_ref().map(cgroup::RunCgroup::usage);
    drop(cgroup);
    // The box is gone (its pid 1 reaped every process before M reaped it): every count is in.
    let count = counter.map(|c| c.and_then(|c| c.read()));
    let answer_bytes = pipes.seen[2];
    let [stdout, stderr, answer] = pipes.out;
    let outcome = Outcome {
        exit,
        // Without a cgroup, the CPU of box processes killed before their parent reaped them
        // is in no rusage: what the watch last saw of them still counts (a box stopped by
        // the CPU watch is then a time limit, not a crash).
        cpu_ms: rusage_cpu_ms
            .max(usage.map_or(0, |u| u.cpu_ms))
            .max(watched_cpu_ms),
        wall_ms,
        stdout,
        stderr,
        answer,
        answer_bytes,
        output_exceeded,
        wall_exceeded,
        cgroup_peak_bytes: usage.map(|u| u.peak_bytes),
        memory_exceeded: usage.is_some_and(|u| u.oom_killed),
        disk_full,
        ended_at,
    };
    Ok((outcome, count))
}

/// The `Instant` of a CLOCK_MONOTONIC reading (std's `Instant` reads the same clock, but
/// cannot be made from one): now, less how long ago the reading was.
fn monotonic_instant(seconds: i64, nanos: i64) -> Option<Instant> {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    let instant = Instant::now();
    // SAFETY: clock_gettime fills the timespec it is given.
    if unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &raw mut now) } != 0 {
        return None;
    }
    let ago_ns = (i128::from(now.tv_sec) - i128::from(seconds)) * 1_000_000_000
        + (i128::from(now.tv_nsec) - i128::from(nanos));
    let ago = Duration::from_nanos(u64::try_from(ago_ns).ok()?);
    instant.checked_sub(ago)
}

/// The Landlock rules a job's box enforces, when it names its executables and this kernel
/// has Landlock. A failure to enforce them fails the run (the box reports the step): a box
/// never runs with less isolation than `doctor` reports.
fn exec_rules(job: &Job, layers: &layers::Layers) -> io::Result<Option<landlock::ExecRules>> {
    match (&job.executables, layers.landlock_abi) {
        (Some(allowed), Some(abi)) => landlock::ExecRules::new(abi, allowed).map(Some),
        _ => Ok(None),
    }
}

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
pub(crate) unsafe fn cloexec_from(first: libc::c_uint) -> libc::c_int {
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
pub(crate) unsafe fn close_inherited(answer: bool) -> libc::c_int {
    cloexec_from(if answer { 4 } else { 3 })
}

fn read_all(fd: OwnedFd) -> Vec<u8> {
    use std::io::Read;
    let mut bytes = Vec::new();
    let _ = std::fs::File::from(fd).read_to_end(&mut bytes);
    bytes
}

fn decode_status(raw: i32) -> Exit {
    if libc::WIFSIGNALED(raw) {
        Exit::Signal(libc::WTERMSIG(raw))
    } else {
        Exit::Code(libc::WEXITSTATUS(raw))
    }
}

/// Makes the forked child die when the judge does (a judge killed mid-case must not leave
/// its case running: the watch that would kill it died with the judge). The kernel sends
/// SIGKILL when the forking thread exits, and that thread waits for the child, so only the
/// judge's death sends it. The check after it closes the race with a judge that died first.
/// Async-signal-safe.
fn die_with_judge(judge_pid: libc::pid_t) -> io::Result<()> {
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
fn unboxed_setup(
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
pub(crate) fn set_limits(limits: &RunLimits) -> io::Result<()> {
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
pub(crate) fn attach_answer(answer_fd: Option<RawFd>) -> io::Result<()> {
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

struct Pipes<'a> {
    stdin: Option<OwnedFd>,
    stdout: Option<OwnedFd>,
    stderr: Option<OwnedFd>,
    answer: Option<OwnedFd>,
    input: &'a [u8],
    written: usize,
    out: [Vec<u8>; 3],
    /// Bytes read from each pipe, kept or not.
    seen: [u64; 3],
    cap: u64,
}

impl Pipes<'_> {
    fn readers_open(&self) -> bool {
        self.stdout.is_some() || self.stderr.is_some() || self.answer.is_some()
    }

    /// Reads what is available on output pipe `i`; returns true when the cap was passed.
    fn read(&mut self, i: usize) -> bool {
        let slot = match i {
            0 => &mut self.stdout,
            1 => &mut self.stderr,
            _ => &mut self.answer,
        };
        let Some(fd) = slot.as_ref() else {
            return false;
        };
        #[expect(
            clippy::large_stack_arrays,
            reason = "64 KiB on a judge thread's stack of megabytes, with no allocation per read"
        )]
        let mut buf = [0u8; 65536];
        loop {
            // SAFETY: reading into a local buffer from an fd we own.
            let n = unsafe { libc::read(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
            if n > 0 {
                self.seen[i] += n as u64;
                // The answer is kept whole (up to the cap) to be checked; stdout and stderr
                // only as far as anyone will read them.
                let keep = if i == 2 {
                    self.cap as usize + 1
                } else {
                    KEPT_OUTPUT_BYTES
                };
                let out = &mut self.out[i];
                let room = keep.saturating_sub(out.len());
                out.extend_from_slice(&buf[..(n as usize).min(room)]);
                if self.seen[i] > self.cap {
                    *slot = None;
                    if i == 2 {
                        // An answer over the limit decides nothing: none of it is kept.
                        // (Prefixes of stdout and stderr stay, to be shown.)
                        self.out[i] = Vec::new();
                    }
                    return true;
                }
                continue;
            }
            if n == 0 {
                *slot = None;
                return false;
            }
            match io::Error::last_os_error().kind() {
                // A signal came first: read again.
                io::ErrorKind::Interrupted => {}
                io::ErrorKind::WouldBlock => return false,
                _ => {
                    *slot = None;
                    return false;
                }
            }
        }
    }

    fn write_input(&mut self) {
        let Some(fd) = self.stdin.as_ref() else {
            return;
        };
        let rest = &self.input[self.written..];
        if rest.is_empty() {
            self.stdin = None;
            return;
        }
        // SAFETY: writing from a live slice to an fd we own.
        let n = unsafe { libc::write(fd.as_raw_fd(), rest.as_ptr().cast(), rest.len().min(65536)) };
        if n > 0 {
            self.written += n as usize;
            if self.written == self.input.len() {
                self.stdin = None;
            }
        } else if io::Error::last_os_error().kind() != io::ErrorKind::WouldBlock {
            // The process closed stdin or died: it will not read the rest.
            self.stdin = None;
        }
    }
}

struct Watch<'a> {
    pid: libc::pid_t,
    pidfd: Option<OwnedFd>,
    /// The run's cgroup: its CPU account covers every process and thread of the box.
    cgroup: Option<&'a cgroup::RunCgroup>,
    wall: Duration,
    /// The CPU budget: RLIMIT_CPU only counts whole seconds, so the watch kills the process
    /// soon after it spends its budget instead of up to a second later.
    cpu_ms: u64,
    /// The most CPU time the watch has seen the box use.
    most_cpu_ms: std::cell::Cell<u64>,
    start: Instant,
    cancel: &'a Cancel,
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
    fn pump(&self, pipes: &mut Pipes<'_>) -> io::Result<(bool, bool, Option<Instant>)> {
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

fn kill_group(pid: libc::pid_t) {
    // SAFETY: signalling our own child's process group.
    unsafe {
        libc::kill(-pid, libc::SIGKILL);
    }
}

/// Reaps the child; returns its status and CPU time in ms. Its ru_maxrss is not used: a
/// forked child keeps the judge's own pre-exec high-water mark (see judge_rt::peak_kb).
fn wait4(pid: libc::pid_t) -> io::Result<(Exit, u64)> {
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

/// A pipe, both ends close-on-exec (a box gets its end as stdin or stdout).
pub fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    // SAFETY: pipe2 fills two fds that we then own.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: both fds were just created and are owned by nobody else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

fn set_nonblocking(fd: RawFd) -> io::Result<()> {
    // SAFETY: fcntl on an fd we own.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        if flags < 0 || libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) < 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

fn pidfd_open(pid: libc::pid_t) -> Option<OwnedFd> {
    // SAFETY: pidfd_open returns a new fd or -1; older kernels lack it and we fall back.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
    (fd >= 0).then(|| unsafe { OwnedFd::from_raw_fd(fd as RawFd) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str, limits: RunLimits) -> Outcome {
        sh_with(script, limits, Input::Bytes(b"hello".to_vec()))
    }

    fn sh_with(script: &str, limits: RunLimits, stdin: Input) -> Outcome {
        let work = tempfile::tempdir().unwrap();
        let job = Job {
            program: "/bin/sh".into(),
            args: vec!["-c".into(), script.into()],
            env: vec![("PATH".into(), "/usr/bin:/bin".into())],
            cwd: work.path().to_path_buf(),
            stdin,
            answer_pipe: true,
            // A shell and its tools live where a compiler's do.
            mounts: TOOLCHAIN_PATHS.iter().map(Mount::read_only).collect(),
            executables: None,
        };
        run(&job, &limits).unwrap()
    }

    const LIMITS: RunLimits = RunLimits {
        cpu_ms: 1000,
        wall_ms: 2000,
        address_space: 1 << 30,
        output_bytes: 1 << 16,
        file_bytes: 1 << 20,
        memory_bytes: 256 << 20,
        processes: 64,
        disk: None,
    };

    #[test]
    fn a_program_still_open_for_writing_elsewhere_runs_once_it_is_closed() {
        // As a sibling box's forked child holds a just-written binary until its own exec.
        let dir = tempfile::tempdir().unwrap();
        let program = dir.path().join("prog");
        std::fs::copy("/bin/true", &program).unwrap();
        let writer = std::fs::OpenOptions::new()
            .write(true)
            .open(&program)
            .unwrap();
        let closer = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            drop(writer);
        });
        let work = tempfile::tempdir().unwrap();
        let job = Job {
            program: program.clone(),
            args: Vec::new(),
            env: Vec::new(),
            cwd: work.path().to_path_buf(),
            stdin: Input::default(),
            answer_pipe: false,
            mounts: vec![Mount::read_only(&program)],
            executables: None,
        };
        let o = run(&job, &LIMITS).expect("run once the writer is gone, not ETXTBSY");
        assert_eq!(o.exit, Exit::Code(0));
        closer.join().unwrap();
    }

    #[test]
    fn captures_all_three_streams_and_stdin() {
        let o = sh("cat; echo err >&2; echo 42 >&3", LIMITS);
        assert_eq!(o.exit, Exit::Code(0));
        assert_eq!(o.stdout, b"hello");
        assert_eq!(o.stderr, b"err\n");
        assert_eq!(o.answer, b"42\n");
    }

    #[test]
    fn stdin_can_be_a_file_the_box_cannot_see() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("case.stdin");
        std::fs::write(&input, "[1, 2, 3]").unwrap();
        let script = format!("cat; test -e {} && echo visible >&2", input.display());
        let o = sh_with(&script, LIMITS, Input::File(input));
        assert_eq!(o.stdout, b"[1, 2, 3]");
        if layers::detect().namespaces.is_ok() {
            assert_eq!(o.stderr, b"", "the box sees the host's input file");
        }
    }

    #[test]
    fn wall_clock_kills_a_sleeper_and_its_children() {
        let o = sh(
            "sleep 30 & sleep 30",
            RunLimits {
                wall_ms: 200,
                ..LIMITS
            },
        );
        assert!(o.wall_exceeded);
        assert_eq!(o.exit, Exit::Signal(libc::SIGKILL));
        assert!(o.wall_ms < 2000, "{}", o.wall_ms);
    }

    #[test]
    fn endless_output_is_cut_and_flagged() {
        let o = sh("yes", LIMITS);
        assert!(o.output_exceeded);
        assert!(o.stdout.len() as u64 <= LIMITS.output_bytes + 1);
        // What was printed first is kept to be shown.
        assert!(
            o.stdout.starts_with(b"y\ny\n"),
            "{:?}",
            &o.stdout[..o.stdout.len().min(8)]
        );
    }

    #[test]
    fn exit_codes_and_environment() {
        let o = sh("test -z \"$HOME\" && exit 7", LIMITS);
        assert_eq!(o.exit, Exit::Code(7));
    }
}
