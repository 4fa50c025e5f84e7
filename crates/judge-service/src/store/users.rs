//! Users: their roles, stored as words (what each may do is `access`'), and their API
//! tokens (the database keeps each token's SHA-256).

use super::{now_ms, Store, StoreError};

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Submits, and reads its own submissions.
    Candidate,
    /// Also reads every submission and rejudges a problem's.
    Author,
    /// Everything, users too.
    Admin,
    /// Creates mock interviews and watches its own.
    Interviewer,
    /// The candidate of one mock interview: its problems only, until its deadline.
    Interviewee,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Candidate => "candidate",
            Role::Author => "author",
            Role::Admin => "admin",
            Role::Interviewer => "interviewer",
            Role::Interviewee => "interviewee",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "candidate" => Some(Role::Candidate),
            "author" => Some(Role::Author),
            "admin" => Some(Role::Admin),
            "interviewer" => Some(Role::Interviewer),
            "interviewee" => Some(Role::Interviewee),
            _ => None,
        }
    }

    /// The stored word of column `users.role`, or the error that names it (a role this
    /// judge does not know is no reason to treat its user as unknown).
    pub fn from_column(text: &str) -> Result<Role, StoreError> {
        Role::parse(text).ok_or_else(|| super::status::unknown("users.role", text))
    }
}

#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub role: Role,
}

impl Store {
    pub fn add_user(&self, name: &str, role: Role, token_hash: &str) -> Result<i64, StoreError> {
        let row = self.db.with(|c| {
            c.query_one(
                "INSERT INTO users (name, role, token_hash, created_ms) VALUES ($1, $2, $3, $4) RETURNING id",
                &[name.into(), role.name().into(), token_hash.into(), now_ms().into()],
            )
        })?;
        Ok(row.map(|r| r.int(0)).transpose()?.unwrap_or(0))
    }

    pub fn user_by_token(&self, token_hash: &str) -> Result<Option<User>, StoreError> {
        let row = self.db.with(|c| {
            c.query_one(
                "SELECT id, name, role FROM users WHERE token_hash = $1",
                &[token_hash.into()],
            )
        })?;
        let Some(row) = row else {
            return Ok(None);
        };
        Ok(Some(User {
            id: row.int(0)?,
            name: row.text(1)?,
            role: Role::from_column(&row.text(2)?)?,
        }))
    }
}
