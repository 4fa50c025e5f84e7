//! What every answer of `judge serve` carries and how a failure reaches a client: one layer
//! over every route (the API, the pages, the interview pages and the assets), so a page added
//! later gets the same headers without asking, and a handler that panics still answers.
//!
//! The headers: a Content-Security-Policy without inline script (page data travels in `data-`
//! attributes) that also forbids framing, `nosniff`, no Referer (interview links carry their
//! secret in the query), and `no-store` unless the route says otherwise (the assets, whose
//! URLs carry their digest). A failure of the service itself (a 500) tells the client a
//! request id and nothing else; its details go to the log under that id (`internal`).

use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt;

/// The policy every answer gets. CodeMirror sets styles at run time, hence 'unsafe-inline'
/// for styles only; scripts come from this site's files alone.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// Adds the security headers to an answer.
pub async fn security(mut response: Response) -> Response {
    set_security(response.headers_mut());
    response
}

fn set_security(headers: &mut HeaderMap) {
    let set = |headers: &mut HeaderMap, name: &'static str, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(headers, "content-security-policy", CONTENT_SECURITY_POLICY);
    // For browsers older than frame-ancestors.
    set(headers, "x-frame-options", "DENY");
    set(headers, "x-content-type-options", "nosniff");
    set(headers, "referrer-policy", "no-referrer");
    set(headers, "cross-origin-opener-policy", "same-origin");
    // A page or an answer holds one user's work, or a secret in its URL: not kept by the
    // browser or a proxy. Routes that may be kept say so themselves.
    if !headers.contains_key(header::CACHE_CONTROL) {
        set(headers, "cache-control", "no-store");
    }
}

/// Runs the rest of the stack, turning a panic of a handler into a 500 with a request id
/// (without this, the client's connection would just close).
pub async fn catch_panic(request: Request, next: Next) -> Response {
    match std::panic::AssertUnwindSafe(next.run(request))
        .catch_unwind()
        .await
    {
        Ok(response) => response,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic".into());
            let failure = internal(format_args!("a handler panicked: {what}"));
            let body = super::openapi::ApiErrorBody {
                error: failure.message(),
                field: None,
                request_id: Some(failure.id),
            };
            (StatusCode::INTERNAL_SERVER_ERROR, axum::Json(body)).into_response()
        }
    }
}

/// A failure of the service itself, logged: the id the client is told.
pub struct Internal {
    pub id: String,
}

impl Internal {
    /// What the client reads: that it failed, and the id to quote, never the cause.
    pub fn message(&self) -> String {
        format!(
            "the service failed on this request; its log has the details under request id {}",
            self.id
        )
    }
}

/// Logs `detail` (paths, SQL, a library's words: never for a client) under a new request
/// id, and returns the id.
pub fn internal(detail: impl std::fmt::Display) -> Internal {
    let id = request_id();
    eprintln!("judge serve: request {id} failed: {detail}");
    Internal { id }
}

/// 16 random hex digits: enough to find one line in a log, and nothing a client could guess
/// to read another's.
fn request_id() -> String {
    super::secrets::new_token().map_or_else(
        |_| format!("t{:x}", super::store::now_ms()),
        |(token, _)| token[..16].to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_answer_gets_the_headers_and_keeps_its_own_cache_control() {
        let mut headers = HeaderMap::new();
        set_security(&mut headers);
        assert_eq!(headers["cache-control"], "no-store");
        assert_eq!(headers["referrer-policy"], "no-referrer");
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(csp.contains("script-src 'self';"), "{csp}");
        let mut asset = HeaderMap::new();
        asset.insert("cache-control", HeaderValue::from_static("public"));
        set_security(&mut asset);
        assert_eq!(asset["cache-control"], "public");
    }

    #[test]
    fn a_request_id_is_sixteen_hex_digits() {
        let failure = internal("no such table: drafts");
        assert_eq!(failure.id.len(), 16);
        assert!(failure.id.bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(!failure.message().contains("drafts"));
    }
}
