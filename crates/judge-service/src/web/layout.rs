//! What every page shares: who is looking (`Viewer`, by session cookie or bearer token),
//! the page around a body with its header and navigation, error pages, and the words for
//! times and languages.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup, DOCTYPE};

use super::assets::asset_url;
use crate::store::User;
use crate::Service;

/// A language's name as people write it ("C++", "Python 3"), else its id.
pub(crate) fn language_name(service: &Service, id: &str) -> String {
    service
        .engine
        .languages()
        .get(id)
        .map_or_else(|_| id.to_string(), |l| l.name.clone())
}

/// A time as UTC, to the minute.
pub(crate) fn when(ms: i64) -> String {
    let Ok(t) = time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)) else {
        return String::new();
    };
    format!(
        "{}-{:02}-{:02} {:02}:{:02} UTC",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}

/// Who is looking at a page: a signed-in browser (with the session's CSRF token for its
/// forms and scripts) or a script with a bearer token.
pub struct Viewer {
    pub user: User,
    /// None for a bearer token: its pages have nothing to send back.
    pub csrf: Option<String>,
    pub session: Option<String>,
}

impl FromRequestParts<Arc<Service>> for Viewer {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        service: &Arc<Service>,
    ) -> Result<Viewer, Response> {
        let viewer = if let Some(token) = crate::http::bearer_token(&parts.headers) {
            let user = crate::http::token_user(service, token)
                .ok()
                .flatten()
                .ok_or_else(|| error_page(StatusCode::UNAUTHORIZED, "This token is not known."))?;
            Viewer {
                user,
                csrf: None,
                session: None,
            }
        } else if let Some(s) = crate::session::from_headers(&parts.headers, service) {
            Viewer {
                user: s.user,
                csrf: Some(s.csrf),
                session: Some(s.id_hash),
            }
        } else {
            // Back to this page after signing in.
            let next = parts.uri.path_and_query().map_or("/", |p| p.as_str());
            let to = format!("/?next={}", encode_query(next));
            return Err(Redirect::to(&to).into_response());
        };
        if let Err(e) = service.rates.take(&viewer.user, service.limits.per_minute) {
            let message = format!(
                "Too many requests ({}). Wait a moment, then reload.",
                e.message
            );
            return Err(error_page(StatusCode::TOO_MANY_REQUESTS, &message));
        }
        Ok(viewer)
    }
}

/// Percent-encodes a query value.
pub(crate) fn encode_query(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// A page: the header with the navigation (when signed in), then `body`.
pub(crate) fn page(title: &str, viewer: Option<&Viewer>, body: &Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="color-scheme" content="light dark";
                @if let Some(csrf) = viewer.and_then(|v| v.csrf.as_deref()) {
                    meta name="csrf-token" content=(csrf);
                }
                title { (title) " · judge" }
                link rel="icon" type="image/svg+xml" href=(asset_url("favicon.svg"));
                link rel="stylesheet" href=(asset_url("style.css"));
                // Not deferred: it sets the theme before the page is drawn.
                script src=(asset_url("theme.js")) {}
                script defer src=(asset_url("editor.js")) {}
                script defer src=(asset_url("app.js")) {}
                script defer src=(asset_url("list.js")) {}
            }
            body {
                a.skip-link href="#main" { "Skip to the content" }
                header.top {
                    a.brand href="/problems" { "judge" }
                    @if let Some(v) = viewer {
                        nav aria-label="Main" {
                            a href="/problems" { "Problems" }
                            a href="/history" { "Submissions" }
                            // A mock interview's candidate has a made-up name: not shown.
                            @if crate::access::in_interview(&v.user) {
                                span.who { "In a mock interview" }
                            } @else {
                                span.who { (v.user.name) " · " (v.user.role.name()) }
                            }
                            @if let Some(csrf) = &v.csrf {
                                form.inline method="post" action="/signout" {
                                    input type="hidden" name="csrf" value=(csrf);
                                    button type="submit" { "Sign out" }
                                }
                            }
                        }
                    }
                    label.theme-choice hidden {
                        span.visually-hidden { "Theme" }
                        select #theme {
                            option value="system" { "System theme" }
                            option value="light" { "Light theme" }
                            option value="dark" { "Dark theme" }
                        }
                    }
                }
                main #main tabindex="-1" { (body) }
            }
        }
    }
}

/// A page that says what went wrong, in words, with the status that says whose fault it is.
/// For a failure of the service itself (5xx) `message` is a detail for the log only: the
/// page shows a request id instead.
pub fn error_page(status: StatusCode, message: &str) -> Response {
    if status.is_server_error() {
        let failure = crate::headers::internal(message);
        return shown_error_page(status, &failure.message());
    }
    shown_error_page(status, message)
}

/// The page for an API error (whose message a client may read: a 500's is already the
/// request id alone).
pub fn api_error_page(e: &crate::http::ApiError) -> Response {
    shown_error_page(e.status, &e.message)
}

fn shown_error_page(status: StatusCode, message: &str) -> Response {
    let body = html! {
        section.error-page {
            h1 { (error_heading(status)) }
            p.message role="alert" { (message) }
            p { a href="/problems" { "Back to the problems" } }
        }
    };
    (status, page("Error", None, &body)).into_response()
}

/// An error page's heading, in words a candidate reads.
fn error_heading(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "That request cannot be read",
        401 => "Sign in first",
        403 => "Not allowed",
        404 => "Not found",
        413 => "Too big",
        429 => "Too many requests",
        503 => "Busy",
        s if s >= 500 => "Something went wrong on the server",
        _ => "That did not work",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_in_utc() {
        assert_eq!(when(0), "1970-01-01 00:00 UTC");
        assert_eq!(when(1_796_000_000_000), "2026-11-30 00:53 UTC");
    }

    #[test]
    fn a_next_page_is_percent_encoded() {
        assert_eq!(encode_query("/problems/a?x=1&y"), "/problems/a%3Fx%3D1%26y");
    }
}
