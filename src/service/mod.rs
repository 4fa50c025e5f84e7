//! `judge serve`: the judge as a service. An HTTP API (`api`) over a durable queue in an
//! embedded database (`store`), judged by worker tasks in the same process (`worker`)
//! through one shared `Engine`, with each judging's events streamed live (`hub`).
//!
//! A submission's life: `POST /api/v1/submissions` stores it and its job in one transaction
//! before answering 201 (queued); a worker claims the job with a lease (renewed by a
//! heartbeat), judges it (status compiling, then judging, each event told to the hub), and
//! writes the report in the transaction that deletes the job (done). A process killed at
//! any point leaves the job in the table: at the next start every lease is released (this
//! process owns the data dir, under a lock) and the job is judged again; a job claimed
//! more than `worker::MAX_ATTEMPTS` times ends as a judge error instead.

pub mod api;
pub mod db;
mod headers;
mod http;
mod hub;
pub mod interviews;
pub mod kattis;
mod metrics;
pub mod openapi;
pub mod packages;
pub mod reach;
pub mod store;
mod streams;
pub mod views;
pub mod web;
pub mod webhook;
pub mod webhook_target;
mod worker;

use std::fs::File;
use std::net::SocketAddr;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tokio::sync::Notify;

use crate::cache::digest;
use crate::judge::Engine;
use crate::problem::bank::Bank;
use crate::problem::spec::{Problem, CHECKER_FILE};

pub use store::{Role, StoreError};

/// What `judge serve` was asked for.
pub struct Options {
    pub listen: SocketAddr,
    /// The data dir: the SQLite database (unless `db`) and the webhook key.
    pub data: PathBuf,
    /// A PostgreSQL URL: the store on a server many hosts share, instead of SQLite.
    pub db: Option<String>,
    pub workers: usize,
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
    Hash(String),
}

/// The fewest characters a password may have.
pub const MIN_PASSWORD: usize = 8;

/// What every handler and worker shares.
pub struct Service {
    pub store: store::Store,
    pub engine: Engine,
    pub bank: Bank,
    hub: hub::Hub,
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
    sign_ins: web::session::SignInGuard,
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
    let _lock = lock_data_dir(&options.data)?;
    // On a shared PostgreSQL a lease held by another host's worker expires, never released.
    let store = if let Some(url) = &options.db {
        store::Store::connect(url)?
    } else {
        let store = store::Store::open(&options.data)?;
        // Whoever held a lease died with the process that held this lock before.
        store.release_all()?;
        store
    };
    check_toolchain(&store, &engine)?;
    let webhook_key = webhook::secret(&options.data).map_err(|source| ServiceError::Data {
        path: options.data.clone(),
        source,
    })?;
    let mut service = Service::new(store, engine, bank, webhook_key, options.limits);
    service
        .secure_cookies
        .store(options.secure_cookies, Ordering::Relaxed);
    if let Some(only) = Arc::get_mut(&mut service) {
        // Nothing shares the service before it runs.
        only.reach = options.reach.clone();
    }
    runtime()?.block_on(run(service, options))
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
            hub: hub::Hub::default(),
            work: Notify::new(),
            stop: Notify::new(),
            deliver: Notify::new(),
            webhook_key,
            stopping: AtomicBool::new(false),
            limits,
            rates: api::Rates::default(),
            metrics: metrics::Metrics::default(),
            published: std::sync::Mutex::default(),
            sign_ins: web::session::SignInGuard::default(),
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

/// Starts `count` worker tasks named after this process, registered in the store and
/// kept alive there by a heartbeat; returns the tasks (they end when the service stops).
fn start_workers(service: &Arc<Service>, count: usize) -> Vec<tokio::task::JoinHandle<()>> {
    if count == 0 {
        return Vec::new();
    }
    let name = format!("{}-{}", host_name(), std::process::id());
    let missing = crate::sandbox::layers::detect().missing();
    let info = store::WorkerInfo {
        name: name.clone(),
        host: host_name(),
        toolchain: toolchain_line(&service.engine),
        isolation: if missing.is_empty() {
            "complete".into()
        } else {
            format!("missing: {}", missing.join("; "))
        },
        jobs: count as i64,
        in_flight: 0,
        started_ms: store::now_ms(),
        heartbeat_ms: store::now_ms(),
    };
    if let Err(e) = service.store.register_worker(&info) {
        eprintln!("judge: cannot register worker {name}: {e}");
    }
    let mut tasks: Vec<_> = (0..count)
        .map(|i| tokio::spawn(worker::run(service.clone(), format!("{name}-{i}"))))
        .collect();
    let registered = service.clone();
    tasks.push(tokio::spawn(async move {
        let mut beat = tokio::time::interval(std::time::Duration::from_secs(5));
        while !registered.stopping() {
            tokio::select! {
                _ = beat.tick() => {
                    let busy = registered.metrics.busy.load(Ordering::Relaxed);
                    let _ = registered.store.worker_heartbeat(&name, busy);
                }
                () = registered.stop.notified() => {}
            }
        }
        let _ = registered.store.remove_worker(&name);
    }));
    tasks
}

/// What `judge worker` was asked for.
pub struct WorkerOptions {
    /// The shared PostgreSQL database.
    pub db: String,
    /// Judgings at once.
    pub jobs: usize,
    /// Judge even where isolation layers are missing.
    pub allow_partial_isolation: bool,
}

/// `judge worker`: judges jobs of a shared PostgreSQL store until SIGTERM or SIGINT, then
/// finishes the jobs it holds and stops. Refused where isolation layers are missing (unless
/// allowed) or where the toolchain is not the store's.
pub fn work(options: &WorkerOptions, engine: Engine, bank: Bank) -> Result<(), ServiceError> {
    let missing = crate::sandbox::layers::detect().missing();
    if !missing.is_empty() && !options.allow_partial_isolation {
        return Err(ServiceError::PartialIsolation(missing.join("; ")));
    }
    let store = store::Store::connect_as(
        &options.db,
        &format!("judge worker {}-{}", host_name(), std::process::id()),
    )?;
    check_toolchain(&store, &engine)?;
    let service = Service::new(store, engine, bank, Vec::new(), Limits::default());
    listen_for_jobs(&options.db, service.clone());
    runtime()?.block_on(async move {
        let workers = start_workers(&service, options.jobs.max(1));
        println!(
            "worker {}-{} judging {} at once",
            host_name(),
            std::process::id(),
            options.jobs.max(1)
        );
        stop_signal().await;
        service.stopping.store(true, Ordering::SeqCst);
        service.stop.notify_waiters();
        for worker in workers {
            let _ = worker.await;
        }
    });
    Ok(())
}

/// Wakes this process's idle workers as soon as the store says jobs were queued (PostgreSQL
/// `LISTEN`), on a thread of its own with a connection of its own, connected again after a
/// loss. The workers' look every second stays as the backstop.
fn listen_for_jobs(url: &str, service: Arc<Service>) {
    let url = url.to_string();
    std::thread::spawn(move || {
        while !service.stopping() {
            let listened = postgres::Client::connect(&url, postgres::NoTls).and_then(|mut c| {
                c.batch_execute(&format!("LISTEN {}", store::JOBS_CHANNEL))?;
                let mut notifications = c.notifications();
                let mut told = notifications.blocking_iter();
                while let Some(_note) =
                    postgres::fallible_iterator::FallibleIterator::next(&mut told)?
                {
                    service.work.notify_waiters();
                }
                Ok(())
            });
            if listened.is_err() {
                std::thread::sleep(std::time::Duration::from_secs(1));
            }
        }
    });
}

async fn run(service: Arc<Service>, options: Options) -> Result<(), ServiceError> {
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
    let workers = start_workers(&service, count);
    let deliverer = tokio::spawn(webhook::run(service.clone()));
    println!("listening on http://{addr}");
    println!(
        "webhooks are signed with HMAC-SHA256 under the key in {}",
        options.data.join("webhook-secret").display()
    );
    if service.reach.public_url.is_none() {
        println!("{}", reach::NO_PUBLIC_URL);
    }
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
    Ok(())
}

/// Every route of the service, behind the layers every answer passes: the security headers
/// (outermost, so even a failure's answer has them) and a 500 for a handler that panics.
fn app(service: Arc<Service>) -> axum::Router {
    api::router(service.clone())
        .merge(web::router(service.clone()))
        .merge(interviews::router(service))
        .layer(axum::middleware::from_fn(headers::catch_panic))
        .layer(axum::middleware::map_response(headers::security))
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

/// The version of a problem a submission is judged on: a digest of its id and every file
/// that decides its cases and answers.
pub fn problem_version(problem: &Problem) -> String {
    let read = |path: PathBuf| std::fs::read(path).unwrap_or_default();
    let version = digest(&[
        problem.id.as_bytes(),
        &problem.source_digest_input,
        &read(problem.reference_path()),
        &read(problem.dir.join(crate::judge::GENERATOR_FILE)),
        &read(problem.dir.join(CHECKER_FILE)),
    ]);
    version[..16].to_string()
}

/// A new secret token (32 random bytes, hex) and the hash the database keeps of it.
pub fn new_token() -> std::io::Result<(String, String)> {
    use std::io::Read;
    let mut bytes = [0u8; 32];
    File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    let token = crate::cache::hex(&bytes);
    let hash = token_hash(&token);
    Ok((token, hash))
}

/// What the database keeps of a token: its SHA-256, so a copy of the database holds no
/// usable token.
pub fn token_hash(token: &str) -> String {
    digest(&[token.as_bytes()])
}

/// The store a command names: a PostgreSQL URL, or the data dir's SQLite file.
fn store_at(data: &Path, db: Option<&str>) -> Result<store::Store, ServiceError> {
    if let Some(url) = db {
        return Ok(store::Store::connect(url)?);
    }
    std::fs::create_dir_all(data).map_err(|source| ServiceError::Data {
        path: data.to_path_buf(),
        source,
    })?;
    Ok(store::Store::open(data)?)
}

/// `judge user add`: a new user with a new token (and a password to sign in to the web
/// pages with, when given); returns the token (shown once).
pub fn add_user(
    data: &Path,
    db: Option<&str>,
    name: &str,
    role: Role,
    password: Option<&str>,
) -> Result<String, ServiceError> {
    if name.is_empty() || name != name.trim() || name.chars().any(char::is_control) {
        return Err(ServiceError::BadName(name.to_string()));
    }
    let hash = password.map(password_hash).transpose()?;
    let store = store_at(data, db)?;
    let (token, token_hash) = new_token().map_err(|source| ServiceError::Data {
        path: data.to_path_buf(),
        source,
    })?;
    match store.add_user(name, role, &token_hash) {
        Ok(_) => {}
        Err(e) if e.is_constraint() => return Err(ServiceError::UserExists(name.to_string())),
        Err(e) => return Err(e.into()),
    }
    if let Some(hash) = hash {
        store.set_password(name, &hash)?;
    }
    Ok(token)
}

/// `judge user password`: sets a user's password for the web pages.
pub fn set_password(
    data: &Path,
    db: Option<&str>,
    name: &str,
    password: &str,
) -> Result<(), ServiceError> {
    let hash = password_hash(password)?;
    let store = store_at(data, db)?;
    if store.set_password(name, &hash)? {
        // A new password is often a reaction to a stolen one: the old sign-ins end.
        store.end_sessions_of(name)?;
        Ok(())
    } else {
        Err(ServiceError::NoUser(name.to_string()))
    }
}

/// `judge user sign-out`: ends every web session of a user; how many there were.
pub fn sign_out_everywhere(data: &Path, db: Option<&str>, name: &str) -> Result<u64, ServiceError> {
    let store = store_at(data, db)?;
    if store.user_by_name(name)?.is_none() {
        return Err(ServiceError::NoUser(name.to_string()));
    }
    Ok(store.end_sessions_of(name)?)
}

fn password_hash(password: &str) -> Result<String, ServiceError> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(ServiceError::ShortPassword);
    }
    web::session::hash_password(password).map_err(ServiceError::Hash)
}
