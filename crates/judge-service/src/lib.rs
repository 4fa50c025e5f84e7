//! `judge serve`: the judge as a service. An HTTP API (`api`) over a durable queue in a
//! database (`store`: SQLite in a data dir, or PostgreSQL shared by many hosts), judged by
//! worker tasks in the same process or in `judge worker` processes elsewhere (`worker`)
//! through one shared `Engine`, with each judging's events kept in the store and streamed
//! live to whoever watches (`hub` wakes the readers).
//!
//! A submission's life: `POST /api/v1/submissions` stores it, its job and its `queued`
//! event in one transaction before answering 201 (queued); a worker claims the job with a
//! lease (renewed by a heartbeat), judges it (status compiling, then judging, each event
//! written to the store), and writes the report in the transaction that deletes the job
//! (done). A process killed at any point leaves the job in the table: on SQLite every lease
//! is released at the next start (this process owns the data dir, under a lock), on
//! PostgreSQL the lease expires, and the job is judged again; a job claimed more than
//! `worker::MAX_ATTEMPTS` times ends as a judge error instead.
//!
//! This file declares the modules, re-exports what the `judge` package's command line
//! uses, and holds `Service`, which every module shares (so that none of them imports
//! another for it). `serve` starts `judge serve`, `worker_process` is `judge worker` and
//! the workers every process runs, `startup` what both do before taking work, `options`
//! what they are asked for, `service_error` why they fail, `backup` is `judge backup`.

pub mod access;
mod accounts;
pub mod api;
mod backup;
pub mod db;
mod document;
mod errors;
mod headers;
mod http;
mod hub;
mod intake;
pub mod interviews;
pub mod kattis;
pub mod logs;
mod metrics;
pub mod openapi;
mod options;
pub mod packages;
mod problems;
pub mod reach;
mod routes;
mod secrets;
mod serve;
mod service_error;
pub mod session;
mod similarity;
mod startup;
pub mod store;
mod streams;
mod submissions;
mod throttle;
pub mod views;
pub mod web;
pub mod webhook;
pub mod webhook_target;
mod worker;
mod worker_process;
mod workers;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tokio::sync::Notify;

use judge_core::judge::Engine;
use judge_core::problem::bank::Bank;

pub use accounts::{add_user, set_password, sign_out_everywhere, MIN_PASSWORD};
pub use backup::backup;
pub use options::{Limits, Options, WorkerOptions};
pub use packages::problem_version;
pub use secrets::{new_token, token_hash};
pub use serve::serve;
pub use service_error::ServiceError;
pub use startup::WEBHOOK_SECRET_VAR;
pub use store::{Role, StoreError};
pub use worker_process::work;

/// What every handler and worker shares.
pub struct Service {
    pub store: store::Store,
    pub engine: Engine,
    pub bank: Bank,
    /// Woken when a job is queued.
    work: Notify,
    /// Woken when the service stops.
    stop: Notify,
    /// Woken when a webhook is owed.
    deliver: Notify,
    /// The key webhooks are signed with.
    webhook_key: Vec<u8>,
    stopping: AtomicBool,
    limits: Limits,
    rates: api::Rates,
    metrics: metrics::Metrics,
    /// Session cookies are `Secure` (`Options::secure_cookies`); set once at start.
    secure_cookies: AtomicBool,
    /// Password sign-ins: how many hash at once, and failures per name.
    sign_ins: session::SignInGuard,
    /// Problem versions this process has published in the store (`packages`).
    published: std::sync::Mutex<std::collections::HashSet<String>>,
    /// How users reach the service and whom it may call; set once at start.
    reach: reach::Reach,
    /// Event streams open per account.
    streams: streams::Streams,
}

impl Service {
    fn stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    fn new(
        store: store::Store,
        engine: Engine,
        bank: Bank,
        webhook_key: Vec<u8>,
        limits: Limits,
    ) -> Arc<Service> {
        Arc::new(Service {
            store,
            engine,
            bank,
            work: Notify::new(),
            stop: Notify::new(),
            deliver: Notify::new(),
            webhook_key,
            stopping: AtomicBool::new(false),
            limits,
            rates: api::Rates::default(),
            metrics: metrics::Metrics::default(),
            published: std::sync::Mutex::default(),
            sign_ins: session::SignInGuard::default(),
            secure_cookies: AtomicBool::new(false),
            reach: reach::Reach::default(),
            streams: streams::Streams::default(),
        })
    }
}
