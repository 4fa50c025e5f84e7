//! Webhooks: a submission with a `callback_url` gets its final state POSTed there once it
//! is judged, signed, and delivered again with growing pauses until the receiver answers
//! 2xx. What is owed is in the database (`deliveries`, written in the transaction that
//! stores the result), so a restart resumes deliveries instead of losing them.
//!
//! The signature: header `X-Judge-Signature: sha256=<hex>`, the HMAC-SHA256 of the body
//! with the key in `<data dir>/webhook-secret` (made at the first start, readable by its
//! owner only), so a receiver can tell the service's calls from anyone else's.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::store::now_ms;
use super::Service;

/// Deliveries of one webhook before it is given up (kept, with its last error).
const MAX_ATTEMPTS: i64 = 8;
/// The pause after the first failure; each further one doubles it, up to `MAX_PAUSE`.
const FIRST_PAUSE_MS: i64 = 1000;
const MAX_PAUSE_MS: i64 = 300_000;
/// How long a receiver may take to answer.
const TIMEOUT: Duration = Duration::from_secs(10);
/// How often the deliverer looks for due deliveries besides being woken.
const IDLE_CHECK: Duration = Duration::from_millis(500);

/// The key webhooks are signed with: read from the data dir, made there at first.
pub fn secret(data: &Path) -> std::io::Result<Vec<u8>> {
    let path = data.join("webhook-secret");
    match std::fs::read(&path) {
        Ok(key) if !key.is_empty() => return Ok(key),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let (key, _) = super::new_token()?;
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

/// `sha256=<hex>`: the HMAC-SHA256 of `body` under `key`.
pub fn signature(key: &[u8], body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(body);
    format!("sha256={}", crate::cache::hex(&mac.finalize().into_bytes()))
}

/// The pause before attempt `attempts + 1`.
fn pause_ms(attempts: i64) -> i64 {
    FIRST_PAUSE_MS
        .saturating_mul(1 << attempts.clamp(0, 20))
        .min(MAX_PAUSE_MS)
}

/// Delivers what is owed until the service stops.
pub async fn run(service: Arc<Service>) {
    while !service.stopping() {
        let due = match service.store.due_delivery() {
            Ok(due) => due,
            Err(e) => {
                tracing::warn!(error = %e, "webhooks: cannot read what is owed");
                None
            }
        };
        let Some((submission, url, attempts)) = due else {
            let woken = service.deliver.notified();
            let stopped = service.stop.notified();
            tokio::select! {
                () = woken => {}
                () = stopped => {}
                () = tokio::time::sleep(IDLE_CHECK) => {}
            }
            continue;
        };
        let body = super::api::submission_json(&submission, false).to_string();
        let signed = signature(&service.webhook_key, body.as_bytes());
        let attempt = attempts + 1;
        let sent = tokio::task::spawn_blocking(move || {
            ureq::post(&url)
                .timeout(TIMEOUT)
                .set("Content-Type", "application/json")
                .set("X-Judge-Signature", &signed)
                .set("X-Judge-Delivery", &attempt.to_string())
                .send_string(&body)
                .map(|r| r.status())
                .map_err(|e| e.to_string())
        })
        .await
        .unwrap_or_else(|e| Err(e.to_string()));
        let recorded = match sent {
            Ok(status) if (200..300).contains(&status) => service.store.delivered(submission.id),
            Ok(status) => failed(
                &service,
                submission.id,
                attempt,
                &format!("answered {status}"),
            ),
            Err(why) => failed(&service, submission.id, attempt, &why),
        };
        if let Err(e) = recorded {
            tracing::warn!(error = %e, "webhooks: cannot record a delivery");
        }
    }
}

fn failed(service: &Service, id: i64, attempt: i64, why: &str) -> Result<(), super::StoreError> {
    let next = (attempt < MAX_ATTEMPTS).then(|| now_ms() + pause_ms(attempt - 1));
    service.store.delivery_failed(id, why, next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha256_of_the_body() {
        // RFC 4231, test case 2.
        let sig = signature(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            sig,
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn pauses_double_up_to_a_cap() {
        assert_eq!(pause_ms(0), 1000);
        assert_eq!(pause_ms(1), 2000);
        assert_eq!(pause_ms(3), 8000);
        assert_eq!(pause_ms(30), MAX_PAUSE_MS);
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
