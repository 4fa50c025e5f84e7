//! `judge serve`: the store opened (and the data dir locked), the checks made at start, then
//! the HTTP server, this process's workers, the webhook deliverer and the pruner of
//! workers, until SIGTERM or SIGINT.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use judge_core::judge::Engine;
use judge_core::problem::bank::Bank;

use super::options::Options;
use super::service_error::ServiceError;
use super::startup::{
    check_toolchain, host_name, lock_data_dir, runtime, stop_signal, webhook_key,
};
use super::worker_process::{listen, prune_workers, start_workers, worker_id};
use super::{headers, reach, routes, store, webhook, Service};

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
