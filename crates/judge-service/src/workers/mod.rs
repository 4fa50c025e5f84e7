//! Worker processes as a resource of the API (`api.rs`): their list, and a worker's own
//! health and metrics. Judging itself is `worker.rs`'s.

pub(crate) mod api;

use std::sync::Arc;

use axum::routing::get;
use axum::Router;

use crate::Service;

/// The API's list of workers.
pub(crate) fn routes() -> Router<Arc<Service>> {
    Router::new().route("/api/v1/workers", get(api::workers))
}

/// A worker process's own routes (`judge worker --listen`), a server of their own:
/// `/healthz` answers 200 while it reaches the database (503 and the database's error
/// otherwise), `/metrics` is its own doing (the service's /metrics has every worker's).
pub fn worker_router(service: Arc<Service>) -> Router {
    Router::new()
        .route("/healthz", get(api::worker_health))
        .route("/metrics", get(api::worker_metrics))
        .with_state(service)
}
