//! The box: what runs between fork and exec to isolate a process, the way isolate and nsjail
//! do it, with no external binary.
//!
//! Three processes (as isolate's keeper, box init and program):
//! - M, the child `std::process::Command` forks: joins the run's cgroup, enters new mount,
//!   pid, network, IPC and UTS namespaces (and a user namespace when the judge is not root),
//!   forks A and waits for it. The judge waits for M.
//! - A, pid 1 of the new pid namespace: builds the box's filesystem (a read-only tmpfs root
//!   holding read-only binds of the toolchain and system libraries, the read-write work dir,
//!   a fresh /proc, a noexec /tmp, a few devices), pivots into it, forks B, reaps every
//!   process of the box and, when B ends, reports how full the box's disk is and B's wait
//!   status on the status pipe and exits, which makes the kernel kill whatever is left in
//!   the namespace (and unmount the box's disk: nothing is left to remove).
//! - B: sets rlimits, drops to an unprivileged uid with no capabilities, sets no_new_privs,
//!   enforces the Landlock exec rules, installs the seccomp filters, marks every descriptor
//!   but 0-3 close-on-exec and returns, so that std execs the program.
//!
//! A run's work dir and /tmp are two binds of one private tmpfs (the box's disk, `Disk`):
//! size and inode limits, its pages charged to the box's cgroup, gone with the box. A
//! compile's work dir is the host's (the judge reads the compiler's output back).
//!
//! Everything the child needs is prepared here before the fork (`BoxPlan`), because a forked
//! child of a multithreaded judge must not allocate: only raw syscalls run after fork.

mod enter;
mod plan;
mod status;

pub use enter::{enter, namespace_flags, BOX_GID, BOX_UID};
pub use plan::{BoxPlan, Setup};
pub use status::read_status;
