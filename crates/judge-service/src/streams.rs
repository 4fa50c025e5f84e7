//! How many event streams (`/submissions/{id}/events`) one account holds open at once. A
//! stream is a connection and a task kept for as long as the client likes, so without a
//! cap one token could hold hundreds; over it, a new stream is refused with 429 until one
//! closes. A browser tab follows one judging at a time, so the cap is far above any real use.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use super::http::ApiError;
use super::Service;

/// The most streams one account holds open.
pub const MAX_PER_ACCOUNT: usize = 16;

/// The open streams per user id.
#[derive(Default)]
pub struct Streams {
    open: Mutex<HashMap<i64, usize>>,
}

/// One open stream: its place is given back when this is dropped (the stream ended, or the
/// client went away and the server dropped the response).
pub struct Held {
    service: Arc<Service>,
    user: i64,
}

impl Streams {
    /// A place for one more stream of `user`, or 429 saying why.
    pub fn open(service: &Arc<Service>, user: i64) -> Result<Held, ApiError> {
        let mut open = service
            .streams
            .open
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let count = open.entry(user).or_insert(0);
        if *count >= MAX_PER_ACCOUNT {
            return Err(ApiError::too_many(
                format!(
                    "this account has {MAX_PER_ACCOUNT} event streams open, the most it may; close one (or wait for its judging to end) first"
                ),
                5,
            ));
        }
        *count += 1;
        Ok(Held {
            service: service.clone(),
            user,
        })
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        let mut open = self
            .service
            .streams
            .open
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = open.get_mut(&self.user) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.user);
            }
        }
    }
}
