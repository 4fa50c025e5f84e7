//! A cgroup per run: a memory limit the kernel enforces (OOM kill -> MLE), a pids limit (fork
//! and thread bombs), CPU time summed over every process and thread of the box, and the
//! box's peak memory. cgroup v2 where /sys/fs/cgroup is the unified hierarchy (`cgroup2`
//! finds and sets up the cgroup the judge may manage there), else v1 (this project's
//! machines mount v1 with memory, pids and cpuacct).

use std::ffi::CString;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::cgroup2::{self, DelegationError};

/// Where the judge's cgroups live on this machine.
#[derive(Debug, Clone)]
pub enum Cgroups {
    /// One directory under which memory, pids and CPU are all controlled.
    V2 { parent: PathBuf },
    /// One parent directory per controller hierarchy.
    V1 {
        memory: PathBuf,
        pids: PathBuf,
        cpuacct: PathBuf,
    },
}

/// One run's cgroup (one directory per hierarchy); removed when dropped.
pub struct RunCgroup {
    kind: Cgroups,
    dirs: Vec<PathBuf>,
    /// The `cgroup.procs` files a box process writes its pid into before it forks.
    pub procs_files: Vec<CString>,
    /// The highest `memory.current` seen by `sample_memory`, for kernels without
    /// `memory.peak` (before Linux 5.19).
    sampled_peak: AtomicU64,
}

/// What a run's cgroup measured.
#[derive(Debug, Clone, Copy, Default)]
pub struct Usage {
    pub cpu_ms: u64,
    pub peak_bytes: u64,
    /// The kernel killed a process of the box for want of memory.
    pub oom_killed: bool,
}

const GROUP: &str = "judge";

/// The number in the next run cgroup's name.
static NEXT: AtomicU64 = AtomicU64::new(0);

impl Cgroups {
    /// Finds (and creates) the judge's parent cgroups, or says in one line why there are
    /// none and what to change.
    pub fn open() -> Result<Cgroups, CgroupError> {
        let found = Cgroups::find()?;
        // A parent that exists is not enough (a judge run as root may have made it for
        // itself): only making a run's cgroup shows this user may.
        if let Err(source) = found.create(16 << 20, 4) {
            return Err(match found {
                Cgroups::V2 { parent } => {
                    cgroup2::release();
                    CgroupError::V2Box { parent, source }
                }
                Cgroups::V1 { memory, .. } => CgroupError::v1(memory, source),
            });
        }
        if let Cgroups::V1 { .. } = found {
            // (cgroup v2 sweeps while it sets up, under its lock.)
            found.sweep_stale(std::time::Duration::from_hours(1));
        }
        Ok(found)
    }

    /// Which cgroups the boxes get, in words for `judge doctor`.
    pub fn describe(&self) -> String {
        match self {
            Cgroups::V2 { parent } => format!(
                "cgroup v2, one per box under {} (in {})",
                parent.display(),
                cgroup2::held_place().unwrap_or_else(|| "a cgroup set up earlier".into())
            ),
            Cgroups::V1 { memory, .. } => format!(
                "cgroup v1 memory, pids and cpuacct, one per box under {}",
                memory.display()
            ),
        }
    }

    /// The parent directory in each hierarchy.
    fn parents(&self) -> Vec<&PathBuf> {
        match self {
            Cgroups::V2 { parent } => vec![parent],
            Cgroups::V1 {
                memory,
                pids,
                cpuacct,
            } => vec![memory, pids, cpuacct],
        }
    }

    /// Removes run cgroups left behind by judges killed before they could (SIGKILL), so
    /// they do not pile up.
    fn sweep_stale(&self, age: std::time::Duration) {
        for parent in self.parents() {
            sweep(parent, age);
        }
    }

    fn find() -> Result<Cgroups, CgroupError> {
        if Path::new(cgroup2::MOUNT)
            .join("cgroup.controllers")
            .is_file()
        {
            return Ok(Cgroups::V2 {
                parent: cgroup2::open()?,
            });
        }
        let v1 = |controller: &'static str| {
            let root = Path::new("/sys/fs/cgroup").join(controller);
            if !root.join("cgroup.procs").is_file() {
                return Err(CgroupError::V1NotMounted { controller, root });
            }
            let dir = root.join(GROUP);
            match std::fs::create_dir_all(&dir) {
                Ok(()) => Ok(dir),
                Err(source) => Err(CgroupError::v1(root, source)),
            }
        };
        Ok(Cgroups::V1 {
            memory: v1("memory")?,
            pids: v1("pids")?,
            cpuacct: v1("cpuacct")?,
        })
    }

    /// A fresh cgroup for one run, limited to `memory_bytes` and `pids` tasks.
    pub fn create(&self, memory_bytes: u64, pids: u64) -> std::io::Result<RunCgroup> {
        let run = self.make_dirs()?;
        match self {
            Cgroups::V2 { .. } => {
                let dir = &run.dirs[0];
                write(dir, "memory.max", memory_bytes)?;
                // No swap: a box over its limit is killed, not slowed down (absent where the
                // kernel accounts no swap).
                let _ = write(dir, "memory.swap.max", 0);
                // An OOM kill takes the whole box, not one of its processes (Linux 4.19+).
                let _ = write(dir, "memory.oom.group", 1);
                write(dir, "pids.max", pids)?;
            }
            Cgroups::V1 { .. } => {
                write(&run.dirs[0], "memory.limit_in_bytes", memory_bytes)?;
                let _ = write(&run.dirs[0], "memory.memsw.limit_in_bytes", memory_bytes);
                write(&run.dirs[1], "pids.max", pids)?;
            }
        }
        Ok(run)
    }

    /// The run's directories, under a name no other run has. A name can already be taken:
    /// a judge killed with SIGKILL leaves its run cgroups behind, and its pid comes back, in
    /// a later process or in another container sharing this cgroup hierarchy (CI met this
    /// as EEXIST). Such a directory is never removed here: it may be another live judge's.
    fn make_dirs(&self) -> std::io::Result<RunCgroup> {
        let parents = self.parents();
        let mut attempts = 0;
        'names: loop {
            let name = run_name(NEXT.fetch_add(1, Ordering::Relaxed));
            // Dropping a half-made run removes the directories it did make.
            let mut run = RunCgroup {
                kind: self.clone(),
                dirs: Vec::new(),
                procs_files: Vec::new(),
                sampled_peak: AtomicU64::new(0),
            };
            for parent in &parents {
                let dir = parent.join(&name);
                match std::fs::create_dir(&dir) {
                    Ok(()) => run.dirs.push(dir.clone()),
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempts < 16 => {
                        attempts += 1;
                        continue 'names;
                    }
                    Err(e) => return Err(e),
                }
                let procs = CString::new(
                    dir.join("cgroup.procs")
                        .into_os_string()
                        .into_encoded_bytes(),
                )
                .map_err(std::io::Error::other)?;
                run.procs_files.push(procs);
            }
            return Ok(run);
        }
    }
}

/// Removes the `run-*` cgroups under `parent` that have no process and are older than
/// `age`. A run's cgroup lives for one box, seconds; one that still has a process cannot be
/// removed anyway (EBUSY).
///
/// A cgroup file system dates a directory when the kernel first looks it up, not when it
/// was made (the dates of the v1 hierarchy move when its inode is evicted and read again):
/// the age seen is never more than the real one, so this errs towards keeping.
fn sweep(parent: &Path, age: std::time::Duration) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for dir in entries.flatten().map(|e| e.path()) {
        let is_run = dir
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("run-"));
        let old = std::fs::metadata(&dir)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|elapsed| elapsed > age);
        let empty = std::fs::read_to_string(dir.join("cgroup.procs"))
            .is_ok_and(|procs| procs.trim().is_empty());
        if is_run && old && empty {
            let _ = std::fs::remove_dir(&dir);
        }
    }
}

/// A run cgroup's name: this process's pid, a number drawn once per process (pids repeat
/// across containers and reboots), and a counter.
fn run_name(n: u64) -> String {
    static SALT: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    let salt = SALT.get_or_init(|| {
        let mut bytes = [0u8; 4];
        // SAFETY: getrandom writes at most `bytes.len()` bytes into the buffer.
        let got = unsafe { libc::getrandom(bytes.as_mut_ptr().cast(), bytes.len(), 0) };
        if got == 4 {
            u32::from_ne_bytes(bytes)
        } else {
            // No randomness: the clock still differs between two processes with one pid.
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos())
        }
    });
    format!("run-{}-{salt:08x}-{n}", std::process::id())
}

impl RunCgroup {
    /// CPU time used so far by every process and thread of the box.
    pub fn cpu_ms(&self) -> u64 {
        match self.kind {
            Cgroups::V2 { .. } => {
                read_key(&self.dirs[0], "cpu.stat", "usage_usec").map_or(0, |us| us / 1000)
            }
            Cgroups::V1 { .. } => {
                read_number(&self.dirs[2], "cpuacct.usage").map_or(0, |ns| ns / 1_000_000)
            }
        }
    }

    /// Notes the box's memory now, where the kernel keeps no peak of its own (cgroup v2
    /// before Linux 5.19): the watch calls it every period, so the peak is sampled.
    pub fn sample_memory(&self) {
        if let Cgroups::V2 { .. } = self.kind {
            if !self.dirs[0].join("memory.peak").exists() {
                let now = read_number(&self.dirs[0], "memory.current").unwrap_or(0);
                self.sampled_peak.fetch_max(now, Ordering::Relaxed);
            }
        }
    }

    pub fn usage(&self) -> Usage {
        let (peak_bytes, oom_killed) = match self.kind {
            Cgroups::V2 { .. } => (
                read_number(&self.dirs[0], "memory.peak").unwrap_or_else(|| {
                    self.sample_memory();
                    self.sampled_peak.load(Ordering::Relaxed)
                }),
                read_key(&self.dirs[0], "memory.events", "oom_kill").unwrap_or(0) > 0,
            ),
            Cgroups::V1 { .. } => (
                read_number(&self.dirs[0], "memory.max_usage_in_bytes").unwrap_or(0),
                read_key(&self.dirs[0], "memory.oom_control", "oom_kill").unwrap_or(0) > 0
                    || read_number(&self.dirs[0], "memory.failcnt").unwrap_or(0) > 0
                        && read_number(&self.dirs[0], "memory.max_usage_in_bytes")
                            >= read_number(&self.dirs[0], "memory.limit_in_bytes"),
            ),
        };
        Usage {
            cpu_ms: self.cpu_ms(),
            peak_bytes,
            oom_killed,
        }
    }

    /// Kills every process still in the box.
    pub fn kill_all(&self) {
        for dir in &self.dirs {
            if let Ok(text) = std::fs::read_to_string(dir.join("cgroup.procs")) {
                for pid in text
                    .lines()
                    .filter_map(|l| l.trim().parse::<libc::pid_t>().ok())
                {
                    // SAFETY: signalling a process of this run's own cgroup.
                    unsafe {
                        libc::kill(pid, libc::SIGKILL);
                    }
                }
            }
        }
    }
}

impl Drop for RunCgroup {
    fn drop(&mut self) {
        if let Cgroups::V2 { .. } = self.kind {
            // Every process at once, forks in flight included (Linux 5.14+).
            let _ = write(&self.dirs[0], "cgroup.kill", 1);
        }
        self.kill_all();
        for dir in &self.dirs {
            // A cgroup can be removed once its last process is gone, which takes a moment
            // after SIGKILL.
            for _ in 0..200 {
                if std::fs::remove_dir(dir).is_ok() || !dir.exists() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        }
    }
}

fn write(dir: &Path, file: &str, value: u64) -> std::io::Result<()> {
    std::fs::write(dir.join(file), value.to_string())
}

fn read_number(dir: &Path, file: &str) -> Option<u64> {
    std::fs::read_to_string(dir.join(file))
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// The value of `key` in a flat keyed file (`key value` per line).
fn read_key(dir: &Path, file: &str, key: &str) -> Option<u64> {
    std::fs::read_to_string(dir.join(file))
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix(key)?.trim().parse().ok())
}

/// Why the boxes get no cgroup here; its words say what to change, in one line.
#[derive(Debug, thiserror::Error)]
pub enum CgroupError {
    /// cgroup v2, but the judge's cgroup cannot be delegated to it.
    #[error(transparent)]
    Delegation(#[from] DelegationError),
    /// Delegation worked, but a box's cgroup cannot be made under it.
    #[error("cgroup v2: cannot set up a box's cgroup under {}: {source}", .parent.display())]
    V2Box {
        parent: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "cgroup v1: no {controller} hierarchy is mounted at {}: mount it (or boot with the \
         unified cgroup v2 hierarchy)",
        .root.display()
    )]
    V1NotMounted {
        controller: &'static str,
        root: PathBuf,
    },
    /// The judge cannot make its cgroup in the v1 hierarchy at `root`.
    #[error("{}", v1_refusal(.root, *.uid, .source))]
    V1Refused {
        root: PathBuf,
        uid: u32,
        #[source]
        source: std::io::Error,
    },
}

impl CgroupError {
    fn v1(root: PathBuf, source: std::io::Error) -> CgroupError {
        // SAFETY: geteuid has no preconditions.
        let uid = unsafe { libc::geteuid() };
        CgroupError::V1Refused { root, uid, source }
    }
}

/// Why the judge cannot make its cgroup in the v1 hierarchy at `root`, and what to change.
fn v1_refusal(root: &Path, uid: u32, e: &std::io::Error) -> String {
    match e.raw_os_error() {
        Some(libc::EACCES | libc::EPERM) if uid != 0 => format!(
            "cgroup v1: uid {uid} may not create cgroups in {} (the v1 hierarchies are root's): \
             run the judge as root, or on a cgroup v2 host in a delegated cgroup",
            root.display()
        ),
        Some(libc::EROFS) => format!(
            "cgroup v1: {} is mounted read-only: mount it read-write (in a container: \
             --privileged, or a writable bind of /sys/fs/cgroup)",
            root.display()
        ),
        _ => format!(
            "cgroup v1: cannot create a cgroup in {}: {e}",
            root.display()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_cgroup_left_behind_under_the_same_name_is_stepped_over() {
        let Ok(cgroups) = Cgroups::open() else {
            eprintln!("SKIPPED: no cgroups this user may create here");
            return;
        };
        let parents = cgroups.parents();
        // What a killed judge with this pid would have left: the next few names taken.
        let next = NEXT.load(Ordering::Relaxed);
        let stale: Vec<PathBuf> = (next..next + 4)
            .flat_map(|n| parents.iter().map(move |p| p.join(run_name(n))))
            .collect();
        for dir in &stale {
            std::fs::create_dir(dir).unwrap();
        }
        let run = cgroups.create(16 << 20, 4);
        for dir in &stale {
            std::fs::remove_dir(dir).unwrap();
        }
        let run = run.expect("a fresh name, not EEXIST");
        assert!(run.dirs.iter().all(|d| !stale.contains(d)));
        assert!(run.dirs.iter().all(|d| d.is_dir()));
    }

    #[test]
    fn empty_run_cgroups_left_behind_are_swept_and_nothing_else() {
        let Ok(cgroups) = Cgroups::open() else {
            eprintln!("SKIPPED: no cgroups this user may create here");
            return;
        };
        // A parent of this test's own, so the sweep cannot touch other tests' boxes.
        let parent = cgroups.parents()[0].join(format!("sweep-test-{}", std::process::id()));
        std::fs::create_dir(&parent).unwrap();
        let left = parent.join("run-left");
        let busy = parent.join("run-busy");
        let other = parent.join("keep");
        for dir in [&left, &busy, &other] {
            std::fs::create_dir(dir).unwrap();
            // Dates the directory (see `sweep`).
            std::fs::metadata(dir).unwrap();
        }
        let mut sleeper = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .unwrap();
        std::fs::write(busy.join("cgroup.procs"), sleeper.id().to_string()).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        sweep(&parent, std::time::Duration::from_millis(10));
        let gone = (!left.exists(), !busy.exists(), !other.exists());
        sleeper.kill().unwrap();
        sleeper.wait().unwrap();
        for dir in [&left, &busy, &other, &parent] {
            for _ in 0..200 {
                if std::fs::remove_dir(dir).is_ok() || !dir.exists() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        }
        assert_eq!(
            gone,
            (true, false, false),
            "(empty run-*, busy run-*, other name)"
        );
    }
}
