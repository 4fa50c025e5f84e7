//! What can go wrong in the store: the database's errors, each naming its statement or
//! step, a migration, a schema newer than this judge, and a stored word it does not know.

use super::DbError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database at {path}: {source}")]
    Open { path: String, source: DbError },
    #[error("the database: {0}")]
    Db(#[from] DbError),
    #[error("the database: migration {version} ({name}.sql): {source}")]
    Migrate {
        version: i64,
        name: &'static str,
        source: DbError,
    },
    #[error("the database at {place} has schema version {found}, but this judge knows up to {known}: a newer judge migrated it; run that version here too (docs/operations.md, upgrades)")]
    Newer {
        place: String,
        found: i64,
        known: i64,
    },
    #[error("the database: column {column} holds {value:?}, which this judge does not know")]
    Unknown { column: &'static str, value: String },
}

impl StoreError {
    /// A UNIQUE constraint refused the write (a user name taken).
    pub fn is_constraint(&self) -> bool {
        matches!(self, StoreError::Db(e) | StoreError::Open { source: e, .. } if e.is_constraint())
    }

    /// The database could not be reached: trying again later may succeed.
    pub fn is_connection(&self) -> bool {
        matches!(self, StoreError::Db(e) | StoreError::Open { source: e, .. } if e.is_connection())
    }
}
