//! Similarity on the service: which people's submissions to a problem look copied from each
//! other (`judge_core::similarity`: winnowed fingerprints, robust to renaming, reformatting and
//! reordering). Each person counts once, by their latest graded submission, so nobody is
//! compared with their own earlier tries; the problem's stub is code everyone was given and
//! does not count.
//!
//! Two scopes, each as JSON (`/api/v1/...`) and as a page:
//! - a problem's: every user's latest submission; authors and admins only (they read every
//!   submission anyway);
//! - an interviewer's sessions': the candidates of the sessions the caller created (admins
//!   and authors: every session) that include the problem. An interviewer sees only their
//!   own candidates' code, never other users'.
//!
//! `compared.rs` gathers and compares the submissions, `api.rs` answers with JSON and
//! `pages.rs` with a page.

mod api;
mod compared;
mod pages;

use std::sync::Arc;

use axum::routing::get;
use axum::Router;

use crate::Service;
pub(crate) use api::SimilarityDoc;

/// Similarity's API and pages.
pub(crate) fn routes() -> Router<Arc<Service>> {
    Router::new()
        .route("/api/v1/problems/{id}/similarity", get(api::problem_json))
        .route("/api/v1/interviews/similarity", get(api::interviews_json))
        .route("/problems/{id}/similarity", get(pages::problem_page))
        .route("/interviews/similarity", get(pages::interviews_page))
}
