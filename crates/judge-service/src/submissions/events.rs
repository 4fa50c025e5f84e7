//! A submission's live events (`GET /api/v1/submissions/{id}/events`): server-sent
//! events read from the store whichever host judges it, resumed after `Last-Event-ID`,
//! ending with `done`.

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures_util::stream::{self, Stream, StreamExt};

use super::api::{is_done, readable, LOOK_AGAIN};
use crate::http::{ApiError, Caller};
use crate::openapi::ApiErrorBody;
use crate::views::Told;
use crate::Service;

/// Server-sent events of a submission, read from the store whichever host judges it:
/// everything told so far (or, with `Last-Event-ID`, after that event), then the rest as it
/// comes, ending with `done` (the submission with its report). Each event's `id` is its
/// sequence number. A judged submission gets `done` at once.
#[utoipa::path(get, path = "/api/v1/submissions/{id}/events",
    params(("id" = i64, Path, description = "a submission id"), ("Last-Event-ID" = Option<i64>, Header, description = "the id of the last event the client got: the stream starts after it")),
    responses((status = 200, description = "Server-sent events, each with its id: queued, compiling, compiled, running, case-started, case-finished, group-finished, then done (the submission); a judged submission gets done at once", content_type = "text/event-stream", body = String), (status = 400, description = "A Last-Event-ID that is not an event id", body = ApiErrorBody), (status = 404, description = "No such submission (or, to a candidate, someone else's)", body = ApiErrorBody), (status = 401, description = "No token, or not a known one", body = ApiErrorBody), (status = 429, description = "Over the token's rate, or 16 event streams already open for this account", body = ApiErrorBody)))]
pub(crate) async fn events(
    State(service): State<Arc<Service>>,
    Caller(user): Caller,
    Path(id): Path<i64>,
    headers: axum::http::HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, ApiError> {
    let (view, shown) = readable(&service, &user, id)?;
    let after = last_event_id(&headers)?;
    // Held by the stream: its place among the account's streams is free once it ends.
    let held = crate::streams::Streams::open(&service, user.id)?;
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
pub(crate) fn last_event_id(headers: &axum::http::HeaderMap) -> Result<i64, ApiError> {
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
pub(crate) struct EventReader {
    service: Arc<Service>,
    woken: crate::hub::Subscription,
    id: i64,
    /// The last sequence number sent.
    after: i64,
    ended: bool,
    /// This viewer's filter over the events.
    live: crate::views::Live,
    /// The stream's place among its account's streams.
    _held: crate::streams::Held,
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
