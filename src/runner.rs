//! Runs a compiled program on many cases in parallel, each in a fresh process and a fresh
//! working directory, under the problem's limits.
//!
//! Invariant: the only async code in the judge; everything it calls is synchronous.

use std::io;
use std::path::Path;
use std::sync::Arc;

use crate::cache::Cache;
use crate::sandbox::{self, Job, Outcome, RunLimits};
use crate::spec::{Case, Limits};

/// The stdin of a case: its arguments as a JSON array.
pub fn case_input(case: &Case) -> Vec<u8> {
    serde_json::to_vec(&case.args).unwrap_or_default()
}

/// Slack added to the address-space limit for code, stacks and the allocator's arena, so
/// that the memory limit is about the solution's data. MLE is then judged on peak RSS.
const ADDRESS_SPACE_SLACK: u64 = 64 << 20;

/// The sandbox limits for one case of a problem with `limits`, its CPU budget scaled.
pub fn run_limits(limits: &Limits, time_scale: u64) -> RunLimits {
    let cpu_ms = limits.time_ms * time_scale;
    RunLimits {
        cpu_ms,
        // A wall-clock backstop for solutions that sleep or block instead of computing.
        wall_ms: cpu_ms * 2 + 1000,
        address_space: (limits.memory_mb << 20) + ADDRESS_SPACE_SLACK,
        output_bytes: limits.output_kb << 10,
        file_bytes: 1 << 20,
    }
}

/// Runs `binary` once per input (its stdin); results come back in input order.
pub fn run_all(
    binary: &Path,
    inputs: Vec<Vec<u8>>,
    limits: RunLimits,
    jobs: usize,
    cache: &Cache,
) -> Vec<io::Result<Outcome>> {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            return inputs
                .iter()
                .map(|_| Err(io::Error::other(e.to_string())))
                .collect()
        }
    };
    runtime.block_on(async {
        let permits = Arc::new(tokio::sync::Semaphore::new(jobs.max(1)));
        let mut handles = Vec::with_capacity(inputs.len());
        for input in inputs {
            let job = job_for(binary, input);
            let permits = Arc::clone(&permits);
            let cache = cache.clone();
            handles.push(tokio::spawn(async move {
                let _permit = permits.acquire_owned().await.map_err(io::Error::other)?;
                tokio::task::spawn_blocking(move || run_one(job, limits, &cache))
                    .await
                    .map_err(io::Error::other)?
            }));
        }
        let mut results = Vec::with_capacity(handles.len());
        for h in handles {
            results.push(h.await.unwrap_or_else(|e| Err(io::Error::other(e))));
        }
        results
    })
}

fn job_for(binary: &Path, stdin: Vec<u8>) -> Job {
    Job {
        program: binary.to_path_buf(),
        args: Vec::new(),
        // One malloc arena keeps the address space of a multithreaded solution close to
        // what it really uses, so RLIMIT_AS does not fire on reservations.
        env: vec![("MALLOC_ARENA_MAX".into(), "1".into())],
        cwd: std::path::PathBuf::new(),
        stdin,
        answer_pipe: true,
    }
}

fn run_one(mut job: Job, limits: RunLimits, cache: &Cache) -> io::Result<Outcome> {
    let work = cache.temp_dir()?;
    job.cwd = work.path().to_path_buf();
    sandbox::run(&job, &limits)
}
