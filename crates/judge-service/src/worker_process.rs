//! A process's workers: `judge worker` (judging a shared PostgreSQL store's jobs, with
//! its own /healthz and /metrics), and what `judge serve` shares with it: worker tasks
//! registered in the store under one id and kept there by a heartbeat, PostgreSQL's
//! wake-ups, and forgetting workers whose heartbeat stopped.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use judge_core::judge::Engine;
use judge_core::problem::bank::Bank;

use super::options::{Limits, WorkerOptions};
use super::secrets::new_token;
use super::service_error::ServiceError;
use super::startup::{check_toolchain, host_name, runtime, stop_signal, toolchain_line};
use super::{store, worker, workers, Service};

/// A worker process's id: its host's name and a random suffix (a host name and a pid
/// repeat across containers, and a pid across restarts).
pub(crate) fn worker_id() -> String {
    let suffix = new_token().map_or_else(
        |_| format!("{:x}", store::now_ms()),
        |(token, _)| token[..8].to_string(),
    );
    format!("{}-{suffix}", host_name())
}

/// Starts `count` worker tasks of process `id`, registered in the store and kept alive
/// there by a heartbeat; returns the tasks (they end when the service stops).
pub(crate) fn start_workers(
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
pub(crate) fn listen(url: &str, service: &Arc<Service>, channels: &[&'static str]) {
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

/// Forgets registered workers whose heartbeat is older than `after`, every few seconds
/// until the service stops (a killed worker shows as gone until then).
pub(crate) async fn prune_workers(service: Arc<Service>, after: std::time::Duration) {
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
