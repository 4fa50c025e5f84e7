//! Every route of `judge serve`, in one place: each resource's own (its API and its pages,
//! from the resource's `routes()`), then what belongs to none (health, metrics, the OpenAPI
//! document, the pages' files and icon) and the page for an address that names nothing.

use std::sync::Arc;

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;

use crate::web::{asset_response, error_page};
use crate::{accounts, api, interviews, problems, similarity, submissions, workers, Service};

/// The service's router, over `service`.
pub(crate) fn router(service: Arc<Service>) -> Router {
    Router::new()
        .merge(accounts::routes())
        .merge(problems::routes())
        .merge(submissions::routes())
        .merge(interviews::routes())
        .merge(similarity::routes())
        .merge(workers::routes())
        .route("/healthz", get(api::health))
        .route("/metrics", get(api::metrics))
        .route("/api/v1/openapi.json", get(api::openapi))
        .route("/assets/{file}", get(asset))
        // Where a browser looks for an icon on an answer that names none (the API's JSON).
        .route("/favicon.ico", get(favicon))
        .fallback(|| async { error_page(StatusCode::NOT_FOUND, "There is no page here.") })
        .with_state(service)
}

async fn asset(Path(file): Path<String>) -> Response {
    asset_response(&file)
        .unwrap_or_else(|| error_page(StatusCode::NOT_FOUND, "There is no such file."))
}

/// The icon at the address browsers try by themselves. Its address carries no digest, so it
/// is kept for a day only (the pages name the versioned one).
async fn favicon() -> Response {
    asset(Path("favicon.svg".to_string())).await
}
