//! The store's schema: numbered `.sql` files per backend (`migrations/sqlite/`,
//! `migrations/postgres/`, the same tables and columns in each dialect), built into the
//! binary and applied in order at start, each in a transaction of its own. How many are
//! applied is kept in SQLite's `user_version`, or PostgreSQL's `judge_schema` table.
//!
//! On PostgreSQL any number of servers and workers may start at once on one database:
//! whoever migrates holds a session advisory lock, so the others wait for it and then find
//! nothing left to do. A database whose schema is newer than this binary's (a newer judge
//! migrated it) is refused: this one would write rows the newer schema no longer means.
//!
//! Why not refinery: its newest release (refinery-core 0.10.1) takes rusqlite 0.23 to 0.41,
//! and the store uses 0.43 (one rusqlite per build: both link SQLite). It also leaves the
//! advisory lock to its caller, and it would need today's databases' counters carried into
//! its history table. The migrator is small; move to refinery once it takes our rusqlite.

use super::super::db::{self, Conn, DbError, Dialect};
use super::StoreError;

/// One migration: its number (from 1), its file name and its two scripts.
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

macro_rules! migrations {
    ($($version:literal $name:literal),* $(,)?) => {
        &[$(Migration {
            version: $version,
            name: $name,
            sqlite: include_str!(concat!("migrations/sqlite/", $name, ".sql")),
            postgres: include_str!(concat!("migrations/postgres/", $name, ".sql")),
        }),*]
    };
}

/// Every migration, in order.
pub const MIGRATIONS: &[Migration] = migrations![
    1 "0001_users_submissions_jobs",
    2 "0002_webhook_deliveries",
    3 "0003_custom_input",
    4 "0004_settings_workers",
    5 "0005_web_sessions_drafts",
    6 "0006_problem_versions",
    7 "0007_session_indexes",
    8 "0008_interviews",
    9 "0009_events_counters_workers",
    10 "0010_complexity",
    11 "0011_language",
    12 "0012_drafts_by_language",
];

/// The schema version this binary knows.
pub fn latest() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// The key of the advisory lock migrations run under (any fixed number; this one spells
/// "judge" in ASCII).
const LOCK_KEY: i64 = 0x6a_75_64_67_65;

/// Applies what the SQLite database at `path` lacks; refuses one newer than this binary.
pub fn sqlite(path: &std::path::Path) -> Result<(), StoreError> {
    let place = path.display().to_string();
    let mut c = db::open_sqlite(path).map_err(|source| StoreError::Open {
        path: place.clone(),
        source,
    })?;
    let applied = sqlite_version(&c)?;
    check_not_newer(&place, applied)?;
    for m in MIGRATIONS.iter().filter(|m| m.version > applied) {
        let failed = |source| StoreError::Migrate {
            version: m.version,
            name: m.name,
            source,
        };
        let step = |op: &'static str| {
            move |source| {
                failed(DbError::Sqlite {
                    op: op.into(),
                    source,
                })
            }
        };
        // IMMEDIATE, and the version read again inside: another process (a `judge user
        // add` beside a starting server) may have applied it since.
        let tx = c
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(step("begin a transaction"))?;
        let now: i64 = tx
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(step("read user_version"))?;
        if now < m.version {
            tx.execute_batch(m.sqlite).map_err(step("run the script"))?;
            tx.pragma_update(None, "user_version", m.version)
                .map_err(step("set user_version"))?;
        }
        tx.commit().map_err(step("commit"))?;
    }
    Ok(())
}

fn sqlite_version(c: &rusqlite::Connection) -> Result<i64, StoreError> {
    c.pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|source| {
            StoreError::Db(DbError::Sqlite {
                op: "read the schema version (user_version)".into(),
                source,
            })
        })
}

/// Applies what the PostgreSQL database lacks, on `client` (a connection of its own),
/// under the advisory lock; refuses one newer than this binary.
pub fn postgres(client: &mut postgres::Client, place: &str) -> Result<(), StoreError> {
    client
        .execute("SELECT pg_advisory_lock($1)", &[&LOCK_KEY])
        .map_err(step("wait for the migration lock (pg_advisory_lock)"))?;
    let applied = postgres_locked(client, place);
    // Released on disconnect too; unlocked here so a pooled session never keeps it.
    let unlocked = client
        .execute("SELECT pg_advisory_unlock($1)", &[&LOCK_KEY])
        .map_err(step("release the migration lock (pg_advisory_unlock)"));
    applied.and(unlocked.map(|_| ()))
}

/// A step of the migration that failed, named.
fn step(op: &'static str) -> impl FnOnce(postgres::Error) -> StoreError {
    move |source| {
        StoreError::Db(DbError::Postgres {
            op: op.into(),
            source,
        })
    }
}

fn postgres_locked(client: &mut postgres::Client, place: &str) -> Result<(), StoreError> {
    client
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS judge_schema (version BIGINT NOT NULL);
             INSERT INTO judge_schema (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM judge_schema);",
        )
        .map_err(step("create the schema counter (judge_schema)"))?;
    let applied: i64 = client
        .query_one("SELECT version FROM judge_schema", &[])
        .and_then(|row| row.try_get(0))
        .map_err(step("read the schema version (judge_schema)"))?;
    check_not_newer(place, applied)?;
    for m in MIGRATIONS.iter().filter(|m| m.version > applied) {
        let failed = |op: &'static str| {
            move |source| StoreError::Migrate {
                version: m.version,
                name: m.name,
                source: DbError::Postgres {
                    op: op.into(),
                    source,
                },
            }
        };
        let mut tx = client
            .transaction()
            .map_err(failed("begin a transaction"))?;
        tx.batch_execute(m.postgres)
            .map_err(failed("run the script"))?;
        tx.execute("UPDATE judge_schema SET version = $1", &[&m.version])
            .map_err(failed("set judge_schema"))?;
        tx.commit().map_err(failed("commit"))?;
    }
    Ok(())
}

fn check_not_newer(place: &str, applied: i64) -> Result<(), StoreError> {
    if applied > latest() {
        return Err(StoreError::Newer {
            place: place.to_string(),
            found: applied,
            known: latest(),
        });
    }
    Ok(())
}

/// The schema version a store's connection sees.
pub fn applied(c: &mut dyn Conn) -> Result<i64, DbError> {
    match c.dialect() {
        Dialect::Sqlite => c
            .query_one("PRAGMA user_version", &[])?
            .map_or(Ok(0), |r| r.int(0)),
        Dialect::Postgres => c
            .query_one("SELECT version FROM judge_schema", &[])?
            .map_or(Ok(0), |r| r.int(0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_migration_file_is_listed_once_in_order_for_both_backends() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store/migrations");
        for backend in ["sqlite", "postgres"] {
            let mut files: Vec<String> = std::fs::read_dir(dir.join(backend))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            files.sort();
            let listed: Vec<String> = MIGRATIONS
                .iter()
                .map(|m| format!("{}.sql", m.name))
                .collect();
            assert_eq!(files, listed, "{backend}");
        }
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as i64 + 1);
            assert!(
                m.name.starts_with(&format!("{:04}_", m.version)),
                "{}",
                m.name
            );
        }
    }

    #[test]
    fn a_database_newer_than_this_binary_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("judge.db");
        sqlite(&path).unwrap();
        let c = rusqlite::Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", latest() + 1).unwrap();
        let e = sqlite(&path).unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains(&format!("schema version {}", latest() + 1))
                && text.contains(&format!("knows up to {}", latest()))
                && text.contains("judge.db"),
            "{text}"
        );
        assert_eq!(sqlite_version(&c).unwrap(), latest() + 1);
    }

    #[test]
    fn migrating_twice_applies_nothing_twice() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("judge.db");
        sqlite(&path).unwrap();
        sqlite(&path).unwrap();
        let c = rusqlite::Connection::open(&path).unwrap();
        assert_eq!(sqlite_version(&c).unwrap(), latest());
    }
}
