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

mod cancel;
mod cgroup;
mod cgroup2;
pub mod counter;
mod isolate;
mod job;
mod landlock;
pub mod layers;
mod mounts;
mod pipes;
mod pre_exec;
mod remove;
mod run;
mod seccomp;
mod watch;

pub use cancel::{cancelled, Cancel};
pub use cgroup::{CgroupError, Cgroups};
pub use cgroup2::{DelegationError, Place};
pub use job::{Disk, Exit, Input, Job, Outcome, RunLimits, KEPT_OUTPUT_BYTES};
pub use layers::{NamespaceError, SeccompError};
pub use mounts::{in_every_box, Mount, TOOLCHAIN_PATHS};
pub use pipes::pipe;
pub use pre_exec::close_inherited_descriptors;
pub use remove::remove_tree;
pub use run::{run, run_counted, run_with_cancel, run_with_streams, Streams};

/// Changes whenever what a box can see or do changes; part of every compile's cache key.
pub const BOX_VERSION: &str =
    "box-4: namespaces, pivot_root, seccomp, cgroups, landlock exec, descriptors closed, tmpfs disk";

/// Gives back what the judge set up in a delegated cgroup v2 (its boxes' parent, the leaf it
/// moved the processes of its cgroup into), unless another judge still uses it: called as
/// the judge ends, so the cgroup tree is left as it was found. Nothing on cgroup v1.
pub fn release_cgroups() {
    cgroup2::release();
}
