//! Webhooks owed (`deliveries`, a row per submission whose final state is owed to its
//! `callback_url`, written in the transaction that stores the result). A deliverer takes a
//! due row by moving its `next_ms` past the attempt (a lease: a process that dies mid-call
//! leaves it due again later), and settles it only while the row still holds that lease, so
//! two deliverers (or a rejudge owing the webhook again) never settle one another's.

use super::{now_ms, Store, StoreError};

/// A webhook due now.
#[derive(Debug, Clone)]
pub struct Due {
    pub submission: i64,
    /// Its owner, whose deliveries are limited together.
    pub user_id: i64,
    pub url: String,
    /// Deliveries tried so far.
    pub attempts: i64,
    /// When it fell due: the lease is taken only while this is still the row's.
    pub next_ms: i64,
}

impl Store {
    /// Webhooks due now, oldest first, at most `per_user` of each owner (so one owner's
    /// backlog never hides another's) and `limit` in all.
    pub fn due_deliveries(&self, per_user: i64, limit: i64) -> Result<Vec<Due>, StoreError> {
        let rows = self.db.with(|c| {
            c.query(
                "SELECT submission_id, user_id, callback_url, attempts, next_ms FROM (SELECT d.submission_id, s.user_id, s.callback_url, d.attempts, d.next_ms, ROW_NUMBER() OVER (PARTITION BY s.user_id ORDER BY d.next_ms, d.submission_id) AS n FROM deliveries d JOIN submissions s ON s.id = d.submission_id WHERE d.next_ms <= $1 AND s.callback_url IS NOT NULL) due WHERE n <= $2 ORDER BY next_ms, submission_id LIMIT $3",
                &[now_ms().into(), per_user.into(), limit.into()],
            )
        })?;
        let mut due = Vec::with_capacity(rows.len());
        for r in &rows {
            due.push(Due {
                submission: r.int(0)?,
                user_id: r.int(1)?,
                url: r.text(2)?,
                attempts: r.int(3)?,
                next_ms: r.int(4)?,
            });
        }
        Ok(due)
    }

    /// Takes a due webhook until `lease_ms` (its `next_ms`), unless another deliverer took it
    /// first or it was owed again since it was read.
    pub fn lease_delivery(&self, due: &Due, lease_ms: i64) -> Result<bool, StoreError> {
        let taken = self.db.with(|c| {
            c.exec(
                "UPDATE deliveries SET next_ms = $1 WHERE submission_id = $2 AND next_ms = $3",
                &[lease_ms.into(), due.submission.into(), due.next_ms.into()],
            )
        })?;
        Ok(taken == 1)
    }

    /// A webhook delivered under lease `lease_ms`: owed no more.
    pub fn delivered(&self, submission: i64, lease_ms: i64) -> Result<(), StoreError> {
        self.db.with(|c| {
            c.exec(
                "DELETE FROM deliveries WHERE submission_id = $1 AND next_ms = $2",
                &[submission.into(), lease_ms.into()],
            )
        })?;
        Ok(())
    }

    /// A failed delivery under lease `lease_ms`, tried again at `next_ms` (`None`: given up,
    /// kept with its error).
    pub fn delivery_failed(
        &self,
        submission: i64,
        lease_ms: i64,
        error: &str,
        next_ms: Option<i64>,
    ) -> Result<(), StoreError> {
        self.db.with(|c| {
            c.exec(
                "UPDATE deliveries SET attempts = attempts + 1, last_error = $1, next_ms = $2 WHERE submission_id = $3 AND next_ms = $4",
                &[
                    error.into(),
                    next_ms.unwrap_or(i64::MAX).into(),
                    submission.into(),
                    lease_ms.into(),
                ],
            )
        })?;
        Ok(())
    }

    /// A webhook still owed: the deliveries tried and the last one's error (`None` once
    /// delivered, or when none was owed).
    pub fn delivery_state(
        &self,
        submission: i64,
    ) -> Result<Option<(i64, Option<String>)>, StoreError> {
        let row = self.db.with(|c| {
            c.query_one(
                "SELECT attempts, last_error FROM deliveries WHERE submission_id = $1",
                &[submission.into()],
            )
        })?;
        row.map(|r| Ok((r.int(0)?, r.opt_text(1)?))).transpose()
    }
}
