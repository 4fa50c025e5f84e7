//! Wake-ups for the readers of submissions' events in this process (server-sent events,
//! `?wait=true`). The events themselves are in the store (`store::events`), whichever host
//! judged them; the hub only says "submission N has something new": the store wakes it
//! after writing events here, and on PostgreSQL the service's listening connection wakes it
//! for every `NOTIFY judge_events` (and wakes everyone after reconnecting, since a
//! notification may have been missed meanwhile). A reader subscribes before reading, so a
//! write between its read and its wait still wakes it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::watch;

#[derive(Default)]
pub struct Hub {
    live: Mutex<HashMap<i64, watch::Sender<u64>>>,
    /// Bumped to wake every reader at once.
    all: Mutex<Option<watch::Sender<u64>>>,
}

/// A reader's subscription to one submission's wake-ups; unsubscribes when dropped.
pub struct Subscription {
    hub: Arc<Hub>,
    id: i64,
    one: Option<watch::Receiver<u64>>,
    all: watch::Receiver<u64>,
}

impl Hub {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, watch::Sender<u64>>> {
        self.live.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn all(&self) -> watch::Receiver<u64> {
        let mut all = self.all.lock().unwrap_or_else(PoisonError::into_inner);
        all.get_or_insert_with(|| watch::channel(0).0).subscribe()
    }

    /// Subscribes to submission `id`'s wake-ups.
    pub fn subscribe(self: &Arc<Self>, id: i64) -> Subscription {
        let one = self
            .lock()
            .entry(id)
            .or_insert_with(|| watch::channel(0).0)
            .subscribe();
        Subscription {
            hub: self.clone(),
            id,
            one: Some(one),
            all: self.all(),
        }
    }

    /// Submission `id` has new events (or a new state).
    pub fn wake(&self, id: i64) {
        if let Some(sender) = self.lock().get(&id) {
            sender.send_modify(|n| *n += 1);
        }
    }

    /// Every reader looks again (a notification may have been missed).
    pub fn wake_all(&self) {
        let all = self.all.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(sender) = all.as_ref() {
            sender.send_modify(|n| *n += 1);
        }
    }

    /// Submissions with a reader now.
    pub fn watched(&self) -> usize {
        self.lock().len()
    }
}

impl Subscription {
    /// Waits for the next wake-up of this submission (or of everyone).
    pub async fn changed(&mut self) {
        let Some(one) = self.one.as_mut() else {
            return std::future::pending().await;
        };
        tokio::select! {
            _ = one.changed() => {}
            _ = self.all.changed() => {}
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        drop(self.one.take());
        let mut live = self.hub.lock();
        if live
            .get(&self.id)
            .is_some_and(|sender| sender.receiver_count() == 0)
        {
            live.remove(&self.id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_wake_reaches_the_readers_of_that_submission_only() {
        let hub = Arc::new(Hub::default());
        let mut one = hub.subscribe(1);
        let mut two = hub.subscribe(2);
        hub.wake(1);
        tokio::time::timeout(std::time::Duration::from_secs(5), one.changed())
            .await
            .expect("woken");
        let quiet = tokio::time::timeout(std::time::Duration::from_millis(50), two.changed()).await;
        assert!(quiet.is_err(), "2 was not woken");
        hub.wake_all();
        tokio::time::timeout(std::time::Duration::from_secs(5), two.changed())
            .await
            .expect("woken by wake_all");
    }

    #[test]
    fn a_submission_nobody_reads_is_forgotten() {
        let hub = Arc::new(Hub::default());
        let a = hub.subscribe(7);
        let b = hub.subscribe(7);
        assert_eq!(hub.watched(), 1);
        drop(a);
        assert_eq!(hub.watched(), 1, "b still reads");
        drop(b);
        assert_eq!(hub.watched(), 0);
        hub.wake(7);
    }
}
