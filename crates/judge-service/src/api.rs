//! What the HTTP API under `/api/v1` shares beyond its resources (whose routes are each
//! resource's own, listed in `routes.rs`): health, metrics, the per-token rate and the
//! OpenAPI document generated from the handlers and their bodies (`openapi`).
//! Every request but `/healthz` carries `Authorization: Bearer <token>`. Errors are JSON
//! `{"error": "...", "field": "..."}` with the status that says whose fault it is.

use std::sync::Arc;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa::OpenApi;

pub use super::http::{ApiError, Caller};
use super::openapi::{
    ApiErrorBody, BatchBody, BatchIds, BearerAuth, DraftBody, GroupSummary, Health, LanguageStub,
    Limits, NewDraftBody, NewSubmissionBody, ProblemDocument, ProblemFormat, ProblemList,
    ProblemSummary, Rejudged, Sample, StatementImage, SubmissionBody, SubmissionList, WorkerHealth,
    WorkerList,
};
use super::problems::api::{__path_problem, __path_problems, __path_rejudge};
use super::problems::drafts::{__path_draft, __path_save_draft};
use super::store::User;
use super::store::{WorkerInfo, WorkerState};
use super::submissions::api::{
    __path_history, __path_submission, __path_submit, __path_submit_batch,
};
use super::submissions::events::__path_events;
use super::workers::api::__path_workers;
use super::Service;

/// The OpenAPI document, generated from the handlers (`ApiDoc`).
pub(crate) async fn openapi() -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        openapi_document(),
    )
        .into_response()
}

#[utoipa::path(get, path = "/healthz", security(()), responses((status = 200, description = "The service is up", body = Health)))]
pub(crate) async fn health(State(service): State<Arc<Service>>) -> Result<Json<Health>, ApiError> {
    let queued = service.store.queue_depth()?;
    Ok(Json(Health { ok: true, queued }))
}

#[utoipa::path(get, path = "/metrics", security(()), responses((status = 200, description = "Prometheus text: queue depth, busy workers, judged by verdict, latency histogram", content_type = "text/plain", body = String)))]
pub(crate) async fn metrics(State(service): State<Arc<Service>>) -> Result<Response, ApiError> {
    let text = super::metrics::render(&service)?;
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        text,
    )
        .into_response())
}

/// Each token's requests in the last minute, as a bucket that refills continuously.
#[derive(Default)]
pub struct Rates {
    buckets: std::sync::Mutex<std::collections::HashMap<i64, (f64, std::time::Instant)>>,
}

impl Rates {
    /// Takes one request from the user's bucket of `per_minute`, or says when to retry.
    pub(super) fn take(&self, user: &User, per_minute: u32) -> Result<(), ApiError> {
        let capacity = f64::from(per_minute.max(1));
        let per_second = capacity / 60.0;
        let now = std::time::Instant::now();
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (tokens, last) = buckets.entry(user.id).or_insert((capacity, now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * per_second).min(capacity);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            return Ok(());
        }
        let wait = ((1.0 - *tokens) / per_second).ceil() as u64;
        Err(ApiError::too_many(
            format!("over {per_minute} requests a minute for this token"),
            wait,
        ))
    }
}

/// The OpenAPI document: every route below, with the shapes of `openapi`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "judge",
        description = "A judge for Rust solutions to machine-learning interview problems. Every route but /healthz, /metrics and this document takes `Authorization: Bearer <token>` (from `judge user add`), or the web pages' session cookie with the page's CSRF token in `X-CSRF-Token` for a request that changes something. Errors are `{\"error\": ..., \"field\"?: ...}`."
    ),
    paths(
        health,
        metrics,
        problems,
        problem,
        submit,
        submit_batch,
        history,
        submission,
        events,
        rejudge,
        workers,
        draft,
        save_draft,
    ),
    components(schemas(
        Health,
        ApiErrorBody,
        ProblemSummary,
        ProblemFormat,
        ProblemList,
        ProblemDocument,
        LanguageStub,
        Sample,
        Limits,
        GroupSummary,
        StatementImage,
        NewSubmissionBody,
        SubmissionBody,
        SubmissionList,
        BatchBody,
        BatchIds,
        Rejudged,
        WorkerList,
        WorkerInfo,
        WorkerState,
        WorkerHealth,
        DraftBody,
        NewDraftBody,
    )),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
pub struct ApiDoc;

/// The document as JSON text.
pub(crate) fn openapi_document() -> String {
    let mut doc = ApiDoc::openapi();
    doc.merge(super::similarity::SimilarityDoc::openapi());
    doc.merge(super::interviews::InterviewsDoc::openapi());
    doc.to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
