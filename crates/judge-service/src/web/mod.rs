//! The web interface `judge serve` gives at `/`: sign in, the problem list, a problem's page
//! with an editor (run, custom input, submit with a live table of cases), submissions and
//! their history. Pages are rendered here (maud), so statements read without JavaScript;
//! the page script (`assets/app.js`) calls the JSON API under `/api/v1` with the session
//! cookie and the page's CSRF token, and follows a judging's server-sent events. The editor
//! is CodeMirror 6, built from `web/editor/` into `assets/editor.js` and embedded in the
//! binary, so nothing needs Node at build or run time.

mod complexity;
mod pages;
mod problems;
pub mod report;
mod signin;
mod workspace;

use std::fmt::Write as _;
use std::sync::{Arc, LazyLock};

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup, DOCTYPE};

use super::store::User;
use super::{token_hash, Service};

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

/// A file the pages load, embedded in the binary.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static str,
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "style.css",
        content_type: "text/css; charset=utf-8",
        body: include_str!("assets/style.css"),
    },
    Asset {
        name: "app.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("assets/app.js"),
    },
    Asset {
        name: "theme.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("assets/theme.js"),
    },
    Asset {
        name: "list.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("assets/list.js"),
    },
    Asset {
        name: "editor.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("assets/editor.js"),
    },
    Asset {
        name: "favicon.svg",
        content_type: "image/svg+xml",
        body: include_str!("assets/favicon.svg"),
    },
    Asset {
        name: "editor.LICENSES.txt",
        content_type: "text/plain; charset=utf-8",
        body: include_str!("assets/editor.LICENSES.txt"),
    },
];

/// A digest of every asset, put in their URLs (`?v=`), so a browser may keep them for long
/// and still loads the new ones after an upgrade.
static ASSET_VERSION: LazyLock<String> = LazyLock::new(|| {
    let bodies: Vec<&[u8]> = ASSETS.iter().map(|a| a.body.as_bytes()).collect();
    judge_core::cache::digest(&bodies)[..12].to_string()
});

fn asset_url(name: &str) -> String {
    format!("/assets/{name}?v={}", *ASSET_VERSION)
}

async fn asset(Path(file): Path<String>) -> Response {
    let Some(asset) = ASSETS.iter().find(|a| a.name == file) else {
        return error_page(StatusCode::NOT_FOUND, "There is no such file.");
    };
    (
        [
            (header::CONTENT_TYPE, asset.content_type),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        asset.body,
    )
        .into_response()
}

/// The icon at the address browsers try by themselves. Its address carries no digest, so it
/// is kept for a day only (the pages name the versioned one).
async fn favicon() -> Response {
    asset(Path("favicon.svg".to_string())).await
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
        let viewer = if let Some(token) = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|h| h.to_str().ok())
            .and_then(|h| h.strip_prefix("Bearer "))
        {
            let user = service
                .store
                .user_by_token(&token_hash(token.trim()))
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
fn encode_query(text: &str) -> String {
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
                            @if v.user.role == super::store::Role::Interviewee {
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
        let failure = super::headers::internal(message);
        return shown_error_page(status, &failure.message());
    }
    shown_error_page(status, message)
}

/// The page for an API error (whose message a client may read: a 500's is already the
/// request id alone).
pub fn api_error_page(e: &super::http::ApiError) -> Response {
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

/// Markdown (a problem's statement, an interview's report) as HTML. Raw HTML in it is shown
/// as text, and a link or image whose address has a scheme other than http or https
/// (`javascript:`, `data:`, ...) keeps its words but loses its address: the text is an
/// author's or (in a report) a candidate's, never markup or script that runs in a page.
pub fn markdown(text: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    // For each link or image open: whether it was kept (so its end is kept or dropped too).
    let mut open: Vec<bool> = Vec::new();
    let parser = Parser::new_ext(text, Options::ENABLE_TABLES).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. }) => {
            let kept = safe_address(dest_url);
            open.push(kept);
            kept.then_some(event)
        }
        Event::End(TagEnd::Link | TagEnd::Image) => open.pop().unwrap_or(true).then_some(event),
        other => Some(other),
    });
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, parser);
    out
}

/// Whether a link's address may stay: http(s), or one without a scheme (a path of this
/// site, a fragment). Whitespace and controls anywhere are refused: browsers drop them, so
/// `java\tscript:` would be `javascript:`.
fn safe_address(address: &str) -> bool {
    if address.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    match address.find([':', '/', '?', '#']) {
        Some(at) if address[at..].starts_with(':') => {
            let scheme = address[..at].to_ascii_lowercase();
            scheme == "http" || scheme == "https"
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders_and_shows_raw_html_as_text() {
        let html = markdown("# Title\n\nSome *words* <script>alert(1)</script>\n\n    code\n");
        assert!(html.contains("<h1>Title</h1>"), "{html}");
        assert!(html.contains("<em>words</em>"), "{html}");
        assert!(html.contains("<pre><code>code"), "{html}");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn links_keep_their_words_but_only_web_addresses() {
        let html = markdown(
            "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(2)) <javascript:alert(3)> \
             [c](java&#9;script:alert(4)) [d](data:text/html,x) ![e](javascript:alert(5)) \
             [f](https://example.com/x) [g](/problems/knn) [h](#samples) [i](vbscript:x)",
        );
        let addresses: Vec<&str> = [" href=\"", " src=\""]
            .iter()
            .flat_map(|attribute| html.split(attribute).skip(1))
            .filter_map(|rest| rest.split('"').next())
            .collect();
        assert!(
            addresses
                .iter()
                .all(|a| a.starts_with("https://") || a.starts_with(['/', '#'])),
            "{html}"
        );
        assert!(!html.contains("<img"), "{html}");
        for kept in [
            "href=\"https://example.com/x\"",
            "href=\"/problems/knn\"",
            "href=\"#samples\"",
        ] {
            assert!(html.contains(kept), "{kept} in {html}");
        }
        for words in ["a", "b", "c", "d", "e", "i"] {
            assert!(html.contains(words), "{words} in {html}");
        }
    }

    #[test]
    fn a_next_page_is_percent_encoded() {
        assert_eq!(encode_query("/problems/a?x=1&y"), "/problems/a%3Fx%3D1%26y");
    }
}
