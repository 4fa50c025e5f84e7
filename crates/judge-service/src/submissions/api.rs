//! The submissions' routes: a new submission (checked field by field, stored with its
//! job; with `?wait=true` answered once judged), a batch of them (all or none), one
//! submission and a history, each as its viewer may see it.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;

use crate::access::{self, Action};
use crate::http::{ApiError, Caller};
use crate::intake::known_problem;
use crate::intake::{check_input, check_language, measurable, read_body, read_new_submission};
use crate::openapi::{
    ApiErrorBody, BatchBody, BatchIds, NewSubmissionBody, SubmissionBody, SubmissionList,
};
use crate::problems::published;
use crate::store::{Mode, Status, User};
use crate::views::{Shown, View};
use crate::Service;

/// How many submissions a history lists at most.
pub(crate) const HISTORY_LIMIT: i64 = 100;
/// How long `?wait=true` waits for a result before answering with the state so far.
pub(crate) const WAIT_LIMIT: Duration = Duration::from_mins(10);

#[derive(serde::Deserialize)]
pub(crate) struct WaitQuery {
    #[serde(default)]
    wait: bool,
}

#[utoipa::path(post, path = "/api/v1/submissions",
    params(("wait" = Option<bool>, Query, description = "answer once the submission is judged")),
    request_body = NewSubmissionBody,
    responses((status = 201, description = "Stored (and, with wait, judged)", body = SubmissionBody), (status = 400, description = "Bad input, naming the field", body = ApiErrorBody), (status = 403, description = "An interview's candidate: a problem not of its session, or after its deadline; or a page's request without its CSRF token", body = ApiErrorBody), (status = 413, description = "A source over 64 KiB", body = ApiErrorBody), (status = 401, description = "No token, or not a known one", body = ApiErrorBody), (status = 429, description = "Over the token's rate", body = ApiErrorBody)))]
pub(crate) async fn submit(
    State(service): State<Arc<Service>>,
    Caller(user): Caller,
    Query(query): Query<WaitQuery>,
    body: Bytes,
) -> Result<(StatusCode, Json<SubmissionBody>), ApiError> {
    let body: NewSubmissionBody = read_body(&body)?;
    let mut new = read_new_submission(body, &service.reach.webhook_allow)?;
    known_problem(&service, &new.problem)?;
    let interview = crate::access::candidate_session(&service, &user)?;
    if let Some(interview) = &interview {
        crate::access::check_candidate(interview, &new.problem)?;
    }
    check_input(&service, &new)?;
    check_language(&service, &new)?;
    if new.complexity {
        measurable(&service, &new.problem)?;
    }
    // An interview that measures complexity measures every submission of its candidate
    // that can be measured.
    new.complexity |= new.mode == Mode::Submit
        && new.input.is_none()
        && interview.as_ref().is_some_and(|i| i.complexity)
        && measurable(&service, &new.problem).is_ok();
    new.problem_version = Some(published(&service, &new.problem)?);
    room_in_queue(&service, &user, 1)?;
    let id = service.store.submit(&user, &new)?;
    service.work.notify_one();
    if let Some(interview) = &interview {
        service.store.record(
            interview.id,
            new.mode.into(),
            Some(&new.problem),
            None,
            Some(id),
        )?;
    }
    if query.wait {
        wait_done(&service, id).await;
    }
    let stored = View::of(&service, &user)
        .read(&service, id)?
        .ok_or_else(|| ApiError::internal("the submission vanished"))?;
    Ok((StatusCode::CREATED, Json(stored.into_body(true))))
}

/// 429 when `more` submissions would take the user over its queued limit.
pub(crate) fn room_in_queue(service: &Service, user: &User, more: i64) -> Result<(), ApiError> {
    let queued = service.store.queued_for(user)?;
    let most = service.limits.queued;
    if queued + more > most {
        return Err(ApiError::too_many(
            format!("{queued} of your submissions are waiting or being judged; the most is {most}"),
            5,
        ));
    }
    Ok(())
}

/// The most submissions one batch may hold.
pub(crate) const MAX_BATCH: usize = 100;

/// `POST /submissions/batch` `{"submissions": [{problem, source, mode?}, ...]}`: every one
/// read and checked first (an error names `submissions[i]`), then all stored in one
/// transaction (all or none); 201 with their ids.
#[utoipa::path(post, path = "/api/v1/submissions/batch",
    request_body = BatchBody,
    responses((status = 201, description = "All stored, in order", body = BatchIds), (status = 400, description = "An item is wrong (named `submissions[i]`); none is stored", body = ApiErrorBody), (status = 403, description = "An interview's candidate (one submission at a time), or a page's request without its CSRF token", body = ApiErrorBody), (status = 413, description = "Over 100 submissions", body = ApiErrorBody), (status = 401, description = "No token, or not a known one", body = ApiErrorBody), (status = 429, description = "Over the token's rate", body = ApiErrorBody)))]
pub(crate) async fn submit_batch(
    State(service): State<Arc<Service>>,
    Caller(user): Caller,
    body: Bytes,
) -> Result<(StatusCode, Json<BatchIds>), ApiError> {
    access::may(&user, Action::SubmitBatch)?;
    let BatchBody { submissions: items } = read_body(&body)?;
    if items.len() > MAX_BATCH {
        return Err(ApiError::field(
            StatusCode::PAYLOAD_TOO_LARGE,
            "submissions",
            format!(
                "{} submissions; a batch holds at most {MAX_BATCH}",
                items.len()
            ),
        ));
    }
    let mut new = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let checked = read_new_submission(item, &service.reach.webhook_allow)
            .and_then(|n| known_problem(&service, &n.problem).map(|()| n))
            .and_then(|n| check_input(&service, &n).map(|()| n))
            .and_then(|n| check_language(&service, &n).map(|()| n))
            .and_then(|n| {
                if n.complexity {
                    measurable(&service, &n.problem)?;
                }
                Ok(n)
            })
            .and_then(|mut n| {
                n.problem_version = Some(published(&service, &n.problem)?);
                Ok(n)
            })
            .map_err(|e| ApiError {
                message: format!("submissions[{i}]: {}", e.message),
                ..e
            })?;
        new.push(checked);
    }
    room_in_queue(&service, &user, new.len() as i64)?;
    let ids = service.store.submit_many(&user, &new)?;
    service.work.notify_waiters();
    Ok((StatusCode::CREATED, Json(BatchIds { ids })))
}

/// Waits until the submission is judged, whichever host judges it (or `WAIT_LIMIT` passes,
/// or the service stops: a stopping server finishes its requests, so a wait must not hold
/// it up; the client gets the state so far).
pub(crate) async fn wait_done(service: &Service, id: i64) {
    let mut woken = service.store.hub().subscribe(id);
    let deadline = tokio::time::Instant::now() + WAIT_LIMIT;
    loop {
        // Registered before the flag is read, so a stop in between still wakes it.
        let stopped = service.stop.notified();
        tokio::pin!(stopped);
        stopped.as_mut().enable();
        if is_done(service, id) || service.stopping() {
            return;
        }
        tokio::select! {
            () = stopped => return,
            () = woken.changed() => {}
            // A wake-up lost with the listening connection is made up for here.
            () = tokio::time::sleep(LOOK_AGAIN) => {}
            () = tokio::time::sleep_until(deadline) => return,
        }
    }
}

/// How often a reader of events looks at the store without being woken.
pub(crate) const LOOK_AGAIN: Duration = Duration::from_secs(5);

pub(crate) fn is_done(service: &Service, id: i64) -> bool {
    matches!(service.store.submission(id), Ok(Some(s)) if s.status == Status::Done)
}

/// The submission `id` as `user` may see it; someone else's is "not found" to a
/// candidate, who may not learn that it exists.
pub(crate) fn readable(service: &Service, user: &User, id: i64) -> Result<(View, Shown), ApiError> {
    let view = View::of(service, user);
    let shown = view
        .read(service, id)?
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, format!("no submission {id}")))?;
    Ok((view, shown))
}

#[utoipa::path(get, path = "/api/v1/submissions/{id}",
    params(("id" = i64, Path, description = "a submission id")),
    responses((status = 200, description = "The submission, its status and report", body = SubmissionBody), (status = 404, description = "No such submission (or, to a candidate, someone else's)", body = ApiErrorBody), (status = 401, description = "No token, or not a known one", body = ApiErrorBody), (status = 429, description = "Over the token's rate", body = ApiErrorBody)))]
pub(crate) async fn submission(
    State(service): State<Arc<Service>>,
    Caller(user): Caller,
    Path(id): Path<i64>,
) -> Result<Json<SubmissionBody>, ApiError> {
    let (_, s) = readable(&service, &user, id)?;
    Ok(Json(s.into_body(true)))
}

#[derive(serde::Deserialize)]
pub(crate) struct HistoryQuery {
    problem: Option<String>,
    user: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/submissions",
    params(("problem" = Option<String>, Query, description = "only this problem's"), ("user" = Option<String>, Query, description = "only this user's (a candidate always sees its own only)")),
    responses((status = 200, description = "Submissions, newest first", body = SubmissionList), (status = 401, description = "No token, or not a known one", body = ApiErrorBody), (status = 429, description = "Over the token's rate", body = ApiErrorBody)))]
pub(crate) async fn history(
    State(service): State<Arc<Service>>,
    Caller(user): Caller,
    Query(query): Query<HistoryQuery>,
) -> Result<Json<SubmissionList>, ApiError> {
    // A candidate's history is its own, whatever it asks for (the view decides).
    let list = View::of(&service, &user).list(
        &service,
        query.problem.as_deref(),
        query.user.as_deref(),
        HISTORY_LIMIT,
    )?;
    let submissions = list.into_iter().map(|s| s.into_body(false)).collect();
    Ok(Json(SubmissionList { submissions }))
}
