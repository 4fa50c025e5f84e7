//! The HTTP API under `/api/v1`: problems, submissions, their live events, and health.
//! Every request but `/healthz` carries `Authorization: Bearer <token>`. Errors are JSON
//! `{"error": "...", "field": "..."}` with the status that says whose fault it is.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures_util::stream::{self, Stream, StreamExt};
use serde_json::Value;
use utoipa::OpenApi;

use super::access::{self, Action};
pub use super::http::{ApiError, Caller};
use super::intake::{check_input, check_language, measurable, read_json, read_new_submission};
use super::intake::{known_problem, load_package, load_problem, Loaded};
use super::openapi::{
    ApiErrorBody, BatchBody, BatchIds, BearerAuth, DraftBody, GroupSummary, Health, LanguageStub,
    Limits, NewDraftBody, NewSubmissionBody, ProblemDocument, ProblemList, ProblemSummary,
    Rejudged, Sample, StatementImage, SubmissionBody, SubmissionList, WorkerHealth, WorkerList,
};
use super::store::{Mode, Status, User};
use super::store::{WorkerInfo, WorkerState};
use super::views::{Shown, Told, View};
use super::Service;
use judge_core::problem::spec;

/// How many submissions a history lists at most.
const HISTORY_LIMIT: i64 = 100;
/// How long `?wait=true` waits for a result before answering with the state so far.
const WAIT_LIMIT: Duration = Duration::from_mins(10);

pub fn router(service: Arc<Service>) -> Router {
    Router::new()
        .route("/healthz", get(health))
        .route("/metrics", get(metrics))
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/problems", get(problems))
        .route("/api/v1/problems/{id}", get(problem))
        .route("/api/v1/submissions", post(submit).get(history))
        .route("/api/v1/submissions/batch", post(submit_batch))
        .route("/api/v1/workers", get(workers))
        .route("/api/v1/problems/{id}/rejudge", post(rejudge))
        .route(
            "/api/v1/problems/{id}/draft",
            get(super::drafts::draft).put(super::drafts::save_draft),
        )
        .route("/api/v1/submissions/{id}", get(submission))
        .route("/api/v1/submissions/{id}/events", get(events))
        .with_state(service)
}

/// A worker process's own routes (`judge worker --listen`): `/healthz` answers 200 while
/// it reaches the database (503 and the database's error otherwise), `/metrics` is its own
/// doing (the service's /metrics has every worker's).
pub fn worker_router(service: Arc<Service>) -> Router {
    Router::new()
        .route("/healthz", get(worker_health))
        .route("/metrics", get(worker_metrics))
        .with_state(service)
}

async fn worker_health(State(service): State<Arc<Service>>) -> Response {
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

async fn worker_metrics(State(service): State<Arc<Service>>) -> Response {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        super::metrics::render_worker(&service),
    )
        .into_response()
}

async fn openapi() -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        openapi_document(),
    )
        .into_response()
}

#[utoipa::path(get, path = "/api/v1/workers",
    responses((status = 200, description = "The workers registered in the store: host, toolchain, isolation, jobs at once and in flight, last heartbeat", body = WorkerList), (status = 403, description = "Not an author or admin", body = ApiErrorBody), (status = 401, description = "No token, or not a known one", body = ApiErrorBody), (status = 429, description = "Over the token's rate", body = ApiErrorBody)))]
async fn workers(
    State(service): State<Arc<Service>>,
    Caller(user): Caller,
) -> Result<Json<WorkerList>, ApiError> {
    access::may(&user, Action::SeeWorkers)?;
    let workers = service.store.workers()?;
    Ok(Json(WorkerList { workers }))
}

#[utoipa::path(get, path = "/healthz", security(()), responses((status = 200, description = "The service is up", body = Health)))]
async fn health(State(service): State<Arc<Service>>) -> Result<Json<Health>, ApiError> {
    let queued = service.store.queue_depth()?;
    Ok(Json(Health { ok: true, queued }))
}

#[derive(serde::Deserialize)]
struct ProblemFilter {
    difficulty: Option<String>,
    tag: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/problems",
    params(("difficulty" = Option<String>, Query, description = "easy, medium or hard"), ("tag" = Option<String>, Query, description = "only problems with this tag")),
    responses((status = 200, description = "The bank's problems", body = ProblemList), (status = 401, description = "No token, or not a known one", body = ApiErrorBody), (status = 429, description = "Over the token's rate", body = ApiErrorBody)))]
async fn problems(
    State(service): State<Arc<Service>>,
    caller: Caller,
    Query(filter): Query<ProblemFilter>,
) -> Result<Json<ProblemList>, ApiError> {
    let mut list = Vec::new();
    let seen = super::access::Seen::of(&service, &caller.0);
    for id in service.bank.ids() {
        if !seen.has(&id) {
            continue;
        }
        let Ok(dir) = service.bank.resolve(&id) else {
            continue;
        };
        if let Some(package) = super::kattis::load(&dir) {
            let Ok(package) = package else { continue };
            if filter
                .difficulty
                .as_deref()
                .is_some_and(|d| d != super::kattis::UNRATED)
                || filter.tag.is_some()
            {
                continue;
            }
            list.push(super::kattis::summary(&package));
            continue;
        }
        let Ok(problem) = spec::load(&dir) else {
            continue;
        };
        let difficulty = problem.difficulty.to_string();
        if filter
            .difficulty
            .as_deref()
            .is_some_and(|d| d != difficulty.as_str())
            || filter
                .tag
                .as_ref()
                .is_some_and(|t| !problem.tags.contains(t))
        {
            continue;
        }
        list.push(ProblemSummary {
            id: problem.id,
            title: problem.title,
            difficulty,
            tags: problem.tags,
            format: "function".into(),
        });
    }
    Ok(Json(ProblemList { problems: list }))
}

#[utoipa::path(get, path = "/api/v1/problems/{id}",
    params(("id" = String, Path, description = "a problem id")),
    responses((status = 200, description = "What a candidate needs before submitting", body = ProblemDocument), (status = 404, description = "No such problem", body = ApiErrorBody), (status = 401, description = "No token, or not a known one", body = ApiErrorBody), (status = 429, description = "Over the token's rate", body = ApiErrorBody)))]
async fn problem(
    State(service): State<Arc<Service>>,
    Caller(user): Caller,
    Path(id): Path<String>,
) -> Result<Json<ProblemDocument>, ApiError> {
    if !super::access::may_see(&service, &user, &id) {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no problem {id}"),
        ));
    }
    let loaded = Loaded::load(&service, &id)?;
    let mut document = match &loaded {
        Loaded::Package(package) => super::kattis::document(package),
        Loaded::Function(problem) => {
            let (problem, engine) = (problem.clone(), service.engine.clone());
            tokio::task::spawn_blocking(move || super::document::problem_document(&problem, engine))
                .await??
        }
    };
    super::document::with_languages(&mut document, &service, &loaded);
    Ok(Json(document))
}

#[derive(serde::Deserialize)]
struct WaitQuery {
    #[serde(default)]
    wait: bool,
}

#[utoipa::path(post, path = "/api/v1/submissions",
    params(("wait" = Option<bool>, Query, description = "answer once the submission is judged")),
    request_body = NewSubmissionBody,
    responses((status = 201, description = "Stored (and, with wait, judged)", body = SubmissionBody), (status = 400, description = "Bad input, naming the field", body = ApiErrorBody), (status = 413, description = "A source over 64 KiB", body = ApiErrorBody), (status = 401, description = "No token, or not a known one", body = ApiErrorBody), (status = 429, description = "Over the token's rate", body = ApiErrorBody)))]
async fn submit(
    State(service): State<Arc<Service>>,
    Caller(user): Caller,
    Query(query): Query<WaitQuery>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let mut new = read_new_submission(read_json(&body)?, &service.reach.webhook_allow)?;
    known_problem(&service, &new.problem)?;
    let interview = super::access::candidate_session(&service, &user)?;
    if let Some(interview) = &interview {
        super::access::check_candidate(interview, &new.problem)?;
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
    Ok((StatusCode::CREATED, Json(stored.into_body(true))).into_response())
}

/// The problem's current version, published for workers (`packages`).
pub(super) fn published(service: &Service, problem: &str) -> Result<String, ApiError> {
    super::packages::publish(service, problem).map_err(ApiError::internal)
}

/// 429 when `more` submissions would take the user over its queued limit.
fn room_in_queue(service: &Service, user: &User, more: i64) -> Result<(), ApiError> {
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
const MAX_BATCH: usize = 100;

/// `POST /submissions/batch` `{"submissions": [{problem, source, mode?}, ...]}`: every one
/// checked first, then all stored in one transaction (all or none); 201 with their ids.
#[utoipa::path(post, path = "/api/v1/submissions/batch",
    request_body = BatchBody,
    responses((status = 201, description = "All stored, in order", body = BatchIds), (status = 400, description = "An item is wrong (named `submissions[i]`); none is stored", body = ApiErrorBody), (status = 413, description = "Over 100 submissions", body = ApiErrorBody), (status = 401, description = "No token, or not a known one", body = ApiErrorBody), (status = 429, description = "Over the token's rate", body = ApiErrorBody)))]
async fn submit_batch(
    State(service): State<Arc<Service>>,
    Caller(user): Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    access::may(&user, Action::SubmitBatch)?;
    let value = read_json(&body)?;
    let Some(Value::Array(items)) = value.get("submissions").cloned() else {
        return Err(ApiError::field(
            StatusCode::BAD_REQUEST,
            "submissions",
            "`submissions` must be a list of {problem, source, mode}",
        ));
    };
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
    Ok((StatusCode::CREATED, Json(BatchIds { ids })).into_response())
}

/// `POST /problems/{id}/rejudge` (authors and admins): every judged submission of the
/// problem judged again, on the problem as it is now.
#[utoipa::path(post, path = "/api/v1/problems/{id}/rejudge",
    params(("id" = String, Path, description = "a problem id")),
    responses((status = 200, description = "Every judged submission of the problem queued again", body = Rejudged), (status = 403, description = "Not an author or admin", body = ApiErrorBody), (status = 404, description = "No such problem", body = ApiErrorBody), (status = 401, description = "No token, or not a known one", body = ApiErrorBody), (status = 429, description = "Over the token's rate", body = ApiErrorBody)))]
async fn rejudge(
    State(service): State<Arc<Service>>,
    Caller(user): Caller,
    Path(id): Path<String>,
) -> Result<Json<Rejudged>, ApiError> {
    access::may(&user, Action::Rejudge)?;
    if load_package(&service, &id).is_none() {
        load_problem(&service, &id)?;
    }
    let version = published(&service, &id)?;
    let queued = service.store.requeue_problem(&id, Some(&version))?;
    service.work.notify_waiters();
    Ok(Json(Rejudged {
        problem: id,
        queued,
    }))
}

#[utoipa::path(get, path = "/metrics", security(()), responses((status = 200, description = "Prometheus text: queue depth, busy workers, judged by verdict, latency histogram", content_type = "text/plain", body = String)))]
async fn metrics(State(service): State<Arc<Service>>) -> Result<Response, ApiError> {
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

/// Waits until the submission is judged, whichever host judges it (or `WAIT_LIMIT` passes,
/// or the service stops: a stopping server finishes its requests, so a wait must not hold
/// it up; the client gets the state so far).
async fn wait_done(service: &Service, id: i64) {
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
const LOOK_AGAIN: Duration = Duration::from_secs(5);

fn is_done(service: &Service, id: i64) -> bool {
    matches!(service.store.submission(id), Ok(Some(s)) if s.status == Status::Done)
}

/// The submission `id` as `user` may see it; someone else's is "not found" to a
/// candidate, who may not learn that it exists.
fn readable(service: &Service, user: &User, id: i64) -> Result<(View, Shown), ApiError> {
    let view = View::of(service, user);
    let shown = view
        .read(service, id)?
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, format!("no submission {id}")))?;
    Ok((view, shown))
}

#[utoipa::path(get, path = "/api/v1/submissions/{id}",
    params(("id" = i64, Path, description = "a submission id")),
    responses((status = 200, description = "The submission, its status and report", body = SubmissionBody), (status = 404, description = "No such submission (or, to a candidate, someone else's)", body = ApiErrorBody), (status = 401, description = "No token, or not a known one", body = ApiErrorBody), (status = 429, description = "Over the token's rate", body = ApiErrorBody)))]
async fn submission(
    State(service): State<Arc<Service>>,
    Caller(user): Caller,
    Path(id): Path<i64>,
) -> Result<Json<SubmissionBody>, ApiError> {
    let (_, s) = readable(&service, &user, id)?;
    Ok(Json(s.into_body(true)))
}

#[derive(serde::Deserialize)]
struct HistoryQuery {
    problem: Option<String>,
    user: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/submissions",
    params(("problem" = Option<String>, Query, description = "only this problem's"), ("user" = Option<String>, Query, description = "only this user's (a candidate always sees its own only)")),
    responses((status = 200, description = "Submissions, newest first", body = SubmissionList), (status = 401, description = "No token, or not a known one", body = ApiErrorBody), (status = 429, description = "Over the token's rate", body = ApiErrorBody)))]
async fn history(
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

/// Server-sent events of a submission, read from the store whichever host judges it:
/// everything told so far (or, with `Last-Event-ID`, after that event), then the rest as it
/// comes, ending with `done` (the submission with its report). Each event's `id` is its
/// sequence number. A judged submission gets `done` at once.
#[utoipa::path(get, path = "/api/v1/submissions/{id}/events",
    params(("id" = i64, Path, description = "a submission id"), ("Last-Event-ID" = Option<i64>, Header, description = "the id of the last event the client got: the stream starts after it")),
    responses((status = 200, description = "Server-sent events, each with its id: queued, compiling, compiled, running, case-started, case-finished, group-finished, then done (the submission); a judged submission gets done at once", content_type = "text/event-stream", body = String), (status = 400, description = "A Last-Event-ID that is not an event id", body = ApiErrorBody), (status = 404, description = "No such submission (or, to a candidate, someone else's)", body = ApiErrorBody), (status = 401, description = "No token, or not a known one", body = ApiErrorBody), (status = 429, description = "Over the token's rate, or 16 event streams already open for this account", body = ApiErrorBody)))]
async fn events(
    State(service): State<Arc<Service>>,
    Caller(user): Caller,
    Path(id): Path<i64>,
    headers: axum::http::HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, ApiError> {
    let (view, shown) = readable(&service, &user, id)?;
    let after = last_event_id(&headers)?;
    // Held by the stream: its place among the account's streams is free once it ends.
    let held = super::streams::Streams::open(&service, user.id)?;
    // What this viewer is told: an interview's candidate whose hidden details are withheld
    // gets hidden cases without their figures, after the judging ends.
    let live = view.live(service.clone(), &shown);
    let reader = EventReader {
        woken: service.store.hub().subscribe(id),
        service,
        id,
        after,
        ended: false,
        live,
        _held: held,
    };
    let stream = stream::unfold(reader, |mut reader| async move {
        let batch = reader.next_batch().await?;
        Some((stream::iter(batch), reader))
    })
    .flatten();
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

/// The `Last-Event-ID` a reconnecting client sends: the stream resumes after it.
fn last_event_id(headers: &axum::http::HeaderMap) -> Result<i64, ApiError> {
    let Some(value) = headers.get("last-event-id") else {
        return Ok(0);
    };
    value
        .to_str()
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|n| *n >= 0)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                format!(
                    "Last-Event-ID must be the id of an event this stream sent (a whole number), not {:?}",
                    String::from_utf8_lossy(value.as_bytes())
                ),
            )
        })
}

/// One client's reading of a submission's events.
struct EventReader {
    service: Arc<Service>,
    woken: super::hub::Subscription,
    id: i64,
    /// The last sequence number sent.
    after: i64,
    ended: bool,
    /// This viewer's filter over the events.
    live: super::views::Live,
    /// The stream's place among its account's streams.
    _held: super::streams::Held,
}

impl EventReader {
    /// The next events to send, waiting for some; `None` once `done` was sent (or the
    /// service stops).
    async fn next_batch(&mut self) -> Option<Vec<Result<SseEvent, Infallible>>> {
        if self.ended {
            return None;
        }
        loop {
            // Registered before the store is read: a write in between still wakes it.
            let service = self.service.clone();
            let stopped = service.stop.notified();
            tokio::pin!(stopped);
            stopped.as_mut().enable();
            let batch = self.read();
            if !batch.is_empty() {
                return Some(batch);
            }
            if self.ended || service.stopping() {
                return None;
            }
            tokio::select! {
                () = self.woken.changed() => {}
                () = tokio::time::sleep(LOOK_AGAIN) => {}
                () = stopped => return None,
            }
        }
    }

    /// The events after `after`, up to and with `done` (rendered from the submission as
    /// the reader may see it). A submission judged before events were stored has none:
    /// its `done` is made from the submission.
    fn read(&mut self) -> Vec<Result<SseEvent, Infallible>> {
        let stored = match self.service.store.events_after(self.id, self.after, 200) {
            Ok(stored) => stored,
            Err(e) => {
                tracing::warn!(submission = self.id, error = %e, "cannot read events");
                return Vec::new();
            }
        };
        let mut out = Vec::with_capacity(stored.len());
        for event in stored {
            self.after = event.seq;
            if event.name == "done" {
                out.extend(self.finish(Some(event.seq)));
                break;
            }
            let told = Told {
                name: event.name,
                data: event.data,
            };
            let passed = self.live.pass(told);
            out.extend(passed.into_iter().map(|t| Ok(self.sse(t, event.seq))));
        }
        if out.is_empty() && !self.ended && self.is_legacy_done() {
            out.extend(self.finish(None));
        }
        out
    }

    /// Judged, with no `done` event stored (judged before events were kept).
    fn is_legacy_done(&self) -> bool {
        is_done(&self.service, self.id)
            && matches!(self.service.store.events_after(self.id, 0, 1), Ok(e) if e.is_empty())
    }

    /// The end of the stream: what the viewer's filter held back, then `done` (the
    /// submission as this viewer may see it).
    fn finish(&mut self, seq: Option<i64>) -> Vec<Result<SseEvent, Infallible>> {
        self.ended = true;
        let told = self.live.finish();
        match seq {
            Some(seq) => told.into_iter().map(|t| Ok(self.sse(t, seq))).collect(),
            None => told
                .into_iter()
                .map(|t| Ok(SseEvent::default().event(t.name).data(t.data)))
                .collect(),
        }
    }

    /// An event as sent, with its sequence number as its id when this viewer's filter lets
    /// ids through (a withheld view's ids would count the hidden events between two shown).
    fn sse(&self, told: Told, seq: i64) -> SseEvent {
        let event = SseEvent::default().event(told.name).data(told.data);
        if self.live.numbered() {
            event.id(seq.to_string())
        } else {
            event
        }
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
        super::drafts::draft,
        super::drafts::save_draft,
    ),
    components(schemas(
        Health,
        ApiErrorBody,
        ProblemSummary,
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
    doc.merge(super::similar::SimilarityDoc::openapi());
    doc.to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
