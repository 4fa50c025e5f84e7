//! Submissions as a resource: new ones, batches, one and a history (`api.rs`) and their
//! live events (`events.rs`) in the API; the history page, a submission's page and its
//! report fragment (`pages.rs`). What a viewer sees of one is `views`'.

pub(crate) mod api;
pub(crate) mod events;
mod pages;

use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

use crate::Service;

/// The API's submission routes and the submission pages.
pub(crate) fn routes() -> Router<Arc<Service>> {
    Router::new()
        .route("/api/v1/submissions", post(api::submit).get(api::history))
        .route("/api/v1/submissions/batch", post(api::submit_batch))
        .route("/api/v1/submissions/{id}", get(api::submission))
        .route("/api/v1/submissions/{id}/events", get(events::events))
        .route("/history", get(pages::history))
        .route("/submissions/{id}", get(pages::submission))
        .route("/submissions/{id}/report", get(pages::submission_fragment))
}
