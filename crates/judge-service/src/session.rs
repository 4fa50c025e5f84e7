//! Signing in to the web pages: a session cookie (HttpOnly, SameSite=Lax, a random id of
//! which the database keeps only the hash), a CSRF token per session that every request
//! changing something must carry (a form field or the `X-CSRF-Token` header), and
//! password sign-ins checked against their argon2id hashes (`secrets`) at a bounded rate.
//!
//! SameSite=Lax already keeps the cookie off cross-site POSTs in today's browsers; the
//! token is the defence that does not depend on the browser. Signing in itself has no
//! session yet, so it is checked by the request's `Origin` (and `Sec-Fetch-Site`) instead.

use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};

use crate::secrets::{hash_password, new_token, password_matches, same, token_hash};
use crate::store::User;
use crate::Service;

/// The session cookie's name.
pub const COOKIE: &str = "judge_session";
/// Its name when the service is reached over HTTPS: browsers take a `__Host-` cookie only
/// when it is Secure, for path /, from the host itself (no sibling subdomain can set it).
pub const SECURE_COOKIE: &str = "__Host-judge_session";

fn secure(service: &Service) -> bool {
    service
        .secure_cookies
        .load(std::sync::atomic::Ordering::Relaxed)
}

fn cookie_name(service: &Service) -> &'static str {
    if secure(service) {
        SECURE_COOKIE
    } else {
        COOKIE
    }
}
/// How long a sign-in lasts.
pub const LIFETIME: std::time::Duration = std::time::Duration::from_hours(12);
/// The header a script sends its CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A signed-in browser: the user and the session's CSRF token.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf: String,
    /// The hash of the cookie's id, which names the session in the database.
    pub id_hash: String,
}

/// The session a request's cookie names, if it is known and not expired.
pub fn from_headers(headers: &HeaderMap, service: &Service) -> Option<Session> {
    let jar = CookieJar::from_headers(headers);
    let id = jar.get(cookie_name(service))?.value().to_string();
    let id_hash = token_hash(&id);
    let (user, csrf) = service.store.session(&id_hash).ok()??;
    Some(Session {
        user,
        csrf,
        id_hash,
    })
}

/// True when a request that a session cookie authenticates may go on: reading, or
/// changing with the session's CSRF token in its header.
pub fn csrf_ok(parts: &Parts, session: &Session) -> bool {
    if matches!(parts.method, Method::GET | Method::HEAD) {
        return true;
    }
    parts
        .headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|sent| same(sent, &session.csrf))
}

/// A request that comes from this site's own pages. A browser's `Sec-Fetch-Site` (which no
/// page can set) decides when it is sent, so a reverse proxy that rewrites `Host` does not
/// matter; without it, the `Origin` (when sent) must name the host the request was sent to.
pub fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "same-origin" || site == "none";
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    headers
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .is_none_or(|origin| {
            origin
                .split_once("://")
                .is_some_and(|(_, rest)| rest == host)
        })
}

/// Why a session could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("{0}")]
    Token(#[from] std::io::Error),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// Opens a session for `user`: the cookie to set.
pub fn open(service: &Service, user: &User) -> Result<Cookie<'static>, SessionError> {
    let (id, id_hash) = new_token()?;
    let (csrf, _) = new_token()?;
    let expires = crate::store::now_ms() + LIFETIME.as_millis() as i64;
    service
        .store
        .create_session(user, &id_hash, &csrf, expires)?;
    Ok(Cookie::build((cookie_name(service), id))
        .secure(secure(service))
        .http_only(true)
        .same_site(SameSite::Lax)
        .path("/")
        .max_age(cookie_age(LIFETIME))
        .build())
}

/// The cookie that removes the session cookie.
pub fn cleared(service: &Service) -> Cookie<'static> {
    Cookie::build((cookie_name(service), ""))
        .secure(secure(service))
        .http_only(true)
        .same_site(SameSite::Lax)
        .path("/")
        .max_age(cookie_age(std::time::Duration::ZERO))
        .build()
}

fn cookie_age(d: std::time::Duration) -> time::Duration {
    time::Duration::seconds(d.as_secs() as i64)
}

/// Limits on signing in with a password, where each attempt costs an argon2 hash (tens of
/// milliseconds and 19 MiB): a few hashes at once (more wait their turn, or are told the
/// service is busy), and a back-off per client address and account (`throttle`), so a
/// password cannot be guessed at speed and a guesser cannot lock the real user out.
pub struct SignInGuard {
    hashing: tokio::sync::Semaphore,
    /// Sign-ins waiting for a permit.
    waiting: std::sync::atomic::AtomicUsize,
    throttle: crate::throttle::Throttle,
}

/// How many sign-ins may wait for a hash before more are turned away.
const WAITING: usize = 64;

impl Default for SignInGuard {
    fn default() -> SignInGuard {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        SignInGuard {
            hashing: tokio::sync::Semaphore::new(cores),
            waiting: std::sync::atomic::AtomicUsize::new(0),
            throttle: crate::throttle::Throttle::default(),
        }
    }
}

/// Why a password sign-in was not tried.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// Too many failures for this name from this address lately: seconds until the next
    /// try.
    TooMany(u64),
    /// Too many sign-ins waiting for a hash.
    Busy,
}

impl SignInGuard {
    /// Checks `password` for `name`, tried from `client`, against `hash` (`None`: no such
    /// user or no password, checked against a stand-in so that the answer takes as long
    /// either way).
    pub async fn check(
        &self,
        client: std::net::IpAddr,
        name: &str,
        password: String,
        hash: Option<String>,
    ) -> Result<bool, Refused> {
        self.throttle
            .start(client, name)
            .map_err(Refused::TooMany)?;
        if self
            .waiting
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst)
            >= WAITING
        {
            self.waiting
                .fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
            return Err(Refused::Busy);
        }
        let permit = self.hashing.acquire().await;
        self.waiting
            .fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
        let _permit = permit.map_err(|_| Refused::Busy)?;
        let matched = tokio::task::spawn_blocking(move || {
            // Without a hash the stand-in is checked, and the answer is no either way.
            let against = hash.as_deref().unwrap_or(&STAND_IN);
            password_matches(&password, against) && hash.is_some()
        })
        .await
        .unwrap_or(false);
        if matched {
            self.throttle.succeeded(client, name);
        } else {
            self.throttle.failed(client, name);
        }
        Ok(matched)
    }
}

/// A hash no password matches in practice, checked when there is no real one to check.
static STAND_IN: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password("a stand-in for a missing hash").unwrap_or_default());

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn a_sign_in_from_another_site_is_not_same_origin() {
        assert!(same_origin(&headers(&[("host", "127.0.0.1:8080")])));
        assert!(same_origin(&headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://127.0.0.1:8080"),
            ("sec-fetch-site", "same-origin"),
        ])));
        assert!(!same_origin(&headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://evil.example"),
        ])));
        assert!(!same_origin(&headers(&[
            ("host", "127.0.0.1:8080"),
            ("sec-fetch-site", "cross-site"),
        ])));
        assert!(!same_origin(&headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "null"),
        ])));
        // Behind a proxy that rewrites Host, the browser's own word decides.
        assert!(same_origin(&headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "https://judge.example.com"),
            ("sec-fetch-site", "same-origin"),
        ])));
    }
}
