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

pub mod access;
mod accounts;
pub mod api;
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
pub mod packages;
mod problems;
pub mod reach;
mod routes;
mod secrets;
pub mod session;
mod similarity;
pub mod store;
mod streams;
mod submissions;
mod throttle;
pub mod views;
pub mod web;
pub mod webhook;
pub mod webhook_target;
mod worker;
mod workers;

use std::fs::File;
use std::net::SocketAddr;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tokio::sync::Notify;

use judge_core::cache::digest;
use judge_core::judge::Engine;
use judge_core::problem::bank::Bank;
use judge_core::problem::spec::{Problem, CHECKER_FILE};

pub use accounts::{add_user, set_password, sign_out_everywhere};
pub use secrets::{new_token, token_hash};
pub use store::{Role, StoreError};

/// What `judge serve` was asked for.
pub struct Options {
    pub listen: SocketAddr,
    /// The data dir: the SQLite database and the webhook key. With `db`, only when given
    /// (a webhook key kept there by an older judge is still used).
    pub data: Option<PathBuf>,
    /// A PostgreSQL URL: the store on a server many hosts share, instead of SQLite.
    pub db: Option<String>,
    pub workers: usize,
    /// Database connections this process keeps at most.
    pub connections: u32,
    /// Registered workers with no heartbeat for this long are forgotten.
    pub prune_workers_after: std::time::Duration,
    pub limits: Limits,
    /// The service is reached over HTTPS (behind a proxy that ends TLS): the session cookie
    /// is then `Secure` and named `__Host-judge_session`, so it never travels in clear and
    /// no sibling subdomain can plant one.
    pub secure_cookies: bool,
    /// How users reach the service and whom it may call (`--public-url`,
    /// `--webhook-allow`, `--trusted-proxy`).
    pub reach: reach::Reach,
}

/// What one token may ask of the service; over either, a request gets 429 and Retry-After.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Requests a minute (every endpoint but /healthz and /metrics).
    pub per_minute: u32,
    /// Submissions waiting or being judged at once.
    pub queued: i64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            per_minute: 600,
            queued: 20,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot use the data dir {}: {source}", path.display())]
    Data {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("another `judge serve` uses the data dir {}", .0.display())]
    Locked(PathBuf),
    #[error("the data dir is needed for the SQLite store (give --data, or --db postgres://...)")]
    NoDataDir,
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the service stopped: {0}")]
    Serve(std::io::Error),
    #[error("a user named {0} exists already")]
    UserExists(String),
    #[error("this machine judges with {ours}, but the store's workers use {recorded}: results would depend on which host judged")]
    Toolchain { ours: String, recorded: String },
    #[error("isolation layers are missing here ({0}); `judge doctor` says how to get them, or start with --allow-partial-isolation")]
    PartialIsolation(String),
    #[error("no user named {0}")]
    NoUser(String),
    #[error(
        "a user name may not be empty, start or end with spaces, or hold control characters: {0:?}"
    )]
    BadName(String),
    #[error("a password must have at least {MIN_PASSWORD} characters (read from stdin, one line)")]
    ShortPassword,
    #[error("cannot hash the password: {0}")]
    Hash(argon2::password_hash::Error),
    #[error("no service database at {}: `judge backup` copies the judge.db of a data dir", .0.display())]
    NoDatabase(PathBuf),
    #[error("{} exists already: `judge backup` writes a new file, never over one", .0.display())]
    BackupExists(PathBuf),
    #[error("cannot back up to {}: {source}", path.display())]
    Backup {
        path: PathBuf,
        source: rusqlite::Error,
    },
}

/// The fewest characters a password may have.
pub const MIN_PASSWORD: usize = 8;

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
}

/// Runs the service until SIGTERM or SIGINT: then it stops taking jobs, lets the jobs being
/// judged finish, and returns. Prints `listening on http://ADDR` once it accepts requests.
pub fn serve(options: Options, engine: Engine, bank: Bank) -> Result<(), ServiceError> {
    // On a shared PostgreSQL a lease held by another host's worker expires, never released;
    // and nothing of the service lives in a folder of this host's.
    let (store, _lock) = if let Some(url) = &options.db {
        let name = format!("judge serve {}", host_name());
        (
            store::Store::connect_as(url, &name, options.connections)?,
            None,
        )
    } else {
        let data = options.data.as_deref().ok_or(ServiceError::NoDataDir)?;
        let lock = lock_data_dir(data)?;
        let store = store::Store::open_with(data, options.connections)?;
        // Whoever held a lease died with the process that held this lock before.
        store.release_all()?;
        (store, Some(lock))
    };
    check_toolchain(&store, &engine)?;
    let (webhook_key, key_place) = webhook_key(&options, &store)?;
    let mut service = Service::new(store, engine, bank, webhook_key, options.limits);
    service
        .secure_cookies
        .store(options.secure_cookies, Ordering::Relaxed);
    if let Some(only) = Arc::get_mut(&mut service) {
        // Nothing shares the service before it runs.
        only.reach = options.reach.clone();
    }
    tracing::info!(
        store = store_place(&options),
        webhook_key = %key_place,
        "starting the service"
    );
    runtime()?.block_on(run(service, options, key_place))
}

/// Where the log says the store is: a PostgreSQL URL without its password, or the file.
fn store_place(options: &Options) -> String {
    match (&options.db, &options.data) {
        (Some(url), _) => store::redact(url),
        (None, Some(data)) => data.join("judge.db").display().to_string(),
        (None, None) => String::new(),
    }
}

/// The variable that gives the webhook key instead of a file or the database.
pub const WEBHOOK_SECRET_VAR: &str = "JUDGE_WEBHOOK_SECRET";

/// The key webhooks are signed with, and where it was found, first of: the environment
/// (`JUDGE_WEBHOOK_SECRET`); the data dir's `webhook-secret` (made there at first on
/// SQLite; with PostgreSQL only read, when an older judge kept it there); the store's
/// settings (made at the first start, shared by every server).
fn webhook_key(options: &Options, store: &store::Store) -> Result<(Vec<u8>, String), ServiceError> {
    if let Some(key) = std::env::var_os(WEBHOOK_SECRET_VAR).filter(|k| !k.is_empty()) {
        return Ok((key.into_encoded_bytes(), format!("${WEBHOOK_SECRET_VAR}")));
    }
    let data_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ServiceError::Data { path, source }
    };
    match (&options.db, &options.data) {
        (None, Some(data)) => {
            let key = webhook::secret(data).map_err(data_err(data))?;
            Ok((key, data.join("webhook-secret").display().to_string()))
        }
        (Some(_), Some(data)) if data.join("webhook-secret").is_file() => {
            let key = webhook::secret(data).map_err(data_err(data))?;
            Ok((key, data.join("webhook-secret").display().to_string()))
        }
        _ => {
            let (fresh, _) = new_token().map_err(data_err(Path::new("/dev/urandom")))?;
            let key = store.setting_or("webhook_secret", &fresh)?;
            Ok((
                key.into_bytes(),
                "the database (settings: webhook_secret)".into(),
            ))
        }
    }
}

impl Service {
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

fn runtime() -> Result<tokio::runtime::Runtime, ServiceError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(ServiceError::Serve)
}

/// Every host judges with the same compiler, so that a result never depends on which one
/// judged: the first process to use the store records its toolchain, the rest must match.
fn check_toolchain(store: &store::Store, engine: &Engine) -> Result<(), ServiceError> {
    let ours = toolchain_line(engine);
    let recorded = store.setting_or("toolchain", &ours)?;
    if recorded != ours {
        return Err(ServiceError::Toolchain { ours, recorded });
    }
    Ok(())
}

fn toolchain_line(engine: &Engine) -> String {
    engine
        .toolchain()
        .version
        .lines()
        .next()
        .unwrap_or("")
        .to_string()
}

/// This machine's name, for a worker's registration.
fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map_or_else(|_| "unknown".into(), |h| h.trim().to_string())
}

/// A worker process's id: its host's name and a random suffix (a host name and a pid
/// repeat across containers, and a pid across restarts).
fn worker_id() -> String {
    let suffix = new_token().map_or_else(
        |_| format!("{:x}", store::now_ms()),
        |(token, _)| token[..8].to_string(),
    );
    format!("{}-{suffix}", host_name())
}

/// Starts `count` worker tasks of process `id`, registered in the store and kept alive
/// there by a heartbeat; returns the tasks (they end when the service stops).
fn start_workers(
    service: &Arc<Service>,
    id: &str,
    count: usize,
    listen: Option<SocketAddr>,
) -> Vec<tokio::task::JoinHandle<()>> {
    if count == 0 {
        return Vec::new();
    }
    let missing = judge_sandbox::layers::detect().missing();
    let info = store::WorkerInfo {
        name: id.to_string(),
        host: host_name(),
        pid: i64::from(std::process::id()),
        version: env!("CARGO_PKG_VERSION").into(),
        toolchain: toolchain_line(&service.engine),
        isolation: if missing.is_empty() {
            "complete".into()
        } else {
            format!("missing: {}", missing.join("; "))
        },
        jobs: count as i64,
        in_flight: 0,
        judged: 0,
        listen: listen.map(|a| a.to_string()),
        started_ms: store::now_ms(),
        heartbeat_ms: store::now_ms(),
        state: store::WorkerState::Alive,
        current: Vec::new(),
    };
    if let Err(e) = service.store.register_worker(&info) {
        tracing::warn!(worker = id, error = %e, "cannot register the worker; its heartbeat will try again");
    }
    let mut tasks: Vec<_> = (0..count)
        .map(|i| tokio::spawn(worker::run(service.clone(), format!("{id}/{i}"))))
        .collect();
    tasks.push(tokio::spawn(beat(service.clone(), info)));
    tasks
}

/// A worker process's heartbeat in the store, every 5 s until the service stops; then its
/// row goes. A row pruned while the database was out of reach is made again.
async fn beat(service: Arc<Service>, info: store::WorkerInfo) {
    let mut beat = tokio::time::interval(std::time::Duration::from_secs(5));
    let mut failing = false;
    while !service.stopping() {
        tokio::select! {
            _ = beat.tick() => {
                let busy = service.metrics.busy.load(Ordering::Relaxed);
                let beaten = service.store.worker_heartbeat(&info.name, busy).and_then(|known| {
                    if known { Ok(()) } else { service.store.register_worker(&info) }
                });
                match beaten {
                    Ok(()) if failing => {
                        failing = false;
                        tracing::info!(worker = %info.name, "the database answers again");
                    }
                    Ok(()) => {}
                    Err(e) => {
                        service.metrics.db_error();
                        if !failing {
                            tracing::warn!(worker = %info.name, error = %e, "cannot reach the database for the heartbeat; judging on, trying again every 5 s");
                        }
                        failing = true;
                    }
                }
            }
            () = service.stop.notified() => {}
        }
    }
    if let Err(e) = service.store.remove_worker(&info.name) {
        tracing::warn!(worker = %info.name, error = %e, "cannot take the worker off the list; it will show as gone");
    }
}

/// What `judge worker` was asked for.
pub struct WorkerOptions {
    /// The shared PostgreSQL database.
    pub db: String,
    /// Judgings at once.
    pub jobs: usize,
    /// Judge even where isolation layers are missing.
    pub allow_partial_isolation: bool,
    /// Where to serve /healthz and /metrics, if anywhere.
    pub listen: Option<SocketAddr>,
}

/// `judge worker`: judges jobs of a shared PostgreSQL store until SIGTERM or SIGINT, then
/// finishes the jobs it holds and stops. Refused where isolation layers are missing (unless
/// allowed) or where the toolchain is not the store's.
pub fn work(options: &WorkerOptions, engine: Engine, bank: Bank) -> Result<(), ServiceError> {
    let missing = judge_sandbox::layers::detect().missing();
    if !missing.is_empty() && !options.allow_partial_isolation {
        return Err(ServiceError::PartialIsolation(missing.join("; ")));
    }
    let id = worker_id();
    let jobs = options.jobs.max(1);
    // A connection per job, one for the heartbeat and one to spare.
    let store =
        store::Store::connect_as(&options.db, &format!("judge worker {id}"), jobs as u32 + 2)?;
    check_toolchain(&store, &engine)?;
    let service = Service::new(store, engine, bank, Vec::new(), Limits::default());
    listen(&options.db, &service, &[store::JOBS_CHANNEL]);
    runtime()?.block_on(async move {
        let health = match options.listen {
            Some(addr) => Some(serve_health(&service, addr).await?),
            None => None,
        };
        let listening = health.as_ref().map(|(addr, _)| *addr);
        let workers = start_workers(&service, &id, jobs, listening);
        println!("worker {id} judging {jobs} at once");
        if let Some(addr) = listening {
            println!("health and metrics on http://{addr}");
        }
        tracing::info!(worker = %id, jobs, listen = ?listening, "worker started");
        stop_signal().await;
        service.stopping.store(true, Ordering::SeqCst);
        service.stop.notify_waiters();
        for worker in workers {
            let _ = worker.await;
        }
        if let Some((_, server)) = health {
            server.abort();
        }
        tracing::info!(worker = %id, "worker stopped");
        Ok(())
    })
}

/// A worker's /healthz and /metrics on `addr`; returns the address it listens on.
async fn serve_health(
    service: &Arc<Service>,
    addr: SocketAddr,
) -> Result<(SocketAddr, tokio::task::JoinHandle<()>), ServiceError> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServiceError::Listen { addr, source })?;
    let bound = listener.local_addr().map_err(ServiceError::Serve)?;
    let router = workers::worker_router(service.clone());
    let task = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, router).await {
            tracing::warn!(error = %e, "the health address stopped");
        }
    });
    Ok((bound, task))
}

/// Listens on PostgreSQL for `channels` on a connection of its own, on a thread of its own,
/// connected again (with back-off) after a loss: `judge_jobs` wakes this process's idle
/// workers at once (their look every second stays as the backstop), `judge_events` wakes
/// this process's readers of that submission's events (and, after each (re)connection,
/// every reader: a notification may have been missed meanwhile).
fn listen(url: &str, service: &Arc<Service>, channels: &[&'static str]) {
    let url = url.to_string();
    let service = service.clone();
    let channels = channels.to_vec();
    std::thread::spawn(move || {
        let mut backoff = worker::Backoff::new();
        let mut failing = false;
        while !service.stopping() {
            let listened = postgres::Client::connect(&url, postgres::NoTls).and_then(|mut c| {
                for channel in &channels {
                    c.batch_execute(&format!("LISTEN {channel}"))?;
                }
                if failing {
                    tracing::info!(channels = ?channels, "listening again");
                }
                failing = false;
                backoff.reset();
                service.store.hub().wake_all();
                service.work.notify_waiters();
                let mut notifications = c.notifications();
                let mut told = notifications.blocking_iter();
                while let Some(note) =
                    postgres::fallible_iterator::FallibleIterator::next(&mut told)?
                {
                    if note.channel() == store::EVENTS_CHANNEL {
                        if let Ok(id) = note.payload().parse() {
                            service.store.hub().wake(id);
                        }
                    } else {
                        service.work.notify_waiters();
                    }
                }
                Ok(())
            });
            if let Err(e) = listened {
                let pause = backoff.next();
                if !failing {
                    tracing::warn!(channels = ?channels, error = %e, "lost the listening connection; connecting again");
                }
                failing = true;
                std::thread::sleep(pause);
            }
        }
    });
}

async fn run(
    service: Arc<Service>,
    options: Options,
    key_place: String,
) -> Result<(), ServiceError> {
    let listener = tokio::net::TcpListener::bind(options.listen)
        .await
        .map_err(|source| ServiceError::Listen {
            addr: options.listen,
            source,
        })?;
    let addr = listener.local_addr().map_err(ServiceError::Serve)?;
    // With a shared database, 0 workers: the service only answers, other hosts judge.
    let count = if options.db.is_some() {
        options.workers
    } else {
        options.workers.max(1)
    };
    if let Some(url) = &options.db {
        let mut channels = vec![store::EVENTS_CHANNEL];
        if count > 0 {
            channels.push(store::JOBS_CHANNEL);
        }
        listen(url, &service, &channels);
    }
    let workers = start_workers(&service, &worker_id(), count, None);
    let deliverer = tokio::spawn(webhook::run(service.clone()));
    let pruner = tokio::spawn(prune_workers(service.clone(), options.prune_workers_after));
    println!("listening on http://{addr}");
    println!("webhooks are signed with HMAC-SHA256 under the key in {key_place}");
    if service.reach.public_url.is_none() {
        println!("{}", reach::NO_PUBLIC_URL);
    }
    tracing::info!(%addr, workers = count, "listening");
    let stopped = {
        let service = service.clone();
        async move {
            stop_signal().await;
            service.stopping.store(true, Ordering::SeqCst);
            service.stop.notify_waiters();
        }
    };
    axum::serve(
        listener,
        app(service.clone()).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(stopped)
    .await
    .map_err(ServiceError::Serve)?;
    for worker in workers {
        let _ = worker.await;
    }
    let _ = deliverer.await;
    let _ = pruner.await;
    tracing::info!("the service stopped");
    Ok(())
}

/// Every route of the service, behind the layers every answer passes: the security headers
/// (outermost, so even a failure's answer has them) and a 500 for a handler that panics.
fn app(service: Arc<Service>) -> axum::Router {
    routes::router(service)
        .layer(axum::middleware::from_fn(headers::catch_panic))
        .layer(axum::middleware::map_response(headers::security))
}

/// Forgets registered workers whose heartbeat is older than `after`, every few seconds
/// until the service stops (a killed worker shows as gone until then).
async fn prune_workers(service: Arc<Service>, after: std::time::Duration) {
    let every = (after / 4).clamp(
        std::time::Duration::from_secs(1),
        std::time::Duration::from_mins(1),
    );
    while !service.stopping() {
        match service.store.prune_workers(after.as_millis() as i64) {
            Ok(0) => {}
            Ok(n) => tracing::info!(pruned = n, "forgot workers with no heartbeat"),
            Err(e) => tracing::warn!(error = %e, "cannot prune workers"),
        }
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            () = service.stop.notified() => {}
        }
    }
}

async fn stop_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    let (Ok(mut term), Ok(mut int)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        return std::future::pending().await;
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
}

/// An exclusive lock on the data dir, held while the service runs: two services sharing one
/// queue would each release the other's leases at start.
fn lock_data_dir(dir: &Path) -> Result<File, ServiceError> {
    let data_err = |source| ServiceError::Data {
        path: dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(data_err)?;
    let file = File::create(dir.join("serve.lock")).map_err(data_err)?;
    // SAFETY: flock on a descriptor this function owns.
    let locked = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0;
    if locked {
        Ok(file)
    } else {
        Err(ServiceError::Locked(dir.to_path_buf()))
    }
}

/// `judge backup`: copies the data dir's SQLite database to `to` with SQLite's online
/// backup (a consistent copy while the service runs and writes), through a file beside
/// `to` renamed into place once whole; returns the pages copied.
pub fn backup(data: &Path, to: &Path) -> Result<i32, ServiceError> {
    let from = data.join("judge.db");
    if !from.is_file() {
        return Err(ServiceError::NoDatabase(from));
    }
    if to.exists() {
        return Err(ServiceError::BackupExists(to.to_path_buf()));
    }
    let failed = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ServiceError::Backup { path, source }
    };
    // Read-write without create: a WAL database is read through its -shm file, and a
    // missing one is not made here.
    let source = rusqlite::Connection::open_with_flags(
        &from,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(failed(&from))?;
    source
        .busy_timeout(std::time::Duration::from_secs(10))
        .map_err(failed(&from))?;
    let partial = to.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    let mut copy = rusqlite::Connection::open(&partial).map_err(failed(to))?;
    let pages = {
        let backup = rusqlite::backup::Backup::new(&source, &mut copy).map_err(failed(to))?;
        // A step at a time, pausing between, so the running service's writers get the
        // database in between (a step that meets a write starts over from there).
        backup
            .run_to_completion(256, std::time::Duration::from_millis(5), None)
            .map_err(failed(to))?;
        backup.progress().pagecount
    };
    // The copy is a file of its own: no WAL beside it.
    copy.pragma_update(None, "journal_mode", "DELETE")
        .map_err(failed(to))?;
    drop(copy);
    std::fs::rename(&partial, to).map_err(|e| ServiceError::Data {
        path: to.to_path_buf(),
        source: e,
    })?;
    Ok(pages)
}

/// The version of a problem a submission is judged on: a digest of its id and every file
/// that decides its cases and answers.
pub fn problem_version(problem: &Problem) -> String {
    let read = |path: PathBuf| std::fs::read(path).unwrap_or_default();
    let version = digest(&[
        problem.id.as_bytes(),
        &problem.source_digest_input,
        &read(problem.reference_path()),
        &read(problem.dir.join(judge_core::judge::GENERATOR_FILE)),
        &read(problem.dir.join(CHECKER_FILE)),
    ]);
    version[..16].to_string()
}
