//! `judge doctor`: what this machine gives the judge (toolchain, cache, isolation layers),
//! and the warning every report carries about the layers that are not enforced.

use std::fmt::Write;

use crate::cache::Cache;
use crate::toolchain::Toolchain;

/// What isolation every run gets today; the rest is said as missing, never implied.
const ENFORCED: &[&str] = &[
    "rlimits: CPU time, address space, file size, no core dumps",
    "a fresh process group per run, killed when the run ends",
    "an empty environment and a private working directory per run",
    "a wall-clock backstop and capped, fully drained output pipes",
];
const NOT_ENFORCED: &[&str] = &[
    "filesystem isolation (mount namespace / landlock)",
    "network isolation (network namespace)",
    "pid namespace",
    "syscall filtering (seccomp)",
    "cgroup memory and pids limits",
];

/// One warning per report while isolation is partial.
pub fn missing_isolation() -> Vec<String> {
    vec![format!(
        "sandbox is partial: not enforced here: {}; run only solutions you would run yourself (see `judge doctor`)",
        NOT_ENFORCED.join(", ")
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
    let _ = writeln!(out, "isolation enforced:");
    for layer in ENFORCED {
        let _ = writeln!(out, "  yes  {layer}");
    }
    let _ = writeln!(
        out,
        "isolation NOT enforced (the judge does not pretend otherwise):"
    );
    for layer in NOT_ENFORCED {
        let _ = writeln!(out, "  no   {layer}");
    }
    (out, ok)
}
