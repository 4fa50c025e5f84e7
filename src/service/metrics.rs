//! `GET /metrics`: the service in Prometheus's text format: the queue, busy workers,
//! submissions judged by verdict, and how long a submission takes from POST to its result.

use std::fmt::Write;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, PoisonError};

use super::store::StoreError;
use super::Service;

/// Upper bounds (seconds) of the latency histogram's buckets.
const BUCKETS: &[f64] = &[0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0];

#[derive(Default)]
pub struct Metrics {
    /// Workers judging now.
    pub busy: AtomicI64,
    /// Submissions finished by this process, and their latencies.
    latency: Mutex<Histogram>,
}

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Metrics {
    /// Records a submission that took `seconds` from POST to its stored result.
    pub fn finished(&self, seconds: f64) {
        let mut h = self.latency.lock().unwrap_or_else(PoisonError::into_inner);
        for (bound, count) in BUCKETS.iter().zip(h.counts.iter_mut()) {
            if seconds <= *bound {
                *count += 1;
            }
        }
        h.count += 1;
        h.sum += seconds;
    }
}

/// The text a scrape gets.
pub fn render(service: &Service) -> Result<String, StoreError> {
    let mut out = String::new();
    let queued = service.store.queue_depth()?;
    let _ = writeln!(
        out,
        "# HELP judge_queue_depth Submissions waiting or being judged."
    );
    let _ = writeln!(
        out,
        "# TYPE judge_queue_depth gauge\njudge_queue_depth {queued}"
    );
    let busy = service.metrics.busy.load(Ordering::Relaxed);
    let _ = writeln!(out, "# HELP judge_workers_busy Workers judging now.");
    let _ = writeln!(
        out,
        "# TYPE judge_workers_busy gauge\njudge_workers_busy {busy}"
    );
    let _ = writeln!(
        out,
        "# HELP judge_submissions_judged Judged submissions by verdict."
    );
    let _ = writeln!(out, "# TYPE judge_submissions_judged gauge");
    for (verdict, n) in service.store.verdict_counts()? {
        let _ = writeln!(out, "judge_submissions_judged{{verdict=\"{verdict}\"}} {n}");
    }
    let h = service
        .metrics
        .latency
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    let _ = writeln!(
        out,
        "# HELP judge_submission_seconds Time from POST to the stored result, this process's."
    );
    let _ = writeln!(out, "# TYPE judge_submission_seconds histogram");
    for (bound, count) in BUCKETS.iter().zip(h.counts) {
        let _ = writeln!(
            out,
            "judge_submission_seconds_bucket{{le=\"{bound}\"}} {count}"
        );
    }
    let _ = writeln!(
        out,
        "judge_submission_seconds_bucket{{le=\"+Inf\"}} {}",
        h.count
    );
    let _ = writeln!(out, "judge_submission_seconds_sum {}", h.sum);
    let _ = writeln!(out, "judge_submission_seconds_count {}", h.count);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latencies_fall_in_every_bucket_at_or_above_them() {
        let m = Metrics::default();
        m.finished(0.3);
        m.finished(7.0);
        let h = m.latency.lock().unwrap();
        assert_eq!(h.counts[0], 0, "0.25");
        assert_eq!(h.counts[1], 1, "0.5");
        assert_eq!(h.counts[5], 2, "10");
        assert_eq!(h.count, 2);
    }
}
