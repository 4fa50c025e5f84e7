//! Runs a compiled program on many cases in parallel, each in a fresh process and a fresh
//! working directory, under the problem's limits.
//!
//! Invariant: the only async code in the judge; everything it calls is synchronous.

use std::io;
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

use crate::build::launch::Launch;
use crate::cache::Cache;
use crate::problem::spec::{Case, Limits};
use judge_sandbox::{self as sandbox, Cancel, Disk, Input, Job, Outcome, RunLimits};

/// The stdin of a case: its arguments as a JSON array (a generated case's from its file).
pub fn case_input(case: &Case) -> Input {
    match &case.input {
        Some(path) => Input::File(path.clone()),
        None => Input::Bytes(serde_json::to_vec(&case.args).unwrap_or_default()),
    }
}

/// Slack added to the address-space limit for code, stacks and the allocator's arena, so
/// that the memory limit is about the solution's data. MLE is then judged on peak RSS.
const ADDRESS_SPACE_SLACK: u64 = 64 << 20;

/// The sandbox limits for one case of a problem with `limits`, its CPU budget scaled.
pub fn run_limits(limits: &Limits, time_scale: u64) -> RunLimits {
    let cpu_ms = limits.time_ms * time_scale;
    RunLimits {
        cpu_ms,
        // A wall-clock backstop for solutions that sleep or block instead of computing; three
        // times the CPU budget (as DMOJ), so a loaded machine's queueing is not taken for it.
        wall_ms: cpu_ms * 3 + 1000,
        address_space: (limits.memory_mb << 20) + ADDRESS_SPACE_SLACK,
        output_bytes: limits.output_kb << 10,
        // One file can fill the disk, no more (where there is no private disk, this is
        // the only bound on what a case writes).
        file_bytes: limits.disk_mb << 20,
        // The cgroup counts the page cache and the loaded binary too: a little headroom.
        memory_bytes: (limits.memory_mb << 20) + MEMORY_SLACK,
        processes: BOX_PROCESSES,
        disk: Some(disk(limits.disk_mb)),
    }
}

/// A box's disk of `mb` MiB, with an inode for every 16 KiB of it (at least 256): enough
/// files for any honest use, too few to build a tree the judge must fight to remove.
pub fn disk(mb: u64) -> Disk {
    Disk {
        bytes: mb << 20,
        inodes: (mb * 64).max(256),
    }
}

/// Headroom over a problem's memory limit for the box's cgroup (binary, stack, page cache).
const MEMORY_SLACK: u64 = 32 << 20;
/// Processes and threads a case's box may hold at once: enough for a solution that uses a
/// few threads, far too few for a fork or thread bomb to hurt the machine.
pub const BOX_PROCESSES: u64 = 64;

/// The boxes a judge may run at once, shared by every judging of one engine: two judgings
/// side by side take turns for the same cores instead of each using them all.
#[derive(Debug, Clone)]
pub struct Slots(Arc<(Mutex<usize>, Condvar)>);

impl Slots {
    pub fn new(count: usize) -> Slots {
        Slots(Arc::new((Mutex::new(count.max(1)), Condvar::new())))
    }

    /// Waits for a free slot, held until the guard is dropped; `None` once `cancel` is set
    /// (looked at every `CANCEL_CHECK` while waiting).
    pub fn take(&self, cancel: &Cancel) -> Option<SlotGuard> {
        let (free, freed) = &*self.0;
        let mut free = free.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if cancel.is_cancelled() {
                return None;
            }
            if *free > 0 {
                *free -= 1;
                return Some(SlotGuard(self.clone()));
            }
            free = freed
                .wait_timeout(free, CANCEL_CHECK)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }
}

/// How often a wait for a slot looks at its judging's cancel flag (as often as a box does).
const CANCEL_CHECK: Duration = Duration::from_millis(50);

/// A slot held: freed when dropped.
pub struct SlotGuard(Slots);

impl Drop for SlotGuard {
    fn drop(&mut self) {
        let (free, freed) = &*(self.0).0;
        *free.lock().unwrap_or_else(PoisonError::into_inner) += 1;
        freed.notify_one();
    }
}

/// Where and how a batch of runs happens: the shared box slots, the cache that holds the
/// work dirs, and the flag that cancels the batch.
#[derive(Clone, Copy)]
pub struct Runs<'a> {
    pub slots: &'a Slots,
    /// Runs started at once by this batch (at most; they also wait for `slots`).
    pub jobs: usize,
    pub cache: &'a Cache,
    pub cancel: &'a Cancel,
}

/// Runs `binary` once per input (its stdin); results come back in input order.
pub fn run_all(
    binary: &Path,
    inputs: Vec<Input>,
    limits: RunLimits,
    runs: Runs<'_>,
) -> Vec<io::Result<Outcome>> {
    run_all_launched(&Launch::binary(binary), inputs, limits, runs)
}

/// Like `run_all`, for a program a box starts as `launch` says (an interpreter and its
/// files).
pub fn run_all_launched(
    launch: &Launch,
    inputs: Vec<Input>,
    limits: RunLimits,
    runs: Runs<'_>,
) -> Vec<io::Result<Outcome>> {
    run_until(launch, inputs, limits, runs, |_| {}, |_, _| false)
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(io::Error::other("the case was not run"))))
        .collect()
}

/// Like `run_all`, but once `failed(i, outcome)` says case `i` failed, cases after `i` that
/// have not started are not run (`None`); neither are any once `runs.cancel` is set. Cases
/// start in input order, so every case before the first failure is always run: the first
/// failing case, in order, is always known. `started(i)` is told as case `i` is handed to
/// the sandbox. `failed` sees each outcome as it arrives and may trim it (drop what it will
/// never read), so that a judging never holds every case's output at once.
pub fn run_until(
    launch: &Launch,
    inputs: Vec<Input>,
    limits: RunLimits,
    runs: Runs<'_>,
    started: impl Fn(usize),
    failed: impl FnMut(usize, &mut io::Result<Outcome>) -> bool,
) -> Vec<Option<io::Result<Outcome>>> {
    let count = inputs.len();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            return (0..count)
                .map(|_| Some(Err(io::Error::other(e.to_string()))))
                .collect()
        }
    };
    runtime.block_on(run_batch(launch, inputs, limits, runs, started, failed))
}

async fn run_batch(
    launch: &Launch,
    inputs: Vec<Input>,
    limits: RunLimits,
    runs: Runs<'_>,
    started: impl Fn(usize),
    mut failed: impl FnMut(usize, &mut io::Result<Outcome>) -> bool,
) -> Vec<Option<io::Result<Outcome>>> {
    let mut results: Vec<Option<io::Result<Outcome>>> = (0..inputs.len()).map(|_| None).collect();
    let mut pending = inputs.into_iter().enumerate();
    let mut running = tokio::task::JoinSet::new();
    // A case has started once its task holds a box slot: told from here, the runtime's
    // thread, where `started` may run.
    let (slot_taken, mut taken) = tokio::sync::mpsc::unbounded_channel();
    let mut first_failure = usize::MAX;
    loop {
        while running.len() < runs.jobs.max(1) && !runs.cancel.is_cancelled() {
            let Some((i, input)) = pending.next().filter(|(i, _)| *i < first_failure) else {
                break;
            };
            let job = job_for(launch, input);
            let (cache, slots, cancel) =
                (runs.cache.clone(), runs.slots.clone(), runs.cancel.clone());
            let slot_taken = slot_taken.clone();
            running.spawn_blocking(move || {
                let Some(_slot) = slots.take(&cancel) else {
                    return (i, Err(sandbox::cancelled()));
                };
                let _ = slot_taken.send(i);
                (i, run_one(job, limits, &cache, &cancel))
            });
        }
        let done = tokio::select! {
            biased;
            Some(i) = taken.recv() => {
                started(i);
                continue;
            }
            done = running.join_next() => done,
        };
        let Some(done) = done else {
            break;
        };
        // Every case that ran was told started before it is told done.
        while let Ok(i) = taken.try_recv() {
            started(i);
        }
        // A panicked or cancelled run leaves its slot empty; run_all reports it.
        if let Ok((i, mut outcome)) = done {
            if failed(i, &mut outcome) {
                first_failure = first_failure.min(i);
            }
            results[i] = Some(outcome);
        }
    }
    results
}

fn job_for(launch: &Launch, stdin: Input) -> Job {
    // One malloc arena keeps the address space of a multithreaded solution close to what
    // it really uses, so RLIMIT_AS does not fire on reservations.
    let mut env = vec![("MALLOC_ARENA_MAX".into(), "1".into())];
    env.extend(
        launch
            .env
            .iter()
            .filter(|(k, _)| k != "MALLOC_ARENA_MAX")
            .cloned(),
    );
    Job {
        program: launch.program.clone(),
        args: launch.args.clone(),
        env,
        cwd: std::path::PathBuf::new(),
        stdin,
        answer_pipe: true,
        // The box sees the program (and an interpreter's files) and nothing else of the
        // judge's files, and may execute that program alone.
        mounts: launch
            .mounts
            .iter()
            .map(sandbox::Mount::read_only)
            .collect(),
        executables: Some(launch.executables.clone()),
    }
}

/// One run of `binary` on `stdin` in a fresh box, with `event` counted over it when given
/// (`sandbox::run_counted`): a measurement, not a case (`judge complexity`).
pub fn run_measured(
    launch: &Launch,
    stdin: Input,
    limits: RunLimits,
    cache: &Cache,
    cancel: &Cancel,
    event: Option<sandbox::counter::Event>,
) -> io::Result<(Outcome, Option<Result<u64, sandbox::counter::CounterError>>)> {
    let mut job = job_for(launch, stdin);
    let work = WorkDir(cache.temp_dir()?.keep());
    job.cwd.clone_from(&work.0);
    match event {
        Some(event) => sandbox::run_counted(&job, &limits, cancel, event)
            .map(|(outcome, count)| (outcome, Some(count))),
        None => sandbox::run_with_cancel(&job, &limits, cancel).map(|outcome| (outcome, None)),
    }
}

fn run_one(mut job: Job, limits: RunLimits, cache: &Cache, cancel: &Cancel) -> io::Result<Outcome> {
    let work = WorkDir(cache.temp_dir()?.keep());
    job.cwd.clone_from(&work.0);
    sandbox::run_with_cancel(&job, &limits, cancel)
}

/// A case's host work dir, removed without recursion however deep a box nested folders in
/// it (it stays empty when the box has a disk of its own).
struct WorkDir(std::path::PathBuf);

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = sandbox::remove_tree(&self.0);
    }
}
