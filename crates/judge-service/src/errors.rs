//! How the errors of the layers below answer a client: the one place they meet HTTP, so
//! a handler writes `?` and never chooses a status for them. A failure of the store, of
//! publishing a problem, of finding or reading a problem's files, of the engine, of the
//! machine (an `io::Error`) or of a task is the service's own (500, its cause logged under
//! a request id, `ApiError::internal`); a problem that cannot be measured is the request's
//! (400 naming `complexity`), and so is an interview whose problems cannot be chosen as
//! asked; what `access` refuses is 403. Apart from `http` so that `http` needs none of the
//! modules these errors come from.

use axum::http::StatusCode;
use judge_core::interview::InterviewError;
use judge_core::judge::JudgeError;
use judge_core::problem::bank::BankError;
use judge_core::problem::spec::SpecError;

use super::access::Refused;
use super::http::ApiError;
use super::intake::Unmeasurable;
use super::packages::PackageError;
use super::problems::RejudgeError;
use super::session::SessionError;
use super::store::StoreError;

/// The service's own failures: each is a 500 whose cause is logged under a request id.
macro_rules! internal {
    ($($error:ty),* $(,)?) => {
        $(impl From<$error> for ApiError {
            fn from(e: $error) -> ApiError {
                ApiError::internal(e)
            }
        })*
    };
}

internal!(
    StoreError,
    PackageError,
    SessionError,
    SpecError,
    tokio::task::JoinError,
    JudgeError,
    BankError,
    std::io::Error,
);

impl From<Refused> for ApiError {
    fn from(e: Refused) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, e.to_string())
    }
}

impl From<Unmeasurable> for ApiError {
    fn from(e: Unmeasurable) -> ApiError {
        ApiError::field(StatusCode::BAD_REQUEST, "complexity", e.to_string())
    }
}

/// Choosing an interview's problems: what was asked cannot be chosen (a length out of
/// range, too few problems matching, one picked twice, one the bank lacks) is the
/// request's; a bank or problem that does not load is the service's.
impl From<InterviewError> for ApiError {
    fn from(e: InterviewError) -> ApiError {
        match e {
            InterviewError::BadLength(_)
            | InterviewError::NotEnoughProblems { .. }
            | InterviewError::PickedTwice(_)
            | InterviewError::Bank(BankError::UnknownProblem { .. }) => {
                ApiError::new(StatusCode::BAD_REQUEST, e.to_string())
            }
            _ => ApiError::internal(e),
        }
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
