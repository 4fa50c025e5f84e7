//! What the web interface keeps: passwords (as argon2 hashes, made by the caller), sign-in
//! sessions, each user's last draft per problem and language, and each user's state per
//! problem.

use std::collections::BTreeMap;

use judge_core::report::document::Document;
use judge_core::report::Verdict;

use super::{mode_from_column, now_ms, Mode, Role, Store, StoreError, User};

/// A user's saved code for a problem, in one language.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Draft {
    /// The languages table's id.
    pub language: String,
    pub source: String,
    pub updated_ms: i64,
}

/// Where a user stands on a problem.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProblemState {
    /// Runs and submissions, judged or not.
    pub attempts: i64,
    /// A submission was accepted.
    pub solved: bool,
    /// The best score of a judged submission, with the most it could be.
    pub best: Option<(i64, i64)>,
}

/// The most sessions (signed-in browsers) one user keeps; signing in again ends the oldest.
pub const SESSIONS_PER_USER: i64 = 20;

impl Store {
    /// Sets (or replaces) a user's password hash; false when there is no such user.
    pub fn set_password(&self, name: &str, hash: &str) -> Result<bool, StoreError> {
        let changed = self.db.with(|c| {
            c.exec(
                "UPDATE users SET password_hash = $1 WHERE name = $2",
                &[hash.into(), name.into()],
            )
        })?;
        Ok(changed > 0)
    }

    /// A user by name, with its password hash if it has one.
    pub fn user_by_name(&self, name: &str) -> Result<Option<(User, Option<String>)>, StoreError> {
        let row = self.db.with(|c| {
            c.query_one(
                "SELECT id, name, role, password_hash FROM users WHERE name = $1",
                &[name.into()],
            )
        })?;
        let Some(row) = row else {
            return Ok(None);
        };
        let role = Role::from_column(&row.text(2)?)?;
        let user = User {
            id: row.int(0)?,
            name: row.text(1)?,
            role,
        };
        Ok(Some((user, row.opt_text(3)?)))
    }

    /// A new session for a user, until `expires_ms`; expired sessions are deleted on the way.
    pub fn create_session(
        &self,
        user: &User,
        id_hash: &str,
        csrf: &str,
        expires_ms: i64,
    ) -> Result<(), StoreError> {
        let now = now_ms();
        self.db.tx(|c| {
            c.exec(
                "DELETE FROM sessions WHERE expires_ms <= $1",
                &[now.into()],
            )?;
            c.exec(
                "INSERT INTO sessions (id_hash, user_id, csrf, created_ms, expires_ms) VALUES ($1, $2, $3, $4, $5)",
                &[id_hash.into(), user.id.into(), csrf.into(), now.into(), expires_ms.into()],
            )?;
            // A user keeps its newest sessions only (this one always): signing in without
            // end cannot grow the table without end.
            c.exec(
                "DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2 AND id_hash NOT IN (SELECT id_hash FROM sessions WHERE user_id = $1 AND id_hash <> $2 ORDER BY created_ms DESC LIMIT $3)",
                &[user.id.into(), id_hash.into(), (SESSIONS_PER_USER - 1).into()],
            )
        })?;
        Ok(())
    }

    /// The user of a session that has not expired, and the session's CSRF token.
    pub fn session(&self, id_hash: &str) -> Result<Option<(User, String)>, StoreError> {
        let row = self.db.with(|c| {
            c.query_one(
                "SELECT u.id, u.name, u.role, s.csrf FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1 AND s.expires_ms > $2",
                &[id_hash.into(), now_ms().into()],
            )
        })?;
        let Some(row) = row else {
            return Ok(None);
        };
        let role = Role::from_column(&row.text(2)?)?;
        let user = User {
            id: row.int(0)?,
            name: row.text(1)?,
            role,
        };
        Ok(Some((user, row.text(3)?)))
    }

    pub fn end_session(&self, id_hash: &str) -> Result<(), StoreError> {
        self.db
            .with(|c| c.exec("DELETE FROM sessions WHERE id_hash = $1", &[id_hash.into()]))?;
        Ok(())
    }

    /// Ends every session of a user (signed out everywhere); how many there were.
    pub fn end_sessions_of(&self, name: &str) -> Result<u64, StoreError> {
        Ok(self.db.with(|c| {
            c.exec(
                "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = $1)",
                &[name.into()],
            )
        })?)
    }

    /// The user's draft of `problem` in `language`, or, with no language, its newest draft
    /// of the problem in any.
    pub fn draft(
        &self,
        user: &User,
        problem: &str,
        language: Option<&str>,
    ) -> Result<Option<Draft>, StoreError> {
        let row = self.db.with(|c| match language {
            Some(language) => c.query_one(
                "SELECT language, source, updated_ms FROM drafts WHERE user_id = $1 AND problem = $2 AND language = $3",
                &[user.id.into(), problem.into(), language.into()],
            ),
            None => c.query_one(
                "SELECT language, source, updated_ms FROM drafts WHERE user_id = $1 AND problem = $2 ORDER BY updated_ms DESC, language LIMIT 1",
                &[user.id.into(), problem.into()],
            ),
        })?;
        Ok(row
            .map(|r| -> Result<Draft, super::DbError> {
                Ok(Draft {
                    language: r.text(0)?,
                    source: r.text(1)?,
                    updated_ms: r.int(2)?,
                })
            })
            .transpose()?)
    }

    /// The user's drafts of `problem`, one per language.
    pub fn drafts(&self, user: &User, problem: &str) -> Result<Vec<Draft>, StoreError> {
        let rows = self.db.with(|c| {
            c.query(
                "SELECT language, source, updated_ms FROM drafts WHERE user_id = $1 AND problem = $2 ORDER BY language",
                &[user.id.into(), problem.into()],
            )
        })?;
        rows.iter()
            .map(|r| {
                Ok(Draft {
                    language: r.text(0)?,
                    source: r.text(1)?,
                    updated_ms: r.int(2)?,
                })
            })
            .collect()
    }

    /// Keeps `source` as the user's draft for `problem` in `language`, replacing the one
    /// before (the problem's drafts in other languages stay).
    pub fn save_draft(
        &self,
        user: &User,
        problem: &str,
        language: &str,
        source: &str,
    ) -> Result<i64, StoreError> {
        let now = now_ms();
        self.db.with(|c| {
            c.exec(
                "INSERT INTO drafts (user_id, problem, language, source, updated_ms) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, problem, language) DO UPDATE SET source = excluded.source, updated_ms = excluded.updated_ms",
                &[user.id.into(), problem.into(), language.into(), source.into(), now.into()],
            )
        })?;
        Ok(now)
    }

    /// The user's state on every problem it tried, from its submissions' reports.
    pub fn problem_states(
        &self,
        user: &User,
    ) -> Result<BTreeMap<String, ProblemState>, StoreError> {
        let rows = self.db.with(|c| {
            c.query(
                "SELECT problem, mode, report FROM submissions WHERE user_id = $1",
                &[user.id.into()],
            )
        })?;
        let mut states: BTreeMap<String, ProblemState> = BTreeMap::new();
        for row in &rows {
            let state = states.entry(row.text(0)?).or_default();
            state.attempts += 1;
            if mode_from_column(&row.text(1)?)? != Mode::Submit {
                continue;
            }
            let report = row.opt_text(2)?.and_then(|r| Document::parse(&r).ok());
            let Some(report) = report.as_ref().and_then(Document::judging) else {
                continue;
            };
            if report.verdict == Some(Verdict::AC) {
                state.solved = true;
            }
            if let (Some(score), Some(max)) = (report.score, report.max_score) {
                let score = i64::from(score);
                if state.best.is_none_or(|(best, _)| score > best) {
                    state.best = Some((score, i64::from(max)));
                }
            }
        }
        Ok(states)
    }

    /// How often each problem's submissions were accepted, over every user: (accepted,
    /// judged) per problem. Only judged submissions count (not runs, and not those the
    /// judge could not finish, which have no verdict).
    pub fn acceptance(&self) -> Result<BTreeMap<String, (i64, i64)>, StoreError> {
        let verdict = match self.dialect() {
            super::Dialect::Sqlite => "json_extract(report, '$.verdict')",
            super::Dialect::Postgres => "(report::json ->> 'verdict')",
        };
        let sql = format!(
            "SELECT problem, SUM(CASE WHEN {verdict} = 'AC' THEN 1 ELSE 0 END), COUNT(*) FROM submissions WHERE mode = 'submit' AND status = 'done' AND {verdict} IS NOT NULL GROUP BY problem"
        );
        let rows = self.db.with(|c| c.query(&sql, &[]))?;
        rows.iter()
            .map(|r| Ok((r.text(0)?, (r.int(1)?, r.int(2)?))))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_keeps_its_newest_sessions_only() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let id = store.add_user("ada", Role::Candidate, "hash").unwrap();
        let user = User {
            id,
            name: "ada".into(),
            role: Role::Candidate,
        };
        let far = now_ms() + 60_000;
        for n in 0..SESSIONS_PER_USER + 5 {
            store
                .create_session(&user, &format!("s{n}"), "csrf", far)
                .unwrap();
        }
        let kept = (0..SESSIONS_PER_USER + 5)
            .filter(|n| store.session(&format!("s{n}")).unwrap().is_some())
            .count();
        assert_eq!(kept as i64, SESSIONS_PER_USER);
        assert!(store
            .session(&format!("s{}", SESSIONS_PER_USER + 4))
            .unwrap()
            .is_some());
        // An expired session is gone, whatever its cookie says.
        store
            .create_session(&user, "old", "csrf", now_ms() - 1)
            .unwrap();
        assert!(store.session("old").unwrap().is_none());
    }
}
