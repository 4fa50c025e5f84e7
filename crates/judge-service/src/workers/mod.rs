//! Worker processes as a resource of the API (`api.rs`): their list, and a worker's own
//! health and metrics. Judging itself is `worker.rs`'s.

pub(crate) mod api;

use std::sync::Arc;

use axum::routing::get;
use axum::Router;

use crate::Service;
pub use api::worker_router;

/// The API's list of workers.
pub(crate) fn routes() -> Router<Arc<Service>> {
    Router::new().route("/api/v1/workers", get(api::workers))
}
