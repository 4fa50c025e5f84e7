//! The service's database: users, submissions and the job queue, on SQLite (one file in
//! the data dir, WAL; the default) or PostgreSQL (a server that many hosts share), through
//! `db`. A submission is written before the client hears of it, and its job row is the
//! queue: claimed with a lease, renewed by a heartbeat, deleted in the same transaction that
//! writes the result, so a crash at any point leaves either the job (judged again) or the
//! result, never both and never neither. On PostgreSQL jobs are claimed with
//! `FOR UPDATE SKIP LOCKED`, so workers on many hosts never take the same one.
//!
//! Times are milliseconds since the Unix epoch.

mod deliveries;
mod error;
mod events;
mod interviews;
mod latest;
pub mod migrate;
mod url;
use url::postgres_config;
pub use url::{is_postgres_url, redact};
mod queue;
mod settings;
mod status;
mod submissions;
#[cfg(test)]
mod tests;
mod users;
mod web;
mod workers;

pub use deliveries::Due;
pub use error::StoreError;
pub use events::{StoredEvent, EVENTS_CHANNEL};
pub use interviews::{Interview, InterviewEvent, NewInterview, RecordKind};
pub use queue::{
    counted_as, process_of, read_report, Claim, QueueStats, JOBS_CHANNEL, LATENCY_BUCKETS_MS,
};
pub use status::{mode_from_column, Mode, Status};
use submissions::{count, row_to_submission, SELECT_SUBMISSION};
pub use submissions::{NewSubmission, Submission};
pub use users::{Role, User};
pub use web::{Draft, ProblemState};
pub use workers::{WorkerInfo, WorkerState, GONE_AFTER_MS};

use std::path::Path;
use std::sync::Arc;

use super::db::{Db, DbError, Dialect, Row};
use super::hub::Hub;

pub struct Store {
    db: Db,
    /// Wakes this process's readers of a submission's events (`hub`).
    hub: Arc<Hub>,
}

/// Connections a store keeps open at most, unless told otherwise.
pub const DEFAULT_CONNECTIONS: u32 = 16;

impl Store {
    /// Opens (or creates) the SQLite database in `dir` and applies the migrations it lacks.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        Store::open_with(dir, DEFAULT_CONNECTIONS)
    }

    /// `open`, with at most `connections` connections.
    pub fn open_with(dir: &Path, connections: u32) -> Result<Store, StoreError> {
        let path = dir.join("judge.db");
        migrate::sqlite(&path)?;
        Ok(Store {
            db: Db::sqlite(path, connections),
            hub: Arc::default(),
        })
    }

    /// Connects to the PostgreSQL database at `url` (`postgres://user@host:port/db`) and
    /// applies the migrations it lacks.
    pub fn connect(url: &str) -> Result<Store, StoreError> {
        Store::connect_as(url, "judge", DEFAULT_CONNECTIONS)
    }

    /// `connect`, naming the connections `application_name` on the server (PostgreSQL's
    /// `pg_stat_activity` then tells the service's connections from each worker's), with
    /// at most `connections` of them. The first connection is made here, so a server that
    /// cannot be reached fails now, with its reason.
    pub fn connect_as(
        url: &str,
        application_name: &str,
        connections: u32,
    ) -> Result<Store, StoreError> {
        let config = postgres_config(url, application_name)?;
        let place = redact(url);
        super::db::run_blocking(|| {
            let mut client =
                config
                    .connect(postgres::NoTls)
                    .map_err(|source| StoreError::Open {
                        path: place.clone(),
                        source: DbError::Postgres {
                            op: "connect".into(),
                            source,
                        },
                    })?;
            migrate::postgres(&mut client, &place)
        })?;
        Ok(Store {
            db: Db::postgres(config, connections),
            hub: Arc::default(),
        })
    }

    /// Opens the database `target` names: a `postgres://` URL, else a data dir (SQLite).
    pub fn at(target: &str) -> Result<Store, StoreError> {
        if is_postgres_url(target) {
            Store::connect(target)
        } else {
            Store::open(Path::new(target))
        }
    }

    pub fn dialect(&self) -> Dialect {
        self.db.dialect()
    }

    /// The readers of submissions' events in this process, woken when events are stored.
    pub fn hub(&self) -> &Arc<Hub> {
        &self.hub
    }

    /// Connections open now, and how many of them are idle.
    pub fn connections(&self) -> (u32, u32) {
        self.db.connections()
    }
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
