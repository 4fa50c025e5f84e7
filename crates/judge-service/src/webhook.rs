//! Webhooks: a submission with a `callback_url` gets its final state POSTed there once it
//! is judged, signed, and delivered again with growing pauses until the receiver answers
//! 2xx. What is owed is in the database (`deliveries`, written in the transaction that
//! stores the result), so a restart resumes deliveries instead of losing them.
//!
//! Deliveries run side by side, each bounded (a few seconds to connect, to send and to
//! read the answer), at most `PER_USER` of one owner and `PER_RECEIVER` to one host at a
//! time: a receiver that never answers holds its own slots only, never another user's
//! webhook. Where a webhook may go is `webhook_target`'s to say (public addresses, resolved
//! once, the connection made to a checked address, no redirects followed). The body is the
//! submission as its owner may see it (`views`), with its page's address when the service
//! has a public URL.
//!
//! The signature (for receivers): headers `X-Judge-Timestamp` (Unix seconds when this
//! attempt was sent), `X-Judge-Delivery` (the id of this webhook, the same on every retry
//! of it) and `X-Judge-Signature: sha256=<hex>`, the HMAC-SHA256 of
//! `<timestamp>.<delivery>.<body>` under the key in `<data dir>/webhook-secret` (made at the
//! first start, readable by its owner only). A receiver recomputes it over the raw body,
//! compares in constant time, refuses a timestamp more than `TOLERANCE` away from its clock,
//! and remembers the delivery ids it took for that long: a captured delivery then cannot be
//! replayed, later (stale) or now (a delivery id already seen). `verify` does all but the
//! last.

use std::collections::HashMap;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use tokio::sync::Notify;
use url::Url;

use super::openapi::SubmissionBody;
use super::store::{now_ms, Due, Status, StoreError, Submission};
use super::views::View;
use super::webhook_target::{self, Net, TargetError};
use super::Service;

/// Deliveries of one webhook before it is given up (kept, with its last error).
const MAX_ATTEMPTS: i64 = 8;
/// The pause after the first failure; each further one doubles it, up to `MAX_PAUSE`.
const FIRST_PAUSE_MS: i64 = 1000;
const MAX_PAUSE_MS: i64 = 300_000;
/// How long a receiver may take to accept the connection, to take the request and to
/// answer, and the whole call at most.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
const IO_TIMEOUT: Duration = Duration::from_secs(5);
const CALL_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a taken delivery is the taker's: longer than any call, so that only a process
/// that died mid-call leaves one to be taken again.
const LEASE_MS: i64 = 60_000;
/// Deliveries in flight at once: in all, of one owner, to one receiver (host and port).
const IN_FLIGHT: usize = 64;
const PER_USER: usize = 4;
const PER_RECEIVER: usize = 4;
/// How often the deliverer looks for due deliveries besides being woken.
const IDLE_CHECK: Duration = Duration::from_millis(500);
/// How far a receiver's clock may be from the timestamp of a delivery it takes.
pub const TOLERANCE: Duration = Duration::from_mins(5);

/// The key webhooks are signed with: read from the data dir, made there at first.
pub fn secret(data: &Path) -> std::io::Result<Vec<u8>> {
    let path = data.join("webhook-secret");
    match std::fs::read(&path) {
        Ok(key) if !key.is_empty() => return Ok(key),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let (key, _) = super::secrets::new_token()?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&path)?;
    file.write_all(key.as_bytes())?;
    file.sync_all()?;
    Ok(key.into_bytes())
}

/// `sha256=<hex>`: the HMAC-SHA256 under `key` of `<timestamp>.<delivery>.<body>`.
pub fn signature(key: &[u8], timestamp: u64, delivery: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(format!("{timestamp}.{delivery}.").as_bytes());
    mac.update(body);
    format!(
        "sha256={}",
        judge_core::cache::hex(&mac.finalize().into_bytes())
    )
}

/// Why a receiver should not believe a delivery.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("X-Judge-Timestamp is not a number of seconds: {0:?}")]
    Timestamp(String),
    #[error("the delivery was signed {0} s away from this clock, more than the tolerance")]
    Stale(u64),
    #[error("X-Judge-Signature does not match the timestamp, delivery id and body")]
    Mismatch,
}

/// What a receiver checks of a delivery (its three headers and raw body) at Unix time
/// `now`; it still has to refuse a delivery id it has taken already.
pub fn verify(
    key: &[u8],
    timestamp: &str,
    delivery: &str,
    body: &[u8],
    signed: &str,
    now: u64,
) -> Result<(), SignatureError> {
    let at: u64 = timestamp
        .trim()
        .parse()
        .map_err(|_| SignatureError::Timestamp(timestamp.to_string()))?;
    let away = now.abs_diff(at);
    if away > TOLERANCE.as_secs() {
        return Err(SignatureError::Stale(away));
    }
    let expected = signature(key, at, delivery, body);
    if super::secrets::same(&expected, signed.trim()) {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// The pause before attempt `attempts + 1`.
fn pause_ms(attempts: i64) -> i64 {
    FIRST_PAUSE_MS
        .saturating_mul(1 << attempts.clamp(0, 20))
        .min(MAX_PAUSE_MS)
}

/// Delivers what is owed until the service stops, then lets the calls under way end (each
/// is bounded by `CALL_TIMEOUT`).
pub async fn run(service: Arc<Service>) {
    let busy = Arc::new(Busy::default());
    let settled = Arc::new(Notify::new());
    let mut calls = tokio::task::JoinSet::new();
    while !service.stopping() {
        start_due(&service, &busy, &settled, &mut calls);
        while calls.try_join_next().is_some() {}
        tokio::select! {
            () = service.deliver.notified() => {}
            () = settled.notified() => {}
            () = service.stop.notified() => {}
            () = tokio::time::sleep(IDLE_CHECK) => {}
        }
    }
    while calls.join_next().await.is_some() {}
}

/// Starts a call for each due delivery whose owner and receiver have a slot free.
fn start_due(
    service: &Arc<Service>,
    busy: &Arc<Busy>,
    settled: &Arc<Notify>,
    calls: &mut tokio::task::JoinSet<()>,
) {
    if busy.total() >= IN_FLIGHT {
        return;
    }
    let due = match service
        .store
        .due_deliveries(PER_USER as i64, (IN_FLIGHT * PER_USER) as i64)
    {
        Ok(due) => due,
        Err(e) => {
            tracing::warn!(error = %e, "webhooks: cannot read what is owed");
            return;
        }
    };
    for due in due {
        let Some(slot) = Busy::take(busy, due.user_id, receiver_of(&due.url)) else {
            continue;
        };
        let lease = now_ms() + LEASE_MS;
        match service.store.lease_delivery(&due, lease) {
            Ok(true) => {}
            Ok(false) => continue,
            Err(e) => {
                tracing::warn!(error = %e, "webhooks: cannot lease a delivery");
                continue;
            }
        }
        let (service, settled) = (service.clone(), settled.clone());
        calls.spawn(async move {
            deliver(&service, &due, lease).await;
            drop(slot);
            settled.notify_one();
        });
    }
}

/// One attempt at a delivery, and its outcome recorded under its lease.
async fn deliver(service: &Arc<Service>, due: &Due, lease: i64) {
    let attempt = due.attempts + 1;
    let recorded = match call(service, due, attempt).await {
        Ok(()) => service.store.delivered(due.submission, lease),
        Err(why) => {
            let next = (attempt < MAX_ATTEMPTS).then(|| now_ms() + pause_ms(attempt - 1));
            service
                .store
                .delivery_failed(due.submission, lease, &why.to_string(), next)
        }
    };
    if let Err(e) = recorded {
        tracing::warn!(error = %e, "webhooks: cannot record a delivery");
    }
}

/// Why a delivery failed (kept with the delivery, and tried again later).
#[derive(Debug, thiserror::Error)]
enum DeliveryError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Target(#[from] TargetError),
    #[error("{0}")]
    Task(#[from] tokio::task::JoinError),
    #[error("{0}")]
    Call(Box<ureq::Error>),
    #[error("answered from {0}, not an address checked for it")]
    Elsewhere(std::net::SocketAddr),
    #[error("answered {0}: redirects are not followed, give the final URL")]
    Redirect(u16),
    #[error("answered {0}")]
    Refused(u16),
}

async fn call(service: &Arc<Service>, due: &Due, attempt: i64) -> Result<(), DeliveryError> {
    let Some(submission) = service.store.submission(due.submission)? else {
        return Ok(());
    };
    let allowed = service.reach.webhook_allow.clone();
    // Checked again: the operator may have allowed less since it was accepted.
    let url = webhook_target::check_url(&due.url, &allowed)?;
    let (delivery, body) = body(service, submission);
    let key = service.webhook_key.clone();
    tokio::task::spawn_blocking(move || {
        let sent = Sent {
            delivery: &delivery,
            attempt,
            body: &body,
        };
        send(&url, &allowed, &key, &sent)
    })
    .await?
}

/// The delivery's id and body: the submission as its owner may see it, and its page's
/// address when the service knows its public URL.
fn body(service: &Service, s: Submission) -> (String, String) {
    let (id, finished) = (s.id, s.finished_ms.unwrap_or(0));
    let told = View::of_owner(service, &s).show(s).map_or(
        Told::Done {
            id,
            status: Status::Done,
        },
        |shown| Told::Shown(Box::new(shown.into_body(false))),
    );
    let body = Body {
        told,
        url: service.reach.link(&format!("/submissions/{id}")),
    };
    // Nothing in a body is a map with other than string keys: it always serializes.
    let body = serde_json::to_string(&body).unwrap_or_default();
    (format!("{id}.{finished}"), body)
}

/// A webhook's body: the submission, with its page's address when the service knows its
/// public URL.
#[derive(serde::Serialize)]
struct Body {
    #[serde(flatten)]
    told: Told,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

/// The submission as its owner may see it, or (when the owner may see none of it) only
/// that it is done.
#[derive(serde::Serialize)]
#[serde(untagged)]
enum Told {
    Shown(Box<SubmissionBody>),
    Done { id: i64, status: Status },
}

/// What one call sends.
struct Sent<'a> {
    delivery: &'a str,
    attempt: i64,
    body: &'a str,
}

/// One POST to a checked address of `url`; Ok on a 2xx answer.
fn send(url: &Url, allowed: &[Net], key: &[u8], sent: &Sent<'_>) -> Result<(), DeliveryError> {
    let addrs = webhook_target::resolve(url, allowed)?;
    let timestamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let signed = signature(key, timestamp, sent.delivery, sent.body.as_bytes());
    // The client connects to these addresses and no others: it never resolves the name
    // again (a second answer could be another address).
    let checked = addrs.clone();
    let agent = ureq::AgentBuilder::new()
        .resolver(move |_: &str| Ok(checked.clone()))
        .redirects(0)
        .timeout_connect(CONNECT_TIMEOUT)
        .timeout_read(IO_TIMEOUT)
        .timeout_write(IO_TIMEOUT)
        .timeout(CALL_TIMEOUT)
        .max_idle_connections(0)
        .user_agent("judge-webhook")
        .build();
    let answered = agent
        .post(url.as_str())
        .set("Content-Type", "application/json")
        .set("X-Judge-Timestamp", &timestamp.to_string())
        .set("X-Judge-Delivery", sent.delivery)
        .set("X-Judge-Attempt", &sent.attempt.to_string())
        .set("X-Judge-Signature", &signed)
        .send_string(sent.body);
    let response = match answered {
        Ok(r) | Err(ureq::Error::Status(_, r)) => r,
        Err(e) => return Err(DeliveryError::Call(Box::new(e))),
    };
    if !addrs.contains(&response.remote_addr()) {
        return Err(DeliveryError::Elsewhere(response.remote_addr()));
    }
    match response.status() {
        200..=299 => Ok(()),
        status @ 300..=399 => Err(DeliveryError::Redirect(status)),
        status => Err(DeliveryError::Refused(status)),
    }
}

/// Where a URL's deliveries are counted together: its host and port.
fn receiver_of(url: &str) -> String {
    Url::parse(url).map_or_else(
        |_| url.to_string(),
        |u| {
            format!(
                "{}:{}",
                u.host_str().unwrap_or(""),
                u.port_or_known_default().unwrap_or(0)
            )
        },
    )
}

/// Calls in flight, in all, per owner and per receiver.
#[derive(Default)]
struct Busy {
    counts: std::sync::Mutex<Counts>,
}

#[derive(Default)]
struct Counts {
    total: usize,
    users: HashMap<i64, usize>,
    receivers: HashMap<String, usize>,
}

/// A call's place among those in flight, given back when dropped.
struct Slot {
    busy: Arc<Busy>,
    user: i64,
    receiver: String,
}

impl Busy {
    fn counts(&self) -> std::sync::MutexGuard<'_, Counts> {
        self.counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn total(&self) -> usize {
        self.counts().total
    }

    /// A slot for a call of `user` to `receiver`, when neither (nor the whole) is full.
    fn take(busy: &Arc<Busy>, user: i64, receiver: String) -> Option<Slot> {
        let mut counts = busy.counts();
        let full = counts.total >= IN_FLIGHT
            || counts.users.get(&user).copied().unwrap_or(0) >= PER_USER
            || counts.receivers.get(&receiver).copied().unwrap_or(0) >= PER_RECEIVER;
        if full {
            return None;
        }
        counts.total += 1;
        *counts.users.entry(user).or_default() += 1;
        *counts.receivers.entry(receiver.clone()).or_default() += 1;
        Some(Slot {
            busy: busy.clone(),
            user,
            receiver,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut counts = self.busy.counts();
        counts.total = counts.total.saturating_sub(1);
        let counts = &mut *counts;
        release(&mut counts.users, &self.user);
        release(&mut counts.receivers, &self.receiver);
    }
}

fn release<K: std::hash::Hash + Eq>(map: &mut HashMap<K, usize>, key: &K) {
    if let Some(n) = map.get_mut(key) {
        *n = n.saturating_sub(1);
        if *n == 0 {
            map.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_the_owner_may_not_see_says_done_and_its_address() {
        let body = Body {
            told: Told::Done {
                id: 7,
                status: Status::Done,
            },
            url: Some("https://judge.example/submissions/7".into()),
        };
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"id":7,"status":"done","url":"https://judge.example/submissions/7"}"#
        );
        let unlinked = Body { url: None, ..body };
        assert_eq!(
            serde_json::to_string(&unlinked).unwrap(),
            r#"{"id":7,"status":"done"}"#
        );
    }

    #[test]
    fn the_signature_covers_the_timestamp_the_delivery_and_the_body() {
        // RFC 4231, test case 2, with the message split where the scheme joins its parts.
        let sig = signature(b"Jefe", 1, "what do ya", b"want for nothing?");
        assert_eq!(
            sig,
            signature(b"Jefe", 1, "what do ya", b"want for nothing?"),
            "deterministic"
        );
        let mut mac = Hmac::<Sha256>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"1.what do ya.want for nothing?");
        assert_eq!(
            sig,
            format!(
                "sha256={}",
                judge_core::cache::hex(&mac.finalize().into_bytes())
            )
        );
        assert_ne!(
            sig,
            signature(b"Jefe", 2, "what do ya", b"want for nothing?")
        );
        assert_ne!(
            sig,
            signature(b"Jefe", 1, "what do yb", b"want for nothing?")
        );
    }

    #[test]
    fn a_receiver_refuses_a_stale_or_altered_delivery() {
        let key = b"key";
        let signed = signature(key, 1_000_000, "7.55", b"{}");
        assert_eq!(
            verify(key, "1000000", "7.55", b"{}", &signed, 1_000_100),
            Ok(())
        );
        assert_eq!(
            verify(key, "1000000", "7.55", b"{}", &signed, 1_000_000 + 301),
            Err(SignatureError::Stale(301))
        );
        assert_eq!(
            verify(key, "1000001", "7.55", b"{}", &signed, 1_000_000),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(key, "1000000", "7.56", b"{}", &signed, 1_000_000),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(key, "1000000", "7.55", b"{ }", &signed, 1_000_000),
            Err(SignatureError::Mismatch)
        );
        assert!(matches!(
            verify(key, "soon", "7.55", b"{}", &signed, 1_000_000),
            Err(SignatureError::Timestamp(_))
        ));
    }

    #[test]
    fn pauses_double_up_to_a_cap() {
        assert_eq!(pause_ms(0), 1000);
        assert_eq!(pause_ms(1), 2000);
        assert_eq!(pause_ms(3), 8000);
        assert_eq!(pause_ms(30), MAX_PAUSE_MS);
    }

    #[test]
    fn one_owner_or_receiver_holds_a_few_slots_and_gives_them_back() {
        let busy = Arc::new(Busy::default());
        let slots: Vec<Slot> = (0..PER_USER)
            .map(|_| Busy::take(&busy, 1, "tarpit:80".into()).unwrap())
            .collect();
        assert!(
            Busy::take(&busy, 1, "elsewhere:80".into()).is_none(),
            "per owner"
        );
        assert!(
            Busy::take(&busy, 2, "tarpit:80".into()).is_none(),
            "per receiver"
        );
        let other = Busy::take(&busy, 2, "hooks:443".into());
        assert!(other.is_some(), "another owner to another receiver");
        drop(slots);
        drop(other);
        assert_eq!(busy.total(), 0);
        assert!(busy.counts().users.is_empty() && busy.counts().receivers.is_empty());
    }

    #[test]
    fn the_secret_is_made_once_and_kept_private() {
        let dir = tempfile::tempdir().unwrap();
        let first = secret(dir.path()).unwrap();
        assert_eq!(first.len(), 64);
        assert_eq!(secret(dir.path()).unwrap(), first);
        let mode = std::fs::metadata(dir.path().join("webhook-secret")).unwrap();
        assert_eq!(
            std::os::unix::fs::PermissionsExt::mode(&mode.permissions()) & 0o777,
            0o600
        );
    }
}
