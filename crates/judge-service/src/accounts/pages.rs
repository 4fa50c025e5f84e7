//! Signing in and out: the form at `/` (or the problems, for a browser already signed in),
//! its answer, and signing out. A failure shows the form again with the name as it
//! was typed and says what failed (a field left empty, a name and password that do not
//! match, a token that is not known, too many tries), never whether an account of that
//! name exists: a wrong password and an unknown name read the same, and take as long.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use axum_extra::extract::cookie::CookieJar;
use maud::{html, Markup};

use crate::secrets::token_hash;
use crate::session;
use crate::store::User;
use crate::web::{api_error_page, error_page, form_ok, page, CsrfForm, Viewer};
use crate::Service;

#[derive(serde::Deserialize, Default)]
pub(super) struct HomeQuery {
    next: Option<String>,
}

/// The sign-in form, or the problems for a browser already signed in.
pub(super) async fn home(
    State(service): State<Arc<Service>>,
    headers: HeaderMap,
    Query(query): Query<HomeQuery>,
) -> Response {
    if session::from_headers(&headers, &service).is_some() {
        return Redirect::to("/problems").into_response();
    }
    let form = Shown {
        next: query.next.as_deref(),
        name: "",
        error: None,
    };
    sign_in_page(StatusCode::OK, &form)
}

/// What the form shows: where to go next, the name typed, and why the last try failed.
struct Shown<'a> {
    next: Option<&'a str>,
    name: &'a str,
    error: Option<&'a str>,
}

fn sign_in_page(status: StatusCode, form: &Shown) -> Response {
    (status, page("Sign in", None, &sign_in_form(form))).into_response()
}

fn sign_in_form(form: &Shown) -> Markup {
    let failed = form.error.is_some();
    // After a failure the cursor waits in the field to type again: the password when the
    // name is kept, else the name.
    let focus_password = failed && !form.name.is_empty();
    let described = failed.then_some("signin-error");
    html! {
        section.signin {
            h1 { "Sign in" }
            p { "Sign in to practise on the problems and submit your solutions." }
            @if let Some(e) = form.error { p.message.bad #signin-error role="alert" { (e) } }
            form method="post" action="/signin" {
                input type="hidden" name="next" value=(form.next.unwrap_or("/problems"));
                label { "Name"
                    input type="text" name="name" value=(form.name) autocomplete="username"
                        autocapitalize="none" spellcheck="false" aria-describedby=[described]
                        autofocus[!focus_password];
                }
                label { "Password"
                    input type="password" name="password" autocomplete="current-password"
                        aria-describedby=[described] autofocus[focus_password];
                }
                p.or { "or" }
                label { span { "Access token " span.muted { "(if you were given one instead of a password)" } }
                    input type="password" name="token" autocomplete="off";
                }
                button.primary type="submit" { "Sign in" }
            }
        }
    }
}

#[derive(serde::Deserialize)]
pub(super) struct SignIn {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    token: String,
    next: Option<String>,
}

/// A name and password that do not match: the same words whether or not the name exists.
const NO_MATCH: &str =
    "That name and password do not match. Check both and try again, or sign in with your access token.";

pub(super) async fn sign_in(
    State(service): State<Arc<Service>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    jar: CookieJar,
    Form(form): Form<SignIn>,
) -> Response {
    if !session::same_origin(&headers) {
        return error_page(
            StatusCode::FORBIDDEN,
            "A sign-in must come from this site's own form.",
        );
    }
    let user = if form.token.trim().is_empty() {
        by_password(&service, peer, &headers, &form).await
    } else {
        match service.store.user_by_token(&token_hash(form.token.trim())) {
            Ok(Some(user)) => Ok(user),
            _ => Err(refused(
                &form,
                StatusCode::UNAUTHORIZED,
                "That access token is not known.",
            )),
        }
    };
    let user = match user {
        Ok(user) => user,
        Err(page) => return page,
    };
    // A browser signing in again leaves its old session behind: end it.
    if let Some(old) = session::from_headers(&headers, &service) {
        let _ = service.store.end_session(&old.id_hash);
    }
    let cookie = match session::open(&service, &user) {
        Ok(c) => c,
        Err(e) => return api_error_page(&e.into()),
    };
    (
        jar.add(cookie),
        Redirect::to(safe_next(form.next.as_deref())),
    )
        .into_response()
}

/// The form again, with the name as typed and `why`.
fn refused(form: &SignIn, status: StatusCode, why: &str) -> Response {
    let shown = Shown {
        next: form.next.as_deref(),
        name: form.name.trim(),
        error: Some(why),
    };
    sign_in_page(status, &shown)
}

/// The user whose name and password these are, or the form saying why not.
async fn by_password(
    service: &Service,
    peer: SocketAddr,
    headers: &HeaderMap,
    form: &SignIn,
) -> Result<User, Response> {
    let name = form.name.trim();
    let missing = match (name.is_empty(), form.password.is_empty()) {
        (true, true) => Some("Enter your name and password, or your access token."),
        (true, false) => Some("Enter your name as well as your password."),
        (false, true) => Some("Enter your password."),
        (false, false) => None,
    };
    if let Some(why) = missing {
        return Err(refused(form, StatusCode::BAD_REQUEST, why));
    }
    let (user, hash) = match service.store.user_by_name(name).ok().flatten() {
        Some((user, hash)) => (Some(user), hash),
        None => (None, None),
    };
    let client = service.reach.client(peer, headers);
    let checked = service
        .sign_ins
        .check(client, name, form.password.clone(), hash)
        .await;
    match checked {
        Ok(true) => user.ok_or_else(|| refused(form, StatusCode::UNAUTHORIZED, NO_MATCH)),
        Ok(false) => Err(refused(form, StatusCode::UNAUTHORIZED, NO_MATCH)),
        Err(session::Refused::TooMany(wait)) => {
            let why = format!(
                "Too many wrong passwords for this name from your address: try again in {wait} s."
            );
            let mut page = refused(form, StatusCode::TOO_MANY_REQUESTS, &why);
            page.headers_mut()
                .insert(axum::http::header::RETRY_AFTER, wait.into());
            Err(page)
        }
        Err(session::Refused::Busy) => Err(refused(
            form,
            StatusCode::SERVICE_UNAVAILABLE,
            "The service is busy signing others in: try again in a moment.",
        )),
    }
}

/// Ends the browser's session and clears its cookie.
pub(super) async fn sign_out(
    State(service): State<Arc<Service>>,
    viewer: Viewer,
    jar: CookieJar,
    Form(form): Form<CsrfForm>,
) -> Response {
    if let Err(page) = form_ok(&viewer, &form) {
        return *page;
    }
    if let Some(id_hash) = &viewer.session {
        let _ = service.store.end_session(id_hash);
    }
    (jar.add(session::cleared(&service)), Redirect::to("/")).into_response()
}

/// Where to go after signing in: a path of this site only, never another site's URL. Only
/// visible ASCII is let through: browsers drop tabs and line breaks from a URL, so
/// `/<tab>/evil.example` would become `//evil.example`.
fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && n.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            n
        }
        _ => "/problems",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_path_of_this_site_is_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/problems/t-value")), "/problems/t-value");
        assert_eq!(safe_next(Some("//evil.example/x")), "/problems");
        assert_eq!(safe_next(Some("https://evil.example")), "/problems");
        assert_eq!(safe_next(Some("/\\evil.example")), "/problems");
        assert_eq!(safe_next(None), "/problems");
        assert_eq!(safe_next(Some("/\t/evil.example")), "/problems");
        assert_eq!(safe_next(Some("/\r\nSet-Cookie: x=1")), "/problems");
        assert_eq!(safe_next(Some("/ /evil.example")), "/problems");
    }

    #[test]
    fn a_failed_sign_in_keeps_the_name_and_waits_in_the_password() {
        let shown = Shown {
            next: None,
            name: "ada \"<b>",
            error: Some(NO_MATCH),
        };
        let html = sign_in_form(&shown).into_string();
        assert!(html.contains("value=\"ada &quot;&lt;b&gt;\""), "{html}");
        assert!(
            html.contains(
                "autocomplete=\"current-password\" aria-describedby=\"signin-error\" autofocus"
            ),
            "{html}"
        );
        assert!(
            html.contains("id=\"signin-error\" role=\"alert\""),
            "{html}"
        );
    }
}
