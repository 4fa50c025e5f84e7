//! The live events of submissions being judged, for server-sent events: each submission's
//! events so far (so a client that connects late misses none) and a channel for the rest.
//! Kept in memory only: after a restart a submission's past events are gone, and a client
//! is told its state from the database instead.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use tokio::sync::broadcast;

/// One event as sent: its name and its JSON.
#[derive(Debug, Clone)]
pub struct Told {
    pub name: String,
    pub data: String,
}

#[derive(Default)]
pub struct Hub {
    live: Mutex<HashMap<i64, Live>>,
}

struct Live {
    told: Vec<Told>,
    sender: broadcast::Sender<Told>,
}

impl Live {
    fn new() -> Live {
        Live {
            told: Vec::new(),
            sender: broadcast::channel(1024).0,
        }
    }
}

impl Hub {
    /// The events told so far and a receiver of the rest, together (nothing falls between).
    pub fn subscribe(&self, id: i64) -> (Vec<Told>, broadcast::Receiver<Told>) {
        let mut live = self.live.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = live.entry(id).or_insert_with(Live::new);
        (entry.told.clone(), entry.sender.subscribe())
    }

    pub fn tell(&self, id: i64, told: Told) {
        let mut live = self.live.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = live.entry(id).or_insert_with(Live::new);
        entry.told.push(told.clone());
        // No receiver is fine: nobody is watching.
        let _ = entry.sender.send(told);
    }

    /// Tells the last event and forgets the submission: later clients read the database.
    pub fn close(&self, id: i64, last: Told) {
        let mut live = self.live.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(entry) = live.remove(&id) {
            let _ = entry.sender.send(last);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn told(name: &str) -> Told {
        Told {
            name: name.into(),
            data: "{}".into(),
        }
    }

    #[test]
    fn a_late_subscriber_gets_what_was_told_then_the_rest() {
        let hub = Hub::default();
        hub.tell(1, told("queued"));
        hub.tell(1, told("compiling"));
        let (past, mut rest) = hub.subscribe(1);
        assert_eq!(past.len(), 2);
        hub.close(1, told("done"));
        assert_eq!(rest.try_recv().unwrap().name, "done");
        // Forgotten once closed.
        assert!(hub.subscribe(1).0.is_empty());
    }
}
