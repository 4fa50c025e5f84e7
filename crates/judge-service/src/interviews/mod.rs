//! Mock interviews on the service: an interviewer creates a session (problems picked or
//! drawn, a length, hidden details hidden until the end); the candidate's link signs in a
//! user of that session alone (role interviewee), whose clock starts when it first opens
//! the link; the interviewer's link (a key of its own) shows the candidate's code as it is
//! saved, each run and submission, notes, a playback of every draft, and the report.
//!
//! The deadline is the server's: a submission or a draft after it is refused whatever the
//! browser's clock says. Everything the candidate does is appended to the session's record
//! (`store::interviews`), never rewritten, and the report is built from the record alone.

mod api;
mod pages;
mod report;

use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

use super::Service;
use api::{create, note, report, state};
pub(crate) use api::{for_interviewer, Access, InterviewsDoc};
use report::{build_report, counted, markdown, InterviewReport};

/// The interviews' API and pages.
pub(crate) fn routes() -> Router<Arc<Service>> {
    Router::new()
        .route("/api/v1/interviews", post(create))
        .route("/api/v1/interviews/{id}", get(state))
        .route("/api/v1/interviews/{id}/notes", post(note))
        .route("/api/v1/interviews/{id}/report", get(report))
        .route(
            "/interviews/{id}/join",
            get(pages::join_page).post(pages::join),
        )
        .route("/interviews/{id}/candidate", get(pages::candidate_page))
        .route("/interviews/{id}/watch", get(pages::watch_page))
        .route("/interviews/{id}/watch/notes", post(pages::note_form))
        .route("/interviews/{id}/playback", get(pages::playback_page))
        .route("/interviews/{id}/report", get(pages::report_page))
}
