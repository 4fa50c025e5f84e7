//! A user's drafts: `GET` and `PUT /api/v1/problems/{id}/draft`, one draft per user,
//! problem and language, kept so that the editor holds the code next time (an interview's
//! candidate's drafts also go into the session's record).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;

use crate::http::{ApiError, Caller};
use crate::intake::{check_size, read_body, Loaded, DEFAULT_LANGUAGE};
use crate::openapi::{ApiErrorBody, DraftBody, NewDraftBody};
use crate::Service;

#[derive(serde::Deserialize)]
pub(crate) struct DraftQuery {
    language: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/problems/{id}/draft",
    params(("id" = String, Path, description = "a problem id"), ("language" = Option<String>, Query, description = "the draft in this language (an id of the languages table); without it, the newest draft in any")),
    responses((status = 200, description = "The caller's last saved code for the problem", body = DraftBody), (status = 400, description = "A language the problem does not take here", body = ApiErrorBody), (status = 404, description = "No such problem, or no draft of it yet", body = ApiErrorBody), (status = 401, description = "No token, or not a known one", body = ApiErrorBody), (status = 429, description = "Over the token's rate", body = ApiErrorBody)))]
pub(crate) async fn draft(
    State(service): State<Arc<Service>>,
    Caller(user): Caller,
    Path(id): Path<String>,
    Query(query): Query<DraftQuery>,
) -> Result<Json<DraftBody>, ApiError> {
    let loaded = Loaded::load(&service, &id)?;
    if let Some(language) = &query.language {
        loaded.check(&service, &id, language)?;
    }
    let draft = service
        .store
        .draft(&user, &id, query.language.as_deref())?
        .ok_or_else(|| {
            let what = query
                .language
                .as_ref()
                .map_or(String::new(), |l| format!(" in {l}"));
            ApiError::new(StatusCode::NOT_FOUND, format!("no draft of {id}{what} yet"))
        })?;
    Ok(Json(DraftBody {
        problem: id,
        language: draft.language,
        source: draft.source,
        updated_ms: draft.updated_ms,
    }))
}

/// `PUT /problems/{id}/draft` `{source, language}`: the caller's code for the problem in a
/// language (Rust when it names none), kept so that the editor holds it next time (one
/// draft per user, problem and language, the last one wins).
#[utoipa::path(put, path = "/api/v1/problems/{id}/draft",
    params(("id" = String, Path, description = "a problem id")),
    request_body = NewDraftBody,
    responses((status = 200, description = "Kept", body = DraftBody), (status = 400, description = "Bad input, naming the field", body = ApiErrorBody), (status = 403, description = "An interview's candidate: a problem not of its session, or after its deadline; or a page's request without its CSRF token", body = ApiErrorBody), (status = 404, description = "No such problem", body = ApiErrorBody), (status = 413, description = "A source over 64 KiB", body = ApiErrorBody), (status = 401, description = "No token, or not a known one", body = ApiErrorBody), (status = 429, description = "Over the token's rate", body = ApiErrorBody)))]
pub(crate) async fn save_draft(
    State(service): State<Arc<Service>>,
    Caller(user): Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<DraftBody>, ApiError> {
    let loaded = Loaded::load(&service, &id)?;
    let NewDraftBody { source, language } = read_body(&body)?;
    let language = language.unwrap_or_else(|| DEFAULT_LANGUAGE.to_string());
    check_size(&source)?;
    loaded.check(&service, &id, &language)?;
    // An interview's candidate: each draft is also appended to the session's record.
    if let Some(interview) = crate::access::candidate_session(&service, &user)? {
        crate::access::check_candidate(&interview, &id)?;
        service
            .store
            .record_draft(interview.id, &id, &language, &source)?;
    }
    let updated_ms = service.store.save_draft(&user, &id, &language, &source)?;
    Ok(Json(DraftBody {
        problem: id,
        language,
        source,
        updated_ms,
    }))
}
