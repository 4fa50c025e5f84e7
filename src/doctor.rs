//! `judge doctor`: what this machine gives the judge (toolchain, cache, isolation layers),
//! and the warning every report carries about the layers that are not enforced.

use std::fmt::Write;

use crate::cache::Cache;
use crate::sandbox::layers::{self, Layers};
use crate::toolchain::Toolchain;

/// What every run gets, whatever the machine.
const ALWAYS: &[&str] = &[
    "rlimits: CPU time (also watched every 50 ms), address space, file size, processes, no core dumps",
    "a fresh process group per run, killed when the run ends; a wall-clock backstop",
    "an empty environment and a private working directory per run",
    "capped output pipes, all drained at once",
];

/// One warning per report for each layer missing here; none when the box is complete.
pub fn missing_isolation() -> Vec<String> {
    let missing = layers::detect().missing();
    if missing.is_empty() {
        return Vec::new();
    }
    vec![format!(
        "sandbox is partial: not enforced here: {}; run only solutions you would run yourself (see `judge doctor`)",
        missing.join("; ")
    )]
}

pub fn report(cache: &Cache) -> (String, bool) {
    let mut out = String::new();
    let mut ok = true;
    let _ = writeln!(out, "cache: {}", cache.root().display());
    match Toolchain::open(cache) {
        Ok(t) => {
            let release = t.version.lines().next().unwrap_or("").to_string();
            let _ = writeln!(
                out,
                "toolchain: ok, {release}; solution runtime (ndarray, serde_json) built"
            );
        }
        Err(e) => {
            ok = false;
            let _ = writeln!(out, "toolchain: MISSING: {e}");
        }
    }
    let _ = writeln!(out, "isolation layers:");
    for (active, line) in layer_lines(layers::detect()) {
        let _ = writeln!(out, "  {}  {line}", if active { "yes" } else { "NO " });
    }
    for line in ALWAYS {
        let _ = writeln!(out, "  yes  {line}");
    }
    let missing = layers::detect().missing();
    if missing.is_empty() {
        let _ = writeln!(
            out,
            "every layer is active: reports carry no isolation warning"
        );
    } else {
        let _ = writeln!(
            out,
            "NOT enforced here (every report says so): {}",
            missing.join("; ")
        );
    }
    (out, ok)
}

fn layer_lines(l: &Layers) -> Vec<(bool, String)> {
    let why = |r: &Result<(), String>| match r {
        Ok(()) => String::new(),
        Err(e) => format!(" (missing: {e})"),
    };
    let who = if l.root {
        "running as root: boxes drop to uid 65534 with no capabilities"
    } else {
        "not root: boxes use a user namespace and drop every capability"
    };
    let cgroups = match &l.cgroups {
        Ok(c) => format!(
            "cgroups: memory limit (OOM kill -> MLE), pids limit, CPU summed over threads ({})",
            match c {
                crate::sandbox::Cgroups::V2 { .. } => "cgroup v2",
                crate::sandbox::Cgroups::V1 { .. } => "cgroup v1",
            }
        ),
        Err(e) => format!("cgroups (missing: {e}); memory is limited by address space only"),
    };
    vec![
        (true, who.to_string()),
        (
            l.namespaces.is_ok(),
            format!(
                "namespaces: mount (read-only tmpfs root, only the toolchain, libraries and work dir), pid, network (no interfaces, not even loopback), IPC, UTS{}",
                why(&l.namespaces)
            ),
        ),
        (l.cgroups.is_ok(), cgroups),
        (
            l.seccomp.is_ok(),
            format!(
                "seccomp: denies ptrace, keyrings, io_uring, bpf, perf, userfaultfd, new namespaces, mounts, modules, vsock{}",
                why(&l.seccomp)
            ),
        ),
        (
            l.landlock_abi.is_some(),
            match l.landlock_abi {
                Some(abi) => format!("landlock: ABI {abi} available (not needed: the mount namespace already gives each box its whole view)"),
                None => "landlock: not available in this kernel (not needed when namespaces work)".to_string(),
            },
        ),
    ]
}
