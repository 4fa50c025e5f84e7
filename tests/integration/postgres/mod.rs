//! The store and the service on PostgreSQL: a private cluster per test (initdb and pg_ctl
//! in a temp dir, on a free loopback port), the same behaviour as on SQLite, and workers on
//! several connections never taking the same job. Without PostgreSQL installed the tests
//! say loudly that they were skipped; under CI=true they fail instead. `setup.rs` holds
//! what the tests share: the cluster, a server on it, worker processes, and looks into the
//! database.

mod failures;
mod queue;
mod service;
mod setup;
mod workers;
