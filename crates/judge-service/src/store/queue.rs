//! The job queue: a job row per submission waiting or being judged, claimed with a lease
//! that a heartbeat renews, deleted in the transaction that stores the result. What workers
//! do is also counted here (`counters`, a row per process and name, summed when read), so
//! that the service's /metrics tells what every host did.
//!
//! A worker is named `<process id>/<task>`: the process's row in `workers` is the part
//! before the slash, and its counters are kept under it.

use judge_core::report::document::Document;

use super::super::db::{Conn, DbError, Dialect, Param};
use super::{count, events, now_ms, Store, StoreError};

/// The channel PostgreSQL tells idle worker processes on that jobs were queued.
pub const JOBS_CHANNEL: &str = "judge_jobs";

/// Upper bounds (milliseconds) of the buckets of the time from queuing to a stored result.
pub const LATENCY_BUCKETS_MS: &[i64] = &[
    250, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000,
];

/// A job a worker holds: the submission to judge, and how many times it was claimed.
#[derive(Debug, Clone)]
pub struct Claim {
    pub submission: i64,
    pub attempts: i64,
    /// The problem version to judge on, when the service named one.
    pub problem_version: Option<String>,
    /// When the job was queued (ms), for the time a result took.
    pub queued_ms: Option<i64>,
}

/// The queue now: jobs no worker holds, jobs held, and how long the oldest waiting one
/// has waited.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueStats {
    pub waiting: i64,
    pub running: i64,
    pub oldest_waiting_ms: i64,
}

/// On PostgreSQL, tells every worker process listening (`LISTEN judge_jobs`) that jobs
/// were queued, when the transaction commits; they would otherwise find them only at their
/// next look (every second). On SQLite the workers share the process and are woken there.
pub(super) fn wake_workers(c: &mut dyn Conn) -> Result<(), DbError> {
    if c.dialect() == Dialect::Postgres {
        c.exec(&format!("NOTIFY {JOBS_CHANNEL}"), &[])?;
    }
    Ok(())
}

/// The process a worker task belongs to (`<process>/<task>`).
pub fn process_of(worker: &str) -> &str {
    worker
        .rsplit_once('/')
        .map_or(worker, |(process, _)| process)
}

/// Adds to counters of `source` (in the caller's transaction), in name order so that two
/// transactions never wait on each other's rows crosswise.
fn add_counts(c: &mut dyn Conn, source: &str, counts: &mut [(String, i64)]) -> Result<(), DbError> {
    if counts.is_empty() {
        return Ok(());
    }
    counts.sort();
    let rows: Vec<String> = (0..counts.len())
        .map(|i| format!("(${}, $1, ${})", 2 + 2 * i, 3 + 2 * i))
        .collect();
    let mut params: Vec<Param<'_>> = vec![source.into()];
    for (name, n) in counts.iter() {
        params.push(name.as_str().into());
        params.push((*n).into());
    }
    c.exec(
        &format!(
            "INSERT INTO counters (name, source, value) VALUES {} ON CONFLICT (name, source) DO UPDATE SET value = counters.value + excluded.value",
            rows.join(", ")
        ),
        &params,
    )?;
    Ok(())
}

/// The verdict a result counts under: the report's verdict, a run's result, or "JE" for a
/// judging that could not finish; "none" for a run on one input (it has neither).
pub fn counted_as(result: Result<&Document<'_>, &str>) -> &'static str {
    match result {
        Ok(report) => report.outcome().unwrap_or("none"),
        Err(_) => "JE",
    }
}

/// Submission `submission`'s stored report text read into its typed form, once, as the
/// store reads the row. A text that does not read (written by hand, or damaged) is said in
/// the log and read as no report: there is nothing of it to show or withhold.
pub fn read_report(submission: i64, text: &str) -> Option<Document<'static>> {
    match Document::parse(text) {
        Ok(report) => Some(report),
        Err(e) => {
            tracing::warn!(submission, error = %e, "its stored report does not read; it is shown as none");
            None
        }
    }
}

impl Store {
    /// The oldest job that no live worker holds (or one already leased to `worker`: a claim
    /// whose answer was lost with the connection), leased to `worker` until `lease_ms` from
    /// now; its attempts count this claim (not again for a job that was already its own).
    pub fn claim(&self, worker: &str, lease_ms: i64) -> Result<Option<Claim>, StoreError> {
        let now = now_ms();
        // SQLite has one writer at a time (an IMMEDIATE transaction); PostgreSQL's workers
        // skip the rows another has locked instead of waiting for them.
        let lock = match self.dialect() {
            Dialect::Sqlite => "",
            Dialect::Postgres => " FOR UPDATE SKIP LOCKED",
        };
        let claim = self.db.tx(|c| {
            let Some(found) = c.query_one(
                &format!("SELECT submission_id, worker, lease_until_ms FROM jobs WHERE worker = $1 OR lease_until_ms IS NULL OR lease_until_ms < $2 ORDER BY CASE WHEN worker = $1 THEN 0 ELSE 1 END, submission_id LIMIT 1{lock}"),
                &[worker.into(), now.into()],
            )? else {
                return Ok(None);
            };
            let id = found.int(0)?;
            let holder = found.opt_text(1)?;
            let ours = holder.as_deref() == Some(worker);
            let row = c.query_one(
                "UPDATE jobs SET attempts = attempts + $1, lease_until_ms = $2, worker = $3 WHERE submission_id = $4 RETURNING submission_id, attempts, problem_version, queued_ms",
                &[i64::from(!ours).into(), (now + lease_ms).into(), worker.into(), id.into()],
            )?;
            let mut counts = vec![("claims".to_string(), i64::from(!ours))];
            // Another worker held it and its lease ran out: it died, or lost the database.
            if holder.is_some() && !ours && found.opt_int(2)?.is_some() {
                counts.push(("lease_expiries".into(), 1));
            }
            add_counts(c, process_of(worker), &mut counts)?;
            row.map(|r| {
                Ok(Claim {
                    submission: r.int(0)?,
                    attempts: r.int(1)?,
                    problem_version: r.opt_text(2)?,
                    queued_ms: r.opt_int(3)?,
                })
            })
            .transpose()
        })?;
        Ok(claim)
    }

    /// Extends a held lease; `false` when the job is no longer this worker's.
    pub fn heartbeat(
        &self,
        submission: i64,
        worker: &str,
        lease_ms: i64,
    ) -> Result<bool, StoreError> {
        let n = self.db.with(|c| {
            c.exec(
                "UPDATE jobs SET lease_until_ms = $1 WHERE submission_id = $2 AND worker = $3",
                &[
                    (now_ms() + lease_ms).into(),
                    submission.into(),
                    worker.into(),
                ],
            )
        })?;
        Ok(n == 1)
    }

    /// A job another worker took from `worker` while `worker` was alive but could not reach
    /// the database to renew its lease: that claim is not counted as a failed attempt (it
    /// was no crash of the judging), and the loss is counted instead.
    pub fn lease_lost(&self, submission: i64, worker: &str) -> Result<(), StoreError> {
        self.db.tx(|c| {
            c.exec(
                "UPDATE jobs SET attempts = attempts - 1 WHERE submission_id = $1 AND attempts > 1 AND (worker IS NULL OR worker != $2)",
                &[submission.into(), worker.into()],
            )?;
            add_counts(c, process_of(worker), &mut [("leases_lost".into(), 1)])
        })?;
        Ok(())
    }

    /// Every leased job back to the queue: at start, when this process owns the data dir and
    /// so no worker holding a lease is alive (never on a shared PostgreSQL: leases expire).
    pub fn release_all(&self) -> Result<usize, StoreError> {
        Ok(self.db.with(|c| {
            c.exec(
                "UPDATE jobs SET lease_until_ms = NULL, worker = NULL WHERE lease_until_ms IS NOT NULL",
                &[],
            )
        })? as usize)
    }

    /// Writes the final result and deletes the job in one transaction, with the `done`
    /// event, the webhook owed, and the worker's counts; `false` (nothing written) when the
    /// job is gone or another worker holds it: exactly one result each.
    pub fn finish(
        &self,
        submission: i64,
        worker: &str,
        version: &str,
        result: Result<&Document<'_>, &str>,
    ) -> Result<bool, StoreError> {
        let (report, error) = match result {
            Ok(report) => (Some(report.to_json()), None),
            Err(error) => (None, Some(error)),
        };
        let report = report.as_deref();
        let stored = self.db.tx(|c| {
            let Some(job) = c.query_one(
                "DELETE FROM jobs WHERE submission_id = $1 AND worker = $2 RETURNING attempts, queued_ms",
                &[submission.into(), worker.into()],
            )?
            else {
                return Ok(false);
            };
            let (attempts, queued_ms) = (job.int(0)?, job.opt_int(1)?);
            let now = now_ms();
            c.exec(
                "UPDATE submissions SET status = 'done', problem_version = $1, report = $2, error = $3, finished_ms = $4, attempts = $5, worker = $6 WHERE id = $7",
                &[version.into(), report.into(), error.into(), now.into(), attempts.into(), worker.into(), submission.into()],
            )?;
            // Its webhook is owed from the moment the result exists: in the same transaction.
            c.exec(
                "INSERT INTO deliveries (submission_id, attempts, next_ms) SELECT id, 0, $1 FROM submissions WHERE id = $2 AND callback_url IS NOT NULL ON CONFLICT (submission_id) DO UPDATE SET attempts = 0, next_ms = excluded.next_ms, last_error = NULL",
                &[now.into(), submission.into()],
            )?;
            events::insert_done(c, submission)?;
            let queued = match queued_ms {
                Some(ms) => ms,
                None => c
                    .query_one("SELECT created_ms FROM submissions WHERE id = $1", &[submission.into()])?
                    .map_or(Ok(now), |r| r.int(0))?,
            };
            let took = (now - queued).max(0);
            let mut counts = vec![
                (format!("judged:{}", counted_as(result)), 1),
                ("latency_count".into(), 1),
                ("latency_sum_ms".into(), took),
            ];
            counts.extend(
                LATENCY_BUCKETS_MS
                    .iter()
                    .filter(|bound| took <= **bound)
                    .map(|bound| (format!("latency_le_{bound}"), 1)),
            );
            if error.is_some() {
                counts.push(("judge_errors".into(), 1));
            }
            add_counts(c, super::queue::process_of(worker), &mut counts)?;
            c.exec(
                "UPDATE workers SET judged = judged + 1 WHERE name = $1",
                &[process_of(worker).into()],
            )?;
            Ok(true)
        })?;
        if stored {
            self.hub.wake(submission);
        }
        Ok(stored)
    }

    /// Whether `worker` stored the result of `submission` (after `finish` could not tell:
    /// its commit's answer was lost with the connection).
    pub fn finished_by(&self, submission: i64, worker: &str) -> Result<bool, StoreError> {
        let row = self.db.with(|c| {
            c.query_one(
                "SELECT 1 FROM submissions WHERE id = $1 AND status = 'done' AND worker = $2 AND id NOT IN (SELECT submission_id FROM jobs)",
                &[submission.into(), worker.into()],
            )
        })?;
        Ok(row.is_some())
    }

    /// Jobs waiting or held, for health and tests.
    pub fn queue_depth(&self) -> Result<i64, StoreError> {
        count(&self.db, "SELECT COUNT(*) FROM jobs", &[])
    }

    /// The queue now (`QueueStats`).
    pub fn queue_stats(&self) -> Result<QueueStats, StoreError> {
        let now = now_ms();
        let row = self.db.with(|c| {
            c.query_one(
                "SELECT COALESCE(SUM(CASE WHEN j.lease_until_ms IS NULL OR j.lease_until_ms < $1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN j.lease_until_ms >= $1 THEN 1 ELSE 0 END), 0), MIN(CASE WHEN j.lease_until_ms IS NULL OR j.lease_until_ms < $1 THEN COALESCE(j.queued_ms, s.created_ms) END) FROM jobs j JOIN submissions s ON s.id = j.submission_id",
                &[now.into()],
            )
        })?;
        let Some(row) = row else {
            return Ok(QueueStats::default());
        };
        Ok(QueueStats {
            waiting: row.int(0)?,
            running: row.int(1)?,
            oldest_waiting_ms: row.opt_int(2)?.map_or(0, |t| (now - t).max(0)),
        })
    }

    /// Every counter, summed over the processes that added to it, by name.
    pub fn counters(&self) -> Result<Vec<(String, i64)>, StoreError> {
        let rows = self.db.with(|c| {
            c.query(
                "SELECT name, CAST(SUM(value) AS BIGINT) FROM counters GROUP BY name ORDER BY name",
                &[],
            )
        })?;
        rows.iter().map(|r| Ok((r.text(0)?, r.int(1)?))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMPILED: &str = r#""compile":{"ok":true,"time_ms":1,"cached":false,"stderr":""}"#;

    #[test]
    fn a_result_counts_under_its_verdict_a_runs_result_or_je() {
        let counted = |text: &str| counted_as(Ok(&Document::parse(text).unwrap()));
        assert_eq!(
            counted(&format!(
                r#"{{"schema":2,"problem":"p","mode":"submit","verdict":"WA","score":0,"max_score":1,{COMPILED},"groups":[],"samples":[],"warnings":[],"cached":false}}"#
            )),
            "WA"
        );
        let run = format!(
            r#"{{"schema":2,"problem":"p","mode":"run","result":"samples-passed",{COMPILED},"samples":[],"warnings":[],"cached":false}}"#
        );
        assert_eq!(counted(&run), "samples-passed");
        assert_eq!(
            counted(&format!(
                r#"{{"schema":2,"problem":"p","mode":"input","input":"x = 1",{COMPILED},"answer":null,"expected":null}}"#
            )),
            "none"
        );
        assert_eq!(counted_as(Err("judge error: ...")), "JE");
        assert!(read_report(1, &run).is_some());
        assert!(read_report(1, "{\"schema\":2").is_none(), "a damaged row");
    }

    #[test]
    fn a_worker_belongs_to_the_process_before_its_slash() {
        assert_eq!(process_of("host-a1b2/3"), "host-a1b2");
        assert_eq!(process_of("alone"), "alone");
    }
}
