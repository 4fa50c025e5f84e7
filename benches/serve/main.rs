//! `cargo bench --bench serve`: what `judge serve` costs over judging the same sources with
//! `judge submit`, on loopback only.
//!
//! Load: BENCH_SUBMISSIONS (default 200) distinct submissions, an AC/WA/TLE/CE mix on t-value
//! and knn, sent by BENCH_CLIENTS (default 20) client threads, each its own candidate, each
//! waiting for its report (`?wait=true`) before sending the next. The same mix (other
//! comments, so nothing is cached in either) is then judged by `judge submit`, as many at once
//! as the service has workers, the box slots split between them as the service shares its
//! own.
//!
//! CPU: this program is the child subreaper of everything it starts, so a box whose parent
//! was killed with it (a TLE) is reaped here and not lost; each side's CPU is then
//! `RUSAGE_CHILDREN` over its phase: the service process (its whole life) or every
//! `judge submit`, with every compiler and box under them. The judging itself is the same
//! work on both sides; the difference is the service's overhead. Each side's own process
//! CPU (/proc/PID/stat utime + stime, in clock ticks) is shown apart.
//!
//! Idle latency: a source judged before (its report cached), sent with `?wait=true` to an
//! idle service against `judge submit` of the same file, alternately, BENCH_RUNS times
//! (default 15); medians. Peak memory: the service's VmHWM after the load.
//!
//! Many hosts: then `judge serve --db --workers 0` on a private PostgreSQL cluster with 1, 2
//! and 4 `judge worker --jobs 1` processes (BENCH_HOSTS, default "1,2,4"; "0" skips it),
//! each a fresh database, BENCH_HOST_SUBMISSIONS (default 60) of the same mix from the same
//! clients: POST-to-report p50 and p95 and throughput per count of processes. Needs
//! PostgreSQL (skipped, saying so, without it). BENCH_SKIP_SINGLE=1 runs only this part.
//!
//! Everything lives under target/bench/: the cache (serve-cache, kept between runs but for
//! its builds and reports), a fresh data dir (serve-data) and the sources (serve-work); the
//! service's stderr goes to serve-stderr.log. Results: target/bench/serve-latest.json,
//! printed beside `benches/serve-baseline.json`.
//!
//! The code: `mix.rs` (the load), `service.rs` (the service side), `cli_side.rs` (the
//! `judge submit` side), `hosts.rs` (many hosts), `process.rs` (CPU and memory of processes),
//! `table.rs` (the results).

#[path = "../common/mod.rs"]
mod common;

#[path = "../../tests/support/cluster.rs"]
#[allow(dead_code, reason = "shared with the tests, which use all of it")]
mod cluster;

mod cli_side;
mod hosts;
mod mix;
mod process;
mod service;
mod table;

use std::path::Path;

use crate::cli_side::{cli_phase, cli_submit, Phase};
use crate::common::{bench_dir, cores, env_usize, percentile};
use crate::hosts::{hosts_phase, hosts_rows};
use crate::mix::{cache, mix, source, MIX};
use crate::service::{idle_latency, service_phase};
use crate::table::{print_table, report_stderr, row, save, Row};

fn main() {
    // Boxes killed with their parent (a TLE) become this process's to reap, and their CPU is
    // counted with everything else.
    // SAFETY: prctl with plain integer arguments.
    unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) };
    let n = env_usize("BENCH_SUBMISSIONS", 200);
    let clients = env_usize("BENCH_CLIENTS", 20).min(n);
    let workers = env_usize("BENCH_WORKERS", cores());
    let runs = env_usize("BENCH_RUNS", 15);
    let nonce = format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis())
    );
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "serve bench: {n} submissions from {clients} clients, {workers} workers, {} CPUs (load average {})",
        cores(),
        load.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    );

    let dir = bench_dir();
    std::fs::create_dir_all(&dir).unwrap();
    for old in ["serve-data", "serve-work"] {
        let _ = std::fs::remove_dir_all(dir.join(old));
    }
    // Builds and reports of earlier runs go (they are never asked for again); the runtime,
    // the harness libraries, the inputs and the answers are kept.
    for old in ["builds", "reports"] {
        let _ = std::fs::remove_dir_all(cache().join(old));
    }
    let data = dir.join("serve-data");
    let log = dir.join("serve-stderr.log");
    let _ = std::fs::remove_file(&log);

    // Warm-up: the runtime, each problem's harness library, inputs and answers, and each
    // kind compiled once (rustc's files in the page cache).
    for (i, kind) in MIX.iter().enumerate() {
        let (_, text) = source(&nonce, "warm", i);
        let file = dir.join(format!("serve-work/warm/{i}/solution.rs"));
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, text).unwrap();
        if kind.expect != "TLE" {
            cli_submit(kind.problem, &file, cores());
        }
    }

    let mut rows = Vec::new();
    if std::env::var("BENCH_SKIP_SINGLE").is_ok_and(|v| v == "1") {
        println!("BENCH_SKIP_SINGLE=1: the one-process comparison is skipped");
    } else {
        rows.extend(single_process(
            &nonce, n, clients, workers, runs, &data, &log,
        ));
    }
    let processes: Vec<usize> = std::env::var("BENCH_HOSTS")
        .unwrap_or_else(|_| "1,2,4".into())
        .split(',')
        .filter_map(|p| p.trim().parse().ok())
        .filter(|&p| p > 0)
        .collect();
    if !processes.is_empty() {
        match cluster::Cluster::new() {
            Some(cluster) => {
                let host_n = env_usize("BENCH_HOST_SUBMISSIONS", 60);
                let hosts = hosts_phase(
                    &cluster,
                    &nonce,
                    host_n,
                    clients.min(host_n),
                    &processes,
                    &log,
                );
                rows.extend(hosts_rows(&hosts));
            }
            None => println!(
                "\nSKIPPED the many-hosts part: PostgreSQL is not installed (apt-get install postgresql)"
            ),
        }
    }
    report_stderr(&log);
    save(&rows);
}

/// The one-process comparison: `judge submit` against `judge serve --workers N`, then the
/// idle latency; prints its table and returns its rows.
fn single_process(
    nonce: &str,
    n: usize,
    clients: usize,
    workers: usize,
    runs: usize,
    data: &Path,
    log: &Path,
) -> Vec<Row> {
    let jobs_each = (cores() / workers).max(1);
    println!("judge submit, {workers} at once, --jobs {jobs_each} each ...");
    let cli = cli_phase(nonce, n, workers, jobs_each);
    println!("judge serve --workers {workers}, {clients} clients ...");
    let service = service_phase(nonce, n, clients, workers, data, log);
    println!("idle service against judge submit, {runs} runs ...");
    let (idle_service_ms, idle_cli_ms, idle_judged_again) =
        idle_latency(nonce, runs, workers, data, log);

    let s = &service.phase;
    let times = |p: &Phase| p.judged.iter().map(|j| j.seconds).collect::<Vec<f64>>();
    let per_minute = |p: &Phase| p.judged.len() as f64 * 60.0 / p.wall_s;
    let rows = vec![
        row(
            "service_per_min",
            "service: throughput",
            per_minute(s),
            "/min",
            "",
        ),
        row(
            "cli_per_min",
            "judge submit, same parallelism: throughput",
            per_minute(&cli),
            "/min",
            "",
        ),
        row(
            "service_p50_s",
            "service: POST to report, p50",
            percentile(times(s), 50.0),
            "s",
            "",
        ),
        row(
            "service_p95_s",
            "service: POST to report, p95",
            percentile(times(s), 95.0),
            "s",
            "",
        ),
        row(
            "cli_p50_s",
            "judge submit: one submission, p50",
            percentile(times(&cli), 50.0),
            "s",
            "",
        ),
        row(
            "cli_p95_s",
            "judge submit: one submission, p95",
            percentile(times(&cli), 95.0),
            "s",
            "",
        ),
        row(
            "service_cpu_s",
            "service: CPU, process + compilers + boxes",
            s.total_cpu_s,
            "s",
            "",
        ),
        row(
            "cli_cpu_s",
            "judge submit: CPU, processes + compilers + boxes",
            cli.total_cpu_s,
            "s",
            "",
        ),
        row(
            "cpu_overhead_pct",
            "service CPU over judge submit's",
            (s.total_cpu_s / cli.total_cpu_s - 1.0) * 100.0,
            "%",
            "<= 5 %",
        ),
        row(
            "service_own_cpu_s",
            "  service process's own CPU",
            s.own_cpu_s,
            "s",
            "",
        ),
        row(
            "cli_own_cpu_s",
            "  judge submit processes' own CPU",
            cli.own_cpu_s,
            "s",
            "",
        ),
        row(
            "service_own_cpu_ms_per_submission",
            "  service's own CPU per submission",
            s.own_cpu_s * 1000.0 / s.judged.len().max(1) as f64,
            "ms",
            "",
        ),
        row(
            "idle_service_ms",
            "idle service, cached source, ?wait=true",
            idle_service_ms,
            "ms",
            "",
        ),
        row(
            "idle_cli_ms",
            "judge submit, same cached source",
            idle_cli_ms,
            "ms",
            "",
        ),
        row(
            "idle_added_ms",
            "added latency per submission (service - submit)",
            idle_service_ms - idle_cli_ms,
            "ms",
            "<= 20 ms",
        ),
        row(
            "service_failed",
            "service: submissions without a report",
            (n - s.judged.len()) as f64,
            "",
            "0",
        ),
        row(
            "service_peak_mib",
            "service's own peak memory (VmHWM)",
            service.peak_kb as f64 / 1024.0,
            "MiB",
            "< 100 MiB",
        ),
    ];
    print_table(&rows);
    if let Some(lost) = &service.lost {
        println!("\nNOT A VALID RUN: {lost}");
    }
    println!("\nverdicts, service:      {}", mix(&s.judged));
    println!("verdicts, judge submit: {}", mix(&cli.judged));
    if !s.errors.is_empty() {
        println!("\n{} requests failed, first ones:", s.errors.len());
        for e in s.errors.iter().take(5) {
            println!("  {e}");
        }
    }
    if idle_judged_again > 0 {
        println!(
            "\n{idle_judged_again} idle submissions were judged again, not answered from the cache"
        );
    }
    if !service.stopped_cleanly {
        println!("\nthe service did not stop within 30 s of SIGTERM (killed)");
    }
    rows
}
