//! The command-line side: the same mix judged by `judge submit`, as many at once as the
//! service has workers.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use serde_json::Value;

use crate::common::bench_dir;
use crate::mix::{judge_command, source, Kind};
use crate::process::{children_cpu_s, proc_own_cpu, reap_orphans, wait_unreaped};

/// One judged submission as either side saw it.
pub(crate) struct Judged {
    pub(crate) seconds: f64,
    pub(crate) verdict: String,
    pub(crate) expect: &'static str,
    pub(crate) cached: bool,
    /// The judge's own CPU (`judge submit` only).
    pub(crate) own_cpu: f64,
}

/// Runs `judge submit --json` on a file; returns the wall time, the report and the process's
/// own CPU.
pub(crate) fn cli_submit(problem: &str, file: &Path, jobs: usize) -> (f64, Value, f64) {
    let start = Instant::now();
    let mut child = judge_command()
        .args(["submit", problem])
        .arg(file)
        .args(["--json", "--jobs", &jobs.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("judge submit runs");
    let mut stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    wait_unreaped(&child);
    let seconds = start.elapsed().as_secs_f64();
    let own = proc_own_cpu(child.id()).unwrap_or(f64::NAN);
    child.wait().expect("judge submit is reaped");
    let report = serde_json::from_str(&reader.join().unwrap_or_default()).unwrap_or(Value::Null);
    (seconds, report, own)
}

pub(crate) fn verdict_of(report: &Value) -> (String, bool) {
    (
        report["verdict"].as_str().unwrap_or("?").to_string(),
        report["cached"].as_bool().unwrap_or(false),
    )
}

/// What one phase measured.
pub(crate) struct Phase {
    pub(crate) judged: Vec<Judged>,
    pub(crate) wall_s: f64,
    /// CPU of the phase's processes and everything under them.
    pub(crate) total_cpu_s: f64,
    /// The judge processes' own CPU.
    pub(crate) own_cpu_s: f64,
    pub(crate) errors: Vec<String>,
}

/// Every submission judged by `judge submit`, `parallel` at once with `jobs` box slots each.
pub(crate) fn cli_phase(nonce: &str, n: usize, parallel: usize, jobs: usize) -> Phase {
    let dir = bench_dir().join("serve-work/cli");
    let files: Vec<(&'static Kind, PathBuf)> = (0..n)
        .map(|i| {
            let (kind, text) = source(nonce, "cli", i);
            // Each in a folder of its own and named as the service names its sources, so
            // that compiler messages (and report keys) are alike on both sides.
            let file = dir.join(i.to_string()).join("solution.rs");
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(&file, text).unwrap();
            (kind, file)
        })
        .collect();
    reap_orphans();
    let cpu0 = children_cpu_s();
    let next = AtomicUsize::new(0);
    let judged = Mutex::new(Vec::new());
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..parallel {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some((kind, file)) = files.get(i) else {
                    return;
                };
                let (seconds, report, own_cpu) = cli_submit(kind.problem, file, jobs);
                let (verdict, cached) = verdict_of(&report);
                judged.lock().unwrap().push(Judged {
                    seconds,
                    verdict,
                    expect: kind.expect,
                    cached,
                    own_cpu,
                });
            });
        }
    });
    let wall_s = start.elapsed().as_secs_f64();
    reap_orphans();
    let judged = judged.into_inner().unwrap();
    Phase {
        own_cpu_s: judged.iter().map(|j| j.own_cpu).sum(),
        total_cpu_s: children_cpu_s() - cpu0,
        judged,
        wall_s,
        errors: Vec::new(),
    }
}
