//! One run from start to end: the box planned before the fork, the program spawned into it,
//! watched until it ends, and what the box reported read back into an `Outcome`.

use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::cancel::{cancelled, Cancel};
use super::job::{Exit, Input, Job, Outcome, RunLimits};
use super::pipes::{pipe, Pipes};
use super::pre_exec::{die_with_judge, unboxed_setup};
use super::watch::{kill_group, pidfd_open, wait4, Watch};
use super::{cgroup, counter, isolate, landlock, layers};

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
    let filters = layers.seccomp.as_ref().cloned().unwrap_or_default();
    let rules = exec_rules(job, layers)?;
    let (status_read, status_write) = pipe()?;
    // The new root's mount point: empty on the host, its contents exist only in the box.
    let new_root = match &layers.namespaces {
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
    // fork (see isolate/enter.rs).
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

#[cfg(test)]
mod counted_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Mount, TOOLCHAIN_PATHS};

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
