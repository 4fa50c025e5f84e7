//! The workers' handlers: `GET /api/v1/workers` (authors and admins) lists the worker
//! processes registered in the store, and a worker process's own `/healthz` and `/metrics`
//! (`judge worker --listen`).

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::access::{self, Action};
use crate::http::{ApiError, Caller};
use crate::openapi::{ApiErrorBody, WorkerHealth, WorkerList};
use crate::Service;

pub(crate) async fn worker_health(State(service): State<Arc<Service>>) -> Response {
    let busy = service
        .metrics
        .busy
        .load(std::sync::atomic::Ordering::Relaxed);
    match service.store.queue_depth() {
        Ok(queued) => Json(WorkerHealth {
            ok: true,
            busy,
            queued: Some(queued),
            error: None,
        })
        .into_response(),
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(WorkerHealth {
                ok: false,
                busy,
                queued: None,
                error: Some(e.to_string()),
            }),
        )
            .into_response(),
    }
}

pub(crate) async fn worker_metrics(State(service): State<Arc<Service>>) -> Response {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        crate::metrics::render_worker(&service),
    )
        .into_response()
}

#[utoipa::path(get, path = "/api/v1/workers",
    responses((status = 200, description = "The workers registered in the store: host, toolchain, isolation, jobs at once and in flight, last heartbeat", body = WorkerList), (status = 403, description = "Not an author or admin", body = ApiErrorBody), (status = 401, description = "No token, or not a known one", body = ApiErrorBody), (status = 429, description = "Over the token's rate", body = ApiErrorBody)))]
pub(crate) async fn workers(
    State(service): State<Arc<Service>>,
    Caller(user): Caller,
) -> Result<Json<WorkerList>, ApiError> {
    access::may(&user, Action::SeeWorkers)?;
    let workers = service.store.workers()?;
    Ok(Json(WorkerList { workers }))
}
