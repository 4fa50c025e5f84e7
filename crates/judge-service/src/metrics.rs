//! `GET /metrics` in Prometheus's text format. The service's tells what every worker did,
//! wherever it ran, from the store: the queue (waiting, held, the oldest wait), results by
//! verdict, claims, lease expiries, leases lost, judge errors, the time from queuing to a
//! stored result, and each registered worker. A `judge worker --listen` serves its own
//! process's: jobs in hand, results by verdict, judging time, database errors.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use super::store::{StoreError, WorkerState, LATENCY_BUCKETS_MS};
use super::Service;

/// Upper bounds (seconds) of this process's judging-time buckets.
const BUCKETS: &[f64] = &[0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0];

/// What this process did.
#[derive(Default)]
pub struct Metrics {
    /// Workers judging now.
    pub busy: AtomicI64,
    /// Results stored by this process, by verdict, and how long each took from claim to
    /// stored result.
    judged: Mutex<(BTreeMap<String, u64>, Histogram)>,
    /// Database calls that failed (each is logged too).
    db_errors: AtomicU64,
    /// Jobs another worker took while this process could not renew their leases.
    leases_lost: AtomicU64,
}

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Metrics {
    /// Records a result stored after `seconds` of judging.
    pub fn judged(&self, verdict: &str, seconds: f64) {
        let mut judged = self.judged.lock().unwrap_or_else(PoisonError::into_inner);
        *judged.0.entry(verdict.to_string()).or_default() += 1;
        let h = &mut judged.1;
        for (bound, count) in BUCKETS.iter().zip(h.counts.iter_mut()) {
            if seconds <= *bound {
                *count += 1;
            }
        }
        h.count += 1;
        h.sum += seconds;
    }

    pub fn db_error(&self) {
        self.db_errors.fetch_add(1, Ordering::Relaxed);
    }

    pub fn lease_lost(&self) {
        self.leases_lost.fetch_add(1, Ordering::Relaxed);
    }
}

/// A label value as the text format writes it.
fn label(value: &str) -> String {
    value
        .replace('\\', r"\\")
        .replace('"', "\\\"")
        .replace('\n', r"\n")
}

/// One metric's HELP and TYPE lines.
fn head(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

/// The text the service's scrape gets: every worker's doing, from the store.
pub fn render(service: &Service) -> Result<String, StoreError> {
    let mut out = String::new();
    let queue = service.store.queue_stats()?;
    head(
        &mut out,
        "judge_queue_depth",
        "gauge",
        "Submissions waiting or being judged.",
    );
    let _ = writeln!(out, "judge_queue_depth {}", queue.waiting + queue.running);
    head(
        &mut out,
        "judge_queue_waiting",
        "gauge",
        "Jobs no worker holds: queued, or their lease ran out.",
    );
    let _ = writeln!(out, "judge_queue_waiting {}", queue.waiting);
    head(
        &mut out,
        "judge_queue_running",
        "gauge",
        "Jobs a worker holds a lease on.",
    );
    let _ = writeln!(out, "judge_queue_running {}", queue.running);
    head(
        &mut out,
        "judge_queue_oldest_waiting_seconds",
        "gauge",
        "How long the oldest waiting job has waited.",
    );
    let _ = writeln!(
        out,
        "judge_queue_oldest_waiting_seconds {}",
        queue.oldest_waiting_ms as f64 / 1000.0
    );
    let counters: BTreeMap<String, i64> = service.store.counters()?.into_iter().collect();
    let counter = |name: &str| counters.get(name).copied().unwrap_or(0);
    head(
        &mut out,
        "judge_judged_total",
        "counter",
        "Results stored by every worker, by verdict (JE: the judge could not finish).",
    );
    for (name, n) in &counters {
        if let Some(verdict) = name.strip_prefix("judged:") {
            let _ = writeln!(
                out,
                "judge_judged_total{{verdict=\"{}\"}} {n}",
                label(verdict)
            );
        }
    }
    for (name, key, help) in [
        ("judge_claims_total", "claims", "Jobs claimed by every worker (attempts)."),
        ("judge_lease_expiries_total", "lease_expiries", "Jobs claimed after another worker's lease ran out (it died, or lost the database)."),
        ("judge_leases_lost_total", "leases_lost", "Jobs taken from a live worker that could not renew its lease (not counted as failed attempts)."),
        ("judge_judge_errors_total", "judge_errors", "Judgings that ended in a judge error."),
    ] {
        head(&mut out, name, "counter", help);
        let _ = writeln!(out, "{name} {}", counter(key));
    }
    head(
        &mut out,
        "judge_submission_seconds",
        "histogram",
        "Time from queuing to the stored result, every worker's.",
    );
    for bound in LATENCY_BUCKETS_MS {
        let _ = writeln!(
            out,
            "judge_submission_seconds_bucket{{le=\"{}\"}} {}",
            *bound as f64 / 1000.0,
            counter(&format!("latency_le_{bound}"))
        );
    }
    let _ = writeln!(
        out,
        "judge_submission_seconds_bucket{{le=\"+Inf\"}} {}",
        counter("latency_count")
    );
    let _ = writeln!(
        out,
        "judge_submission_seconds_sum {}",
        counter("latency_sum_ms") as f64 / 1000.0
    );
    let _ = writeln!(
        out,
        "judge_submission_seconds_count {}",
        counter("latency_count")
    );
    render_workers(&mut out, service)?;
    render_process(&mut out, service);
    Ok(out)
}

/// Each registered worker: alive or gone, jobs held, results stored, heartbeat age.
fn render_workers(out: &mut String, service: &Service) -> Result<(), StoreError> {
    let workers = service.store.workers()?;
    let now = super::store::now_ms();
    head(
        out,
        "judge_workers",
        "gauge",
        "Registered worker processes, alive or gone (no heartbeat for 15 s).",
    );
    for state in [WorkerState::Alive, WorkerState::Gone] {
        let n = workers.iter().filter(|w| w.state == state).count();
        let _ = writeln!(out, "judge_workers{{state=\"{}\"}} {n}", state.name());
    }
    head(
        out,
        "judge_worker_in_flight",
        "gauge",
        "Jobs a worker process holds now.",
    );
    for w in &workers {
        let _ = writeln!(
            out,
            "judge_worker_in_flight{{worker=\"{}\"}} {}",
            label(&w.name),
            w.current.len()
        );
    }
    head(
        out,
        "judge_worker_judged_total",
        "counter",
        "Results a worker process stored.",
    );
    for w in &workers {
        let _ = writeln!(
            out,
            "judge_worker_judged_total{{worker=\"{}\"}} {}",
            label(&w.name),
            w.judged
        );
    }
    head(
        out,
        "judge_worker_heartbeat_age_seconds",
        "gauge",
        "Time since a worker process's last heartbeat.",
    );
    for w in &workers {
        let _ = writeln!(
            out,
            "judge_worker_heartbeat_age_seconds{{worker=\"{}\"}} {}",
            label(&w.name),
            (now - w.heartbeat_ms).max(0) as f64 / 1000.0
        );
    }
    Ok(())
}

/// This process's own: busy workers, results, judging time, database errors and
/// connections.
fn render_process(out: &mut String, service: &Service) {
    let m = &service.metrics;
    head(
        out,
        "judge_workers_busy",
        "gauge",
        "This process's workers judging now.",
    );
    let _ = writeln!(out, "judge_workers_busy {}", m.busy.load(Ordering::Relaxed));
    let judged = m.judged.lock().unwrap_or_else(PoisonError::into_inner);
    head(
        out,
        "judge_process_judged_total",
        "counter",
        "Results this process stored, by verdict.",
    );
    for (verdict, n) in &judged.0 {
        let _ = writeln!(
            out,
            "judge_process_judged_total{{verdict=\"{}\"}} {n}",
            label(verdict)
        );
    }
    let h = &judged.1;
    head(
        out,
        "judge_process_judging_seconds",
        "histogram",
        "Time from this process's claim of a job to its stored result.",
    );
    for (bound, count) in BUCKETS.iter().zip(h.counts) {
        let _ = writeln!(
            out,
            "judge_process_judging_seconds_bucket{{le=\"{bound}\"}} {count}"
        );
    }
    let _ = writeln!(
        out,
        "judge_process_judging_seconds_bucket{{le=\"+Inf\"}} {}",
        h.count
    );
    let _ = writeln!(out, "judge_process_judging_seconds_sum {}", h.sum);
    let _ = writeln!(out, "judge_process_judging_seconds_count {}", h.count);
    drop(judged);
    head(
        out,
        "judge_process_db_errors_total",
        "counter",
        "This process's database calls that failed (each is in its log).",
    );
    let _ = writeln!(
        out,
        "judge_process_db_errors_total {}",
        m.db_errors.load(Ordering::Relaxed)
    );
    head(
        out,
        "judge_process_leases_lost_total",
        "counter",
        "Jobs taken from this process while it could not renew their leases.",
    );
    let _ = writeln!(
        out,
        "judge_process_leases_lost_total {}",
        m.leases_lost.load(Ordering::Relaxed)
    );
    let (open, idle) = service.store.connections();
    head(
        out,
        "judge_process_db_connections",
        "gauge",
        "This process's database connections, in use or idle.",
    );
    let _ = writeln!(
        out,
        "judge_process_db_connections{{state=\"in_use\"}} {}",
        open - idle
    );
    let _ = writeln!(out, "judge_process_db_connections{{state=\"idle\"}} {idle}");
}

/// The text a worker process's scrape gets: its own doing only (the service's /metrics
/// has every worker's).
pub fn render_worker(service: &Service) -> String {
    let mut out = String::new();
    render_process(&mut out, service);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judging_times_fall_in_every_bucket_at_or_above_them() {
        let m = Metrics::default();
        m.judged("AC", 0.3);
        m.judged("WA", 7.0);
        let judged = m.judged.lock().unwrap();
        let h = &judged.1;
        assert_eq!(h.counts[0], 0, "0.25");
        assert_eq!(h.counts[1], 1, "0.5");
        assert_eq!(h.counts[5], 2, "10");
        assert_eq!(h.count, 2);
        assert_eq!(judged.0.get("AC"), Some(&1));
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
