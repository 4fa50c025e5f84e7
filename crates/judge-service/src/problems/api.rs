//! The problems' routes: the list (filtered by difficulty and tag), a problem's document,
//! and a rejudge of every judged submission of a problem (authors and admins); publishing a
//! problem's current version for the workers is here too.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;

use super::catalog::{catalog, keeps};
use super::rejudge;
use crate::http::{ApiError, Caller};
use crate::intake::Loaded;
use crate::openapi::{ApiErrorBody, ProblemDocument, ProblemList, Rejudged};
use crate::Service;

#[derive(serde::Deserialize)]
pub(crate) struct ProblemFilter {
    difficulty: Option<String>,
    tag: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/problems",
    params(("difficulty" = Option<String>, Query, description = "easy, medium or hard"), ("tag" = Option<String>, Query, description = "only problems with this tag")),
    responses((status = 200, description = "The bank's problems", body = ProblemList), (status = 401, description = "No token, or not a known one", body = ApiErrorBody), (status = 429, description = "Over the token's rate", body = ApiErrorBody)))]
pub(crate) async fn problems(
    State(service): State<Arc<Service>>,
    caller: Caller,
    Query(filter): Query<ProblemFilter>,
) -> Result<Json<ProblemList>, ApiError> {
    let (difficulty, tag) = (filter.difficulty.as_deref(), filter.tag.as_deref());
    let list = catalog(&service, &caller.0)
        .into_iter()
        .filter(|summary| keeps(summary, difficulty, tag))
        .collect();
    Ok(Json(ProblemList { problems: list }))
}

#[utoipa::path(get, path = "/api/v1/problems/{id}",
    params(("id" = String, Path, description = "a problem id")),
    responses((status = 200, description = "What a candidate needs before submitting", body = ProblemDocument), (status = 404, description = "No such problem", body = ApiErrorBody), (status = 401, description = "No token, or not a known one", body = ApiErrorBody), (status = 429, description = "Over the token's rate", body = ApiErrorBody)))]
pub(crate) async fn problem(
    State(service): State<Arc<Service>>,
    Caller(user): Caller,
    Path(id): Path<String>,
) -> Result<Json<ProblemDocument>, ApiError> {
    if !crate::access::may_see(&service, &user, &id) {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no problem {id}"),
        ));
    }
    let loaded = Loaded::load(&service, &id)?;
    let mut document = match &loaded {
        Loaded::Package(package) => crate::kattis::document(package),
        Loaded::Function(problem) => {
            let (problem, engine) = (problem.clone(), service.engine.clone());
            tokio::task::spawn_blocking(move || crate::document::problem_document(&problem, engine))
                .await??
        }
    };
    crate::document::with_languages(&mut document, &service, &loaded);
    Ok(Json(document))
}

/// The problem's current version, published for workers (`packages`).
pub(crate) fn published(service: &Service, problem: &str) -> Result<String, ApiError> {
    Ok(crate::packages::publish(service, problem)?)
}

/// `POST /problems/{id}/rejudge` (authors and admins): every judged submission of the
/// problem judged again, on the problem as it is now.
#[utoipa::path(post, path = "/api/v1/problems/{id}/rejudge",
    params(("id" = String, Path, description = "a problem id")),
    responses((status = 200, description = "Every judged submission of the problem queued again", body = Rejudged), (status = 403, description = "Not an author or admin", body = ApiErrorBody), (status = 404, description = "No such problem", body = ApiErrorBody), (status = 401, description = "No token, or not a known one", body = ApiErrorBody), (status = 429, description = "Over the token's rate", body = ApiErrorBody)))]
pub(crate) async fn rejudge(
    State(service): State<Arc<Service>>,
    Caller(user): Caller,
    Path(id): Path<String>,
) -> Result<Json<Rejudged>, ApiError> {
    let queued = rejudge::rejudge(&service, &user, &id)?;
    Ok(Json(Rejudged {
        problem: id,
        queued,
    }))
}
