//! The interviews' JSON API: an interviewer creates a session, reads its state and report
//! and adds notes (with the interviewer link's key or the creator's bearer token). Its
//! routes and bodies are in the OpenAPI document (`InterviewsDoc`, merged into
//! `api::ApiDoc`'s).

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa::OpenApi;

use super::report::{
    build_report, markdown, InterviewReport, LastSubmission, Moment, Note, ProblemResult,
};
use crate::access::{self, Action};
use crate::http::{bearer_token, token_user, ApiError, Caller};
use crate::intake::read_body;
use crate::openapi::{ApiErrorBody, InterviewCreated, NewInterviewBody, NewNoteBody, NoteId};
use crate::secrets::{new_token, token_hash};
use crate::store::{Interview, NewInterview, RecordKind};
use crate::Service;
use judge_core::interview::Choice;

/// The longest session.
const MAX_MINUTES: f64 = 24.0 * 60.0;

/// The routes of this module in the OpenAPI document (merged into `api::ApiDoc`'s).
#[derive(OpenApi)]
#[openapi(
    paths(create, state, note, report),
    components(schemas(
        NewInterviewBody,
        InterviewCreated,
        NewNoteBody,
        NoteId,
        InterviewReport,
        ProblemResult,
        LastSubmission,
        Moment,
        Note,
        RecordKind,
    ))
)]
pub struct InterviewsDoc;

/// `POST /api/v1/interviews`: a new session; 201 with the candidate's and the
/// interviewer's links (each holds its secret, shown this once).
#[utoipa::path(post, path = "/api/v1/interviews",
    request_body = NewInterviewBody,
    responses((status = 201, description = "The session, with the candidate's and the interviewer's links (each holds its secret, shown this once)", body = InterviewCreated), (status = 400, description = "Bad input, naming the field; or problems that cannot be drawn", body = ApiErrorBody), (status = 403, description = "Not a role that holds interviews", body = ApiErrorBody), (status = 401, description = "No token, or not a known one", body = ApiErrorBody), (status = 429, description = "Over the token's rate", body = ApiErrorBody)))]
pub(super) async fn create(
    State(service): State<Arc<Service>>,
    Caller(user): Caller,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<InterviewCreated>), ApiError> {
    access::may(&user, Action::CreateInterview)?;
    let new: NewInterviewBody = read_body(&body)?;
    if !(new.minutes > 0.0 && new.minutes <= MAX_MINUTES) {
        return Err(ApiError::field(
            StatusCode::BAD_REQUEST,
            "minutes",
            format!(
                "`minutes` must be more than 0 and at most {MAX_MINUTES}, not {}",
                new.minutes
            ),
        ));
    }
    let choice = Choice {
        pick: new.pick,
        count: new.count,
        difficulty: new.difficulty,
        tags: new.tags,
        seed: new.seed,
    };
    let (chosen, seed) = judge_core::interview::choose(&service.bank, &choice)?;
    let problems: Vec<String> = chosen.iter().map(|(_, p)| p.id.clone()).collect();
    let (candidate_token, candidate_hash) = new_token()?;
    let (watch_key, watch_hash) = new_token()?;
    let id = service.store.create_interview(&NewInterview {
        interviewer: &user,
        problems: &problems,
        seconds: (new.minutes * 60.0).round() as i64,
        hide_hidden: new.hide_hidden,
        complexity: new.complexity,
        seed: seed as i64,
        candidate_name: &format!("interviewee-{}", &candidate_hash[..12]),
        candidate_token_hash: &candidate_hash,
        watch_hash: &watch_hash,
    })?;
    // Absolute links only on the address the operator configured: a request's Host is
    // whatever the client wrote, and an invitation built on it could send the candidate's
    // secret to another site.
    let candidate_path = format!("/interviews/{id}/join?token={candidate_token}");
    let interviewer_path = format!("/interviews/{id}/watch?key={watch_key}");
    let body = InterviewCreated {
        id,
        problems,
        minutes: new.minutes,
        hide_hidden: new.hide_hidden,
        complexity: new.complexity,
        seed,
        candidate_url: service.reach.link(&candidate_path),
        interviewer_url: service.reach.link(&interviewer_path),
        candidate_path,
        interviewer_path,
        links: service
            .reach
            .public_url
            .is_none()
            .then_some(crate::reach::NO_PUBLIC_URL),
    };
    Ok((StatusCode::CREATED, Json(body)))
}

#[derive(serde::Deserialize, Default)]
pub(crate) struct Access {
    pub key: Option<String>,
    pub format: Option<String>,
    pub problem: Option<String>,
    pub at: Option<usize>,
}

/// The session `id` for its interviewer: the link's key, or the bearer token of the user who
/// created it (or an author or admin).
pub(crate) fn for_interviewer(
    service: &Service,
    headers: &HeaderMap,
    id: i64,
    key: Option<&str>,
) -> Result<Interview, ApiError> {
    let not_found = || ApiError::new(StatusCode::NOT_FOUND, format!("no interview {id}"));
    if let Some(key) = key {
        return match service.store.interview_by_watch_key(&token_hash(key)) {
            Ok(Some(i)) if i.id == id => Ok(i),
            Ok(_) => Err(not_found()),
            Err(e) => Err(e.into()),
        };
    }
    let user = bearer_token(headers)
        .and_then(|t| token_user(service, t).ok().flatten())
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "the interviewer link's key (?key=) or the creator's bearer token is required",
            )
        })?;
    let interview = service.store.interview(id)?.ok_or_else(not_found)?;
    if interview.interviewer_id == user.id || access::may(&user, Action::ReadAll).is_ok() {
        Ok(interview)
    } else {
        Err(not_found())
    }
}

/// `GET /api/v1/interviews/{id}`: the session as its interviewer sees it now.
#[utoipa::path(get, path = "/api/v1/interviews/{id}",
    params(("id" = i64, Path, description = "an interview id"), ("key" = Option<String>, Query, description = "the interviewer link's key; without it, the bearer token of the user who created the session (or of an author or admin)")),
    security((), ("bearer" = [])),
    responses((status = 200, description = "The session as its interviewer sees it now: per problem its result so far, the timeline and the notes", body = InterviewReport), (status = 404, description = "No such interview, or not the caller's", body = ApiErrorBody), (status = 401, description = "Neither the interviewer link's key nor a token", body = ApiErrorBody)))]
pub(super) async fn state(
    State(service): State<Arc<Service>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<Access>,
) -> Result<Json<InterviewReport>, ApiError> {
    let interview = for_interviewer(&service, &headers, id, q.key.as_deref())?;
    Ok(Json(build_report(&service, &interview)?))
}

/// `POST /api/v1/interviews/{id}/notes` `{text}`: an interviewer's note, appended.
#[utoipa::path(post, path = "/api/v1/interviews/{id}/notes",
    params(("id" = i64, Path, description = "an interview id"), ("key" = Option<String>, Query, description = "the interviewer link's key; without it, the bearer token of the user who created the session (or of an author or admin)")),
    security((), ("bearer" = [])),
    request_body = NewNoteBody,
    responses((status = 200, description = "Appended to the session's record", body = NoteId), (status = 400, description = "Bad input, naming the field", body = ApiErrorBody), (status = 404, description = "No such interview, or not the caller's", body = ApiErrorBody), (status = 401, description = "Neither the interviewer link's key nor a token", body = ApiErrorBody)))]
pub(super) async fn note(
    State(service): State<Arc<Service>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<Access>,
    body: axum::body::Bytes,
) -> Result<Json<NoteId>, ApiError> {
    let interview = for_interviewer(&service, &headers, id, q.key.as_deref())?;
    let body: NewNoteBody = read_body(&body)?;
    let text = body.text.trim();
    if text.is_empty() || text.len() > 16 << 10 {
        return Err(ApiError::field(
            StatusCode::BAD_REQUEST,
            "text",
            "a note has between 1 and 16384 bytes",
        ));
    }
    let note = service
        .store
        .record(interview.id, RecordKind::Note, None, Some(text), None)?;
    Ok(Json(NoteId { id: note }))
}

/// `GET /api/v1/interviews/{id}/report` (`?format=markdown` for Markdown): the report,
/// built from the record alone.
#[utoipa::path(get, path = "/api/v1/interviews/{id}/report",
    params(("id" = i64, Path, description = "an interview id"), ("key" = Option<String>, Query, description = "the interviewer link's key; without it, the bearer token of the user who created the session (or of an author or admin)"), ("format" = Option<String>, Query, description = "`markdown` for the report as Markdown")),
    security((), ("bearer" = [])),
    responses((status = 200, description = "The report, built from the session's record alone (every case of the last submissions revealed)", content((InterviewReport = "application/json"), (String = "text/markdown"))), (status = 404, description = "No such interview, or not the caller's", body = ApiErrorBody), (status = 401, description = "Neither the interviewer link's key nor a token", body = ApiErrorBody)))]
pub(super) async fn report(
    State(service): State<Arc<Service>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<Access>,
) -> Result<Response, ApiError> {
    let interview = for_interviewer(&service, &headers, id, q.key.as_deref())?;
    let report = build_report(&service, &interview)?;
    if q.format.as_deref() == Some("markdown") {
        return Ok((
            [(
                axum::http::header::CONTENT_TYPE,
                "text/markdown; charset=utf-8",
            )],
            markdown(&report),
        )
            .into_response());
    }
    Ok(Json(report).into_response())
}
