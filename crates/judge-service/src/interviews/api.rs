//! The interviews' JSON API: an interviewer creates a session, reads its state and report
//! and adds notes (with the interviewer link's key or the creator's bearer token).

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::report::{build_report, markdown, InterviewReport};
use crate::access::{self, Action};
use crate::http::{bearer_token, token_user, ApiError, Caller};
use crate::store::{Interview, NewInterview, RecordKind};
use crate::{new_token, token_hash, Service};
use judge_core::interview::Choice;

/// The longest session.
const MAX_MINUTES: f64 = 24.0 * 60.0;

#[derive(serde::Deserialize)]
pub(super) struct NewSession {
    #[serde(default)]
    pick: Vec<String>,
    #[serde(default = "two")]
    count: usize,
    difficulty: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    seed: Option<u64>,
    minutes: f64,
    #[serde(default)]
    hide_hidden: bool,
    /// Every submission of the candidate is measured against the reference (its report's
    /// `complexity` section), for the interviewer's report.
    #[serde(default)]
    complexity: bool,
}

fn two() -> usize {
    2
}

/// `POST /api/v1/interviews`: a new session; 201 with the candidate's and the
/// interviewer's links (each holds its secret, shown this once).
pub(super) async fn create(
    State(service): State<Arc<Service>>,
    Caller(user): Caller,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    access::may(&user, Action::CreateInterview)?;
    let new: NewSession = serde_json::from_slice(&body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("the body is not a session: {e}"),
        )
    })?;
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
    let body = Created {
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
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// A new session, with its two links (each holds its secret, shown this once).
#[derive(serde::Serialize)]
pub(super) struct Created {
    id: i64,
    problems: Vec<String>,
    minutes: f64,
    hide_hidden: bool,
    complexity: bool,
    seed: u64,
    candidate_path: String,
    interviewer_path: String,
    /// Absolute links, on `--public-url` only.
    candidate_url: Option<String>,
    interviewer_url: Option<String>,
    /// Why there are no absolute links, when there is no `--public-url`.
    #[serde(skip_serializing_if = "Option::is_none")]
    links: Option<&'static str>,
}

/// A note's id in the session's record.
#[derive(serde::Serialize)]
pub(super) struct NoteId {
    id: i64,
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
pub(super) async fn state(
    State(service): State<Arc<Service>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<Access>,
) -> Result<Json<InterviewReport>, ApiError> {
    let interview = for_interviewer(&service, &headers, id, q.key.as_deref())?;
    Ok(Json(build_report(&service, &interview)?))
}

#[derive(serde::Deserialize)]
pub(super) struct NoteBody {
    text: String,
}

/// `POST /api/v1/interviews/{id}/notes` `{text}`: an interviewer's note, appended.
pub(super) async fn note(
    State(service): State<Arc<Service>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<Access>,
    Json(body): Json<NoteBody>,
) -> Result<Json<NoteId>, ApiError> {
    let interview = for_interviewer(&service, &headers, id, q.key.as_deref())?;
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
