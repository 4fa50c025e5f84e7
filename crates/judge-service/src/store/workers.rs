//! The worker processes registered in the store: each has a row of its own (a unique id,
//! its host and pid, toolchain, isolation, how many jobs it takes at once and holds now,
//! what it has judged, where it serves /healthz and /metrics) that its heartbeat keeps
//! fresh. A process stopped cleanly takes its row away; a killed one stops beating, is
//! shown as gone after `GONE_AFTER_MS`, and is pruned by the service later.

use super::{now_ms, Store, StoreError};

/// A worker whose heartbeat is older than this is shown as gone: three heartbeats missed.
pub const GONE_AFTER_MS: i64 = 15_000;

/// A worker as it registered itself, and what it holds now (as `GET /api/v1/workers`
/// lists it).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct WorkerInfo {
    /// Unique: the host's name and a random suffix (pids repeat across containers).
    pub name: String,
    pub host: String,
    /// Its process id on its host.
    pub pid: i64,
    /// The judge's version it runs.
    pub version: String,
    /// The first line of its `rustc -vV`.
    pub toolchain: String,
    /// "complete", or the isolation layers missing on its machine.
    pub isolation: String,
    /// Judgings at once.
    pub jobs: i64,
    pub in_flight: i64,
    /// Results it has stored.
    pub judged: i64,
    /// Where it serves /healthz and /metrics, if anywhere.
    pub listen: Option<String>,
    pub started_ms: i64,
    pub heartbeat_ms: i64,
    /// Alive, or gone (no heartbeat for `GONE_AFTER_MS`).
    pub state: WorkerState,
    /// The submissions it holds leases on now.
    pub current: Vec<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum WorkerState {
    Alive,
    Gone,
}

impl WorkerState {
    pub fn name(self) -> &'static str {
        match self {
            WorkerState::Alive => "alive",
            WorkerState::Gone => "gone",
        }
    }

    fn of(heartbeat_ms: i64, now: i64) -> WorkerState {
        if now - heartbeat_ms > GONE_AFTER_MS {
            WorkerState::Gone
        } else {
            WorkerState::Alive
        }
    }
}

impl Store {
    /// Registers (or registers again) a worker process, heartbeat now.
    pub fn register_worker(&self, w: &WorkerInfo) -> Result<(), StoreError> {
        let now = now_ms();
        self.db.with(|c| {
            c.exec(
                "INSERT INTO workers (name, host, pid, version, toolchain, isolation, jobs, in_flight, listen, started_ms, heartbeat_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, $9) ON CONFLICT (name) DO UPDATE SET heartbeat_ms = excluded.heartbeat_ms",
                &[
                    w.name.as_str().into(),
                    w.host.as_str().into(),
                    w.pid.into(),
                    w.version.as_str().into(),
                    w.toolchain.as_str().into(),
                    w.isolation.as_str().into(),
                    w.jobs.into(),
                    w.listen.as_deref().into(),
                    now.into(),
                ],
            )
        })?;
        Ok(())
    }

    /// A worker is alive and judging `in_flight` jobs; `false` when its row is gone (pruned
    /// while it could not reach the database): it should register again.
    pub fn worker_heartbeat(&self, name: &str, in_flight: i64) -> Result<bool, StoreError> {
        let n = self.db.with(|c| {
            c.exec(
                "UPDATE workers SET heartbeat_ms = $1, in_flight = $2 WHERE name = $3",
                &[now_ms().into(), in_flight.into(), name.into()],
            )
        })?;
        Ok(n == 1)
    }

    /// A worker that stopped.
    pub fn remove_worker(&self, name: &str) -> Result<(), StoreError> {
        self.db
            .with(|c| c.exec("DELETE FROM workers WHERE name = $1", &[name.into()]))?;
        Ok(())
    }

    /// Forgets workers with no heartbeat for `after_ms`; returns how many.
    pub fn prune_workers(&self, after_ms: i64) -> Result<u64, StoreError> {
        Ok(self.db.with(|c| {
            c.exec(
                "DELETE FROM workers WHERE heartbeat_ms < $1",
                &[(now_ms() - after_ms).into()],
            )
        })?)
    }

    /// Every registered worker, by name, with the jobs each holds now.
    pub fn workers(&self) -> Result<Vec<WorkerInfo>, StoreError> {
        let (rows, held) = self.db.with(|c| {
            let rows = c.query(
                "SELECT name, host, pid, version, toolchain, isolation, jobs, in_flight, judged, listen, started_ms, heartbeat_ms FROM workers ORDER BY name",
                &[],
            )?;
            let held = c.query(
                "SELECT worker, submission_id FROM jobs WHERE worker IS NOT NULL ORDER BY submission_id",
                &[],
            )?;
            Ok((rows, held))
        })?;
        let now = now_ms();
        let held: Vec<(String, i64)> = held
            .iter()
            .map(|r| Ok((r.text(0)?, r.int(1)?)))
            .collect::<Result<_, super::DbError>>()?;
        rows.iter()
            .map(|r| {
                let name = r.text(0)?;
                let heartbeat_ms = r.int(11)?;
                Ok(WorkerInfo {
                    current: held
                        .iter()
                        .filter(|(worker, _)| super::queue::process_of(worker) == name)
                        .map(|(_, id)| *id)
                        .collect(),
                    name,
                    host: r.text(1)?,
                    pid: r.int(2)?,
                    version: r.text(3)?,
                    toolchain: r.text(4)?,
                    isolation: r.text(5)?,
                    jobs: r.int(6)?,
                    in_flight: r.int(7)?,
                    judged: r.int(8)?,
                    listen: r.opt_text(9)?,
                    started_ms: r.int(10)?,
                    heartbeat_ms,
                    state: WorkerState::of(heartbeat_ms, now),
                })
            })
            .collect()
    }
}
