//! Many hosts: a server with no workers of its own on a private PostgreSQL cluster, and 1, 2
//! and 4 `judge worker` processes judging the same mix.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::common::percentile;
use crate::mix::{judge_command, mix, source, Kind};
use crate::process::reap_orphans;
use crate::service::{add_user_to, send_load, Load, Server};
use crate::table::{row, Row};

/// A `judge worker` process, killed when dropped.
pub(crate) struct WorkerProcess(Child);

impl Drop for WorkerProcess {
    fn drop(&mut self) {
        // SAFETY: signalling our own child, not yet reaped: it finishes what it holds.
        unsafe { libc::kill(self.0.id() as libc::pid_t, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if self.0.try_wait().ok().flatten().is_some() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A worker process on `url`, one judging at once, once it says it judges.
pub(crate) fn start_worker(url: &str, log: &Path) -> WorkerProcess {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap();
    let mut child = judge_command()
        .args(["worker", "--jobs", "1", "--db", url])
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .expect("judge worker starts");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    assert!(line.starts_with("worker "), "judge worker said {line:?}");
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    WorkerProcess(child)
}

/// What the many-hosts part measured for one count of worker processes.
pub(crate) struct Hosts {
    pub(crate) processes: usize,
    pub(crate) load: Load,
    pub(crate) wall_s: f64,
}

/// For each count of `processes`: a fresh database on `cluster`, `judge serve --db
/// --workers 0` and that many worker processes, the load sent by `clients` clients.
pub(crate) fn hosts_phase(
    cluster: &crate::cluster::Cluster,
    nonce: &str,
    n: usize,
    clients: usize,
    processes: &[usize],
    log: &Path,
) -> Vec<Hosts> {
    let mut admin = postgres::Client::connect(&cluster.url(), postgres::NoTls)
        .expect("the bench's cluster answers");
    let mut out = Vec::new();
    for &count in processes {
        let db = format!("hosts_{count}");
        admin
            .batch_execute(&format!("CREATE DATABASE {db}"))
            .expect("a database of its own");
        let url = format!("postgres://judge@127.0.0.1:{}/{db}", cluster.port);
        let place = ["--db".to_string(), url.clone()];
        let tokens: Vec<String> = (0..clients)
            .map(|c| add_user_to(&place, &format!("candidate{c}")))
            .collect();
        let sources: Vec<(&'static Kind, String)> = (0..n)
            .map(|i| source(nonce, &format!("hosts{count}"), i))
            .collect();
        println!(
            "judge serve --db --workers 0 with {count} worker processes, {clients} clients ..."
        );
        let args = [
            "--workers",
            "0",
            "--rate",
            "1000000",
            "--max-queued",
            "1000",
            "--db",
            &url,
        ];
        let mut server = Server::start_with(&args.map(String::from), log);
        let workers: Vec<WorkerProcess> = (0..count).map(|_| start_worker(&url, log)).collect();
        let start = Instant::now();
        let load = send_load(&mut server, &tokens, &sources);
        let wall_s = start.elapsed().as_secs_f64();
        drop(workers);
        server.stop();
        reap_orphans();
        out.push(Hosts {
            processes: count,
            load,
            wall_s,
        });
    }
    out
}

/// The many-hosts table, and its rows for the saved figures.
pub(crate) fn hosts_rows(hosts: &[Hosts]) -> Vec<Row> {
    println!(
        "\n{:<28} {:>12} {:>10} {:>10} {:>8}",
        "worker processes", "throughput", "p50", "p95", "failed"
    );
    let mut rows = Vec::new();
    for h in hosts {
        let times: Vec<f64> = h.load.judged.iter().map(|j| j.seconds).collect();
        let per_min = h.load.judged.len() as f64 * 60.0 / h.wall_s;
        let (p50, p95) = (percentile(times.clone(), 50.0), percentile(times, 95.0));
        println!(
            "{:<28} {:>7.1} /min {:>8.2} s {:>8.2} s {:>8}",
            h.processes,
            per_min,
            p50,
            p95,
            h.load.errors.len()
        );
        println!("  verdicts: {}", mix(&h.load.judged));
        if let Some(lost) = &h.load.lost {
            println!("  NOT A VALID RUN: {lost}");
        }
        let key = |what: &str| format!("hosts_{}_{what}", h.processes);
        rows.push(row(&key("per_min"), "", per_min, "/min", ""));
        rows.push(row(&key("p50_s"), "", p50, "s", ""));
        rows.push(row(&key("p95_s"), "", p95, "s", ""));
    }
    rows
}
