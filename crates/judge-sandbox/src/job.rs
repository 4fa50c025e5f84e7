//! What a run is given (`Job`, `RunLimits`) and what it gives back (`Outcome`).

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Instant;

use super::mounts::Mount;

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
