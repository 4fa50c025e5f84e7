//! Accounts: signing in and out of the web pages and the home page (`pages.rs`), and the
//! `judge user` commands that add users and set their passwords (`users.rs`).
//!
//! The browser session itself (`session.rs`: cookie, CSRF token, sign-in limits) and the
//! tokens and password hashes (`secrets.rs`) stay beside this folder, not in it: every
//! page's `Viewer` and the API's `Caller` read the session, and these pages use `web`'s
//! layout, so a session kept here would make `web` and `accounts` import each other.

mod pages;
mod users;

use std::sync::Arc;

use axum::response::Redirect;
use axum::routing::{get, post};
use axum::Router;

use crate::Service;
pub use users::{add_user, set_password, sign_out_everywhere};

/// The sign-in form (home), signing in and signing out.
pub(crate) fn routes() -> Router<Arc<Service>> {
    Router::new()
        .route("/", get(pages::home))
        // A sign-in or sign-out reached by an address (a bookmark, a redirect after the
        // session ended) is sent home, not answered with a bare 405.
        .route(
            "/signin",
            post(pages::sign_in).get(|| async { Redirect::to("/") }),
        )
        .route(
            "/signout",
            post(pages::sign_out).get(|| async { Redirect::to("/") }),
        )
}
