//! `Cancel`, the flag that stops a run from outside (a judging given up, a server shutting
//! down).

use std::io;

/// A flag that stops runs: once it is set, a run watching it is killed within one watch
/// period (`CPU_CHECK`) and returns an error of kind `Interrupted`, and no new run with it
/// starts. Cheap to clone; every clone sets and sees the same flag.
#[derive(Debug, Clone, Default)]
pub struct Cancel(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl Cancel {
    pub fn cancel(&self) {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// The error of a run that was cancelled (kind `Interrupted`).
pub fn cancelled() -> io::Error {
    io::Error::new(io::ErrorKind::Interrupted, "the run was cancelled")
}
