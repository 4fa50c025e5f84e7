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
mod open;
mod url;
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
pub use open::{Store, DEFAULT_CONNECTIONS};
pub use queue::{
    counted_as, process_of, read_report, Claim, QueueStats, JOBS_CHANNEL, LATENCY_BUCKETS_MS,
};
pub use status::{mode_from_column, Mode, Status};
use submissions::{count, row_to_submission, SELECT_SUBMISSION};
pub use submissions::{NewSubmission, Submission};
pub use users::{Role, User};
pub use web::{Draft, ProblemState};
pub use workers::{WorkerInfo, WorkerState, GONE_AFTER_MS};

use super::db::{DbError, Dialect, Row};

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
