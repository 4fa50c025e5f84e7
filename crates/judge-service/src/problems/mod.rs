//! Problems as a resource: the list, a problem's document, its rejudge (`api.rs`) and a
//! user's drafts of it (`drafts.rs`) in the API; the list page with its search (`list.rs`),
//! a problem's page and the rejudge form (`pages.rs`). Both lists show `catalog.rs`'s
//! problems, and both rejudges are `rejudge.rs`'s.

pub(crate) mod api;
mod catalog;
pub(crate) mod drafts;
mod list;
mod pages;
mod rejudge;

use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

use crate::Service;
pub(crate) use api::published;
pub(crate) use rejudge::RejudgeError;

/// The API's problem routes and the problem pages.
pub(crate) fn routes() -> Router<Arc<Service>> {
    Router::new()
        .route("/api/v1/problems", get(api::problems))
        .route("/api/v1/problems/{id}", get(api::problem))
        .route("/api/v1/problems/{id}/rejudge", post(api::rejudge))
        .route(
            "/api/v1/problems/{id}/draft",
            get(drafts::draft).put(drafts::save_draft),
        )
        .route("/problems", get(list::problems))
        .route("/problems/{id}", get(pages::problem))
        .route("/problems/{id}/rejudge", post(pages::rejudge))
}
