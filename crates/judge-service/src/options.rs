//! What `judge serve` and `judge worker` are asked for: their options, and the limits each
//! token is held to.

use std::net::SocketAddr;
use std::path::PathBuf;

use super::reach;

/// What `judge serve` was asked for.
pub struct Options {
    pub listen: SocketAddr,
    /// The data dir: the SQLite database and the webhook key. With `db`, only when given
    /// (a webhook key kept there by an older judge is still used).
    pub data: Option<PathBuf>,
    /// A PostgreSQL URL: the store on a server many hosts share, instead of SQLite.
    pub db: Option<String>,
    pub workers: usize,
    /// Database connections this process keeps at most.
    pub connections: u32,
    /// Registered workers with no heartbeat for this long are forgotten.
    pub prune_workers_after: std::time::Duration,
    pub limits: Limits,
    /// The service is reached over HTTPS (behind a proxy that ends TLS): the session cookie
    /// is then `Secure` and named `__Host-judge_session`, so it never travels in clear and
    /// no sibling subdomain can plant one.
    pub secure_cookies: bool,
    /// How users reach the service and whom it may call (`--public-url`,
    /// `--webhook-allow`, `--trusted-proxy`).
    pub reach: reach::Reach,
}

/// What one token may ask of the service; over either, a request gets 429 and Retry-After.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Requests a minute (every endpoint but /healthz and /metrics).
    pub per_minute: u32,
    /// Submissions waiting or being judged at once.
    pub queued: i64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            per_minute: 600,
            queued: 20,
        }
    }
}

/// What `judge worker` was asked for.
pub struct WorkerOptions {
    /// The shared PostgreSQL database.
    pub db: String,
    /// Judgings at once.
    pub jobs: usize,
    /// Judge even where isolation layers are missing.
    pub allow_partial_isolation: bool,
    /// Where to serve /healthz and /metrics, if anywhere.
    pub listen: Option<SocketAddr>,
}
