//! A rejudge, for the API and the history page's form alike: every judged submission of a
//! problem queued again, on the problem's current version.

use crate::access::{self, Action, Refused};
use crate::packages::PackageError;
use crate::store::StoreError;
use crate::Service;

/// Why a rejudge was not queued.
#[derive(Debug, thiserror::Error)]
pub(crate) enum RejudgeError {
    /// Not an author or an admin (403).
    #[error(transparent)]
    Refused(#[from] Refused),
    /// The bank has no such problem (404).
    #[error("no problem {0}")]
    NoProblem(String),
    /// The problem's current version could not be published for the workers (boxed: it
    /// is large, and this is the rare path).
    #[error(transparent)]
    Publish(Box<PackageError>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Queues every judged submission of `problem` again, as `user` asks; how many.
pub(crate) fn rejudge(
    service: &Service,
    user: &crate::store::User,
    problem: &str,
) -> Result<usize, RejudgeError> {
    access::may(user, Action::Rejudge)?;
    // An id of the bank, never a path.
    if !service.bank.ids().iter().any(|id| id == problem) {
        return Err(RejudgeError::NoProblem(problem.to_string()));
    }
    let version = crate::packages::publish(service, problem)
        .map_err(|e| RejudgeError::Publish(Box::new(e)))?;
    let queued = service.store.requeue_problem(problem, Some(&version))?;
    service.work.notify_waiters();
    Ok(queued)
}
