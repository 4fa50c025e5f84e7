//! How the errors of the layers below answer a client: the one place they meet HTTP, so
//! a handler writes `?` and never chooses a status for them. A failure of the store, of
//! publishing a problem, of reading a problem's files or of a task is the service's own
//! (500, its cause logged under a request id, `ApiError::internal`); a problem that cannot
//! be measured is the request's (400 naming `complexity`); what `access` refuses is 403. Apart from `http` so that
//! `http` needs none of the modules these errors come from.

use axum::http::StatusCode;
use judge_core::problem::spec::SpecError;

use super::access::Refused;
use super::http::ApiError;
use super::intake::Unmeasurable;
use super::packages::PackageError;
use super::problems::RejudgeError;
use super::store::StoreError;

impl From<Refused> for ApiError {
    fn from(e: Refused) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, e.to_string())
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        ApiError::internal(e)
    }
}

impl From<PackageError> for ApiError {
    fn from(e: PackageError) -> ApiError {
        ApiError::internal(e)
    }
}

impl From<SpecError> for ApiError {
    fn from(e: SpecError) -> ApiError {
        ApiError::internal(e)
    }
}

impl From<tokio::task::JoinError> for ApiError {
    fn from(e: tokio::task::JoinError) -> ApiError {
        ApiError::internal(e)
    }
}

impl From<Unmeasurable> for ApiError {
    fn from(e: Unmeasurable) -> ApiError {
        ApiError::field(StatusCode::BAD_REQUEST, "complexity", e.to_string())
    }
}

impl From<RejudgeError> for ApiError {
    fn from(e: RejudgeError) -> ApiError {
        match e {
            RejudgeError::Refused(e) => e.into(),
            RejudgeError::NoProblem(_) => ApiError::new(StatusCode::NOT_FOUND, e.to_string()),
            RejudgeError::Publish(e) => (*e).into(),
            RejudgeError::Store(e) => e.into(),
        }
    }
}
