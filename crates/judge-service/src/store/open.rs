//! The store's handle: the SQLite file of a data dir or a PostgreSQL server, opened with
//! the migrations it lacks applied, and the wake-ups of this process's event readers.

use std::path::Path;
use std::sync::Arc;

use super::migrate;
use super::url::{is_postgres_url, postgres_config, redact};
use super::StoreError;
use crate::db::{Db, DbError, Dialect};
use crate::hub::Hub;

pub struct Store {
    pub(super) db: Db,
    /// Wakes this process's readers of a submission's events (`hub`).
    pub(super) hub: Arc<Hub>,
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
        crate::db::run_blocking(|| {
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
