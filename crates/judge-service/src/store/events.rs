//! Submissions' events in the store, so that a live view works whichever host judges: the
//! worker judging a submission appends its events (only while it holds the job), the result
//! replaces them with `done`, and a reader asks for the ones after the last it saw. On
//! PostgreSQL each write also sends `NOTIFY judge_events, '<submission id>'` in its
//! transaction, which the service's listening connection turns into a wake-up of this
//! process's readers (`hub`); on SQLite the writer is in the reader's process and wakes
//! them itself.

use super::super::db::{Conn, DbError, Dialect, Param};
use super::{now_ms, Status, Store, StoreError};

/// The channel PostgreSQL tells listening services on that a submission has new events;
/// the payload is the submission's id.
pub const EVENTS_CHANNEL: &str = "judge_events";

/// What a `queued` event says.
pub const QUEUED_DATA: &str = r#"{"event":"queued"}"#;

/// One stored event: its sequence number (the SSE id), name and JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    pub seq: i64,
    pub name: String,
    pub data: String,
}

/// Appends a `queued` event for `submission` (in the caller's transaction).
pub(super) fn insert_queued(c: &mut dyn Conn, submission: i64) -> Result<(), DbError> {
    c.exec(
        "INSERT INTO events (submission_id, name, data, at_ms) VALUES ($1, 'queued', $2, $3)",
        &[submission.into(), QUEUED_DATA.into(), now_ms().into()],
    )?;
    tell_listeners(c, submission)
}

/// Replaces a submission's events with `done` (in the transaction storing its result):
/// the result carries everything they said, so a reader behind goes straight to it.
pub(super) fn insert_done(c: &mut dyn Conn, submission: i64) -> Result<(), DbError> {
    c.exec(
        "DELETE FROM events WHERE submission_id = $1",
        &[submission.into()],
    )?;
    c.exec(
        "INSERT INTO events (submission_id, name, data, at_ms) VALUES ($1, 'done', '{}', $2)",
        &[submission.into(), now_ms().into()],
    )?;
    tell_listeners(c, submission)
}

/// On PostgreSQL, tells every listening service (`LISTEN judge_events`) when the
/// transaction commits.
fn tell_listeners(c: &mut dyn Conn, submission: i64) -> Result<(), DbError> {
    if c.dialect() == Dialect::Postgres {
        c.exec(
            "SELECT pg_notify($1, $2)",
            &[
                EVENTS_CHANNEL.into(),
                submission.to_string().as_str().into(),
            ],
        )?;
    }
    Ok(())
}

impl Store {
    /// Appends events of `submission` (name and JSON each) and, when given, its new status,
    /// in one transaction, if `worker` still holds its job; `false` (nothing written) when
    /// it does not: a worker that lost its lease never mixes its events into another's.
    pub fn add_events(
        &self,
        submission: i64,
        worker: &str,
        events: &[(String, String)],
        status: Option<Status>,
    ) -> Result<bool, StoreError> {
        let held = self.db.tx(|c| {
            let held = c
                .query_one(
                    "SELECT 1 FROM jobs WHERE submission_id = $1 AND worker = $2",
                    &[submission.into(), worker.into()],
                )?
                .is_some();
            if !held {
                return Ok(false);
            }
            let now = now_ms();
            for chunk in events.chunks(100) {
                let rows: Vec<String> = (0..chunk.len())
                    .map(|i| format!("($1, ${}, ${}, $2)", 3 + 2 * i, 4 + 2 * i))
                    .collect();
                let mut params: Vec<Param<'_>> = vec![submission.into(), now.into()];
                for (name, data) in chunk {
                    params.push(name.as_str().into());
                    params.push(data.as_str().into());
                }
                c.exec(
                    &format!(
                        "INSERT INTO events (submission_id, name, data, at_ms) VALUES {}",
                        rows.join(", ")
                    ),
                    &params,
                )?;
            }
            if let Some(status) = status {
                c.exec(
                    "UPDATE submissions SET status = $1 WHERE id = $2 AND status != 'done'",
                    &[status.name().into(), submission.into()],
                )?;
            }
            tell_listeners(c, submission)?;
            Ok(true)
        })?;
        if held {
            self.hub.wake(submission);
        }
        Ok(held)
    }

    /// The events of `submission` after sequence number `after`, oldest first, at most
    /// `limit`.
    pub fn events_after(
        &self,
        submission: i64,
        after: i64,
        limit: i64,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let rows = self.db.with(|c| {
            c.query(
                "SELECT seq, name, data FROM events WHERE submission_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
                &[submission.into(), after.into(), limit.into()],
            )
        })?;
        rows.iter()
            .map(|r| {
                Ok(StoredEvent {
                    seq: r.int(0)?,
                    name: r.text(1)?,
                    data: r.text(2)?,
                })
            })
            .collect()
    }
}
