//! What every JSON route shares: errors answered as `{"error", "field"?}` with the status
//! that says whose fault it is, and the caller a request's bearer token (or a web page's
//! session cookie with its CSRF token) names. Apart from `api` so that the routes of other
//! modules (interviews) use them without importing the API's handlers.

use std::borrow::Cow;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::openapi::ApiErrorBody;
use super::secrets::token_hash;
use super::store::{StoreError, User};
use super::Service;

/// An error answered to a client.
#[derive(Debug)]
pub struct ApiError {
    pub(super) status: StatusCode,
    pub(super) message: String,
    /// The request's field at fault: a fixed name, or a path read from the body
    /// (`intake::read_body`).
    pub(super) field: Option<Cow<'static, str>>,
    /// Seconds to wait before asking again (429).
    pub(super) retry_after: Option<u64>,
    /// A failure of the service's own (500): the id its details are logged under.
    pub(super) request_id: Option<String>,
}

impl ApiError {
    pub(super) fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            field: None,
            retry_after: None,
            request_id: None,
        }
    }

    pub(super) fn too_many(message: impl Into<String>, retry_after: u64) -> ApiError {
        ApiError {
            retry_after: Some(retry_after.max(1)),
            ..ApiError::new(StatusCode::TOO_MANY_REQUESTS, message)
        }
    }

    pub(super) fn field(
        status: StatusCode,
        field: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> ApiError {
        ApiError {
            field: Some(field.into()),
            ..ApiError::new(status, message)
        }
    }

    /// A failure of the service itself: `e` goes to the log under a request id, and the
    /// client is told the id and nothing of `e` (it may name paths, tables or SQL).
    pub(super) fn internal(e: impl std::fmt::Display) -> ApiError {
        let failure = super::headers::internal(e);
        ApiError {
            request_id: Some(failure.id.clone()),
            ..ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, failure.message())
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ApiErrorBody {
            error: self.message,
            field: self.field.map(Cow::into_owned),
            request_id: self.request_id,
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

/// The user a request's bearer token names, or its signed-in session's (the web pages'
/// scripts call this API with the session cookie; a request that changes something must
/// then carry the session's CSRF token in `X-CSRF-Token`).
pub struct Caller(pub User);

impl FromRequestParts<Arc<Service>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        service: &Arc<Service>,
    ) -> Result<Caller, ApiError> {
        let user = if parts
            .headers
            .contains_key(axum::http::header::AUTHORIZATION)
        {
            bearer_user(parts, service)?
        } else if let Some(session) = super::session::from_headers(&parts.headers, service) {
            if !super::session::csrf_ok(parts, &session) {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "this request needs the page's CSRF token in X-CSRF-Token; reload the page",
                ));
            }
            session.user
        } else {
            return Err(unauthorized());
        };
        service.rates.take(&user, service.limits.per_minute)?;
        Ok(Caller(user))
    }
}

fn unauthorized() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "a bearer token is required: Authorization: Bearer <token> (from `judge user add`), or sign in",
    )
}

fn bearer_user(parts: &Parts, service: &Service) -> Result<User, ApiError> {
    let token = bearer_token(&parts.headers).ok_or_else(unauthorized)?;
    token_user(service, token)?.ok_or_else(unauthorized)
}

/// The token of a request's `Authorization: Bearer <token>`, trimmed; None without one (the
/// API, the pages and the interviewer's routes read it here alone).
pub(crate) fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// The user a bearer token names, if any (the database keeps its SHA-256).
pub(crate) fn token_user(service: &Service, token: &str) -> Result<Option<User>, StoreError> {
    service.store.user_by_token(&token_hash(token))
}
