//! The web interface `judge serve` gives at `/`: sign in, the problem list, a problem's page
//! with an editor (run, custom input, submit with a live table of cases), submissions and
//! their history. Pages are rendered here (maud), so statements read without JavaScript;
//! the page script (`assets/app.js`) calls the JSON API under `/api/v1` with the session
//! cookie and the page's CSRF token, and follows a judging's server-sent events. The editor
//! is CodeMirror 6, built from `web/editor/` into `assets/editor.js` and embedded in the
//! binary, so nothing needs Node at build or run time.

mod assets;
mod complexity;
mod layout;
mod markdown;
mod pages;
mod problems;
pub mod report;
mod signin;
mod workspace;

use std::sync::Arc;

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Redirect;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;

use super::Service;
pub use layout::{api_error_page, error_page, Viewer};
pub(crate) use layout::{encode_query, language_name, page, when};
pub use markdown::markdown;

pub fn router(service: Arc<Service>) -> Router {
    Router::new()
        .route("/", get(signin::home))
        // A sign-in or sign-out reached by an address (a bookmark, a redirect after the
        // session ended) is sent home, not answered with a bare 405.
        .route(
            "/signin",
            post(signin::sign_in).get(|| async { Redirect::to("/") }),
        )
        .route(
            "/signout",
            post(pages::sign_out).get(|| async { Redirect::to("/") }),
        )
        .route("/problems", get(problems::problems))
        .route("/problems/{id}", get(pages::problem))
        .route("/problems/{id}/rejudge", post(pages::rejudge))
        .route("/history", get(pages::history))
        .route("/submissions/{id}", get(pages::submission))
        .route("/submissions/{id}/report", get(pages::submission_fragment))
        .route("/assets/{file}", get(asset))
        // Where a browser looks for an icon on an answer that names none (the API's JSON).
        .route("/favicon.ico", get(favicon))
        .fallback(|| async { error_page(StatusCode::NOT_FOUND, "There is no page here.") })
        .with_state(service)
}

async fn asset(Path(file): Path<String>) -> Response {
    assets::response(&file)
        .unwrap_or_else(|| error_page(StatusCode::NOT_FOUND, "There is no such file."))
}

/// The icon at the address browsers try by themselves. Its address carries no digest, so it
/// is kept for a day only (the pages name the versioned one).
async fn favicon() -> Response {
    asset(Path("favicon.svg".to_string())).await
}
