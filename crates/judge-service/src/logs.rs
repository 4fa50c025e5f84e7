//! The service's log, on stderr through `tracing`: a line per event with its time (UTC,
//! RFC 3339), level and fields (a judged job says its submission, problem, verdict, times,
//! attempt and worker), as text or as one JSON object a line (`--log-format json`), for a
//! log shipper. `JUDGE_LOG` filters it as `RUST_LOG` would (default `info`).

use tracing_subscriber::EnvFilter;

/// The variable that filters the log (`warn`, `judge=debug`, ...).
pub const FILTER_VAR: &str = "JUDGE_LOG";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// `2026-05-01T12:00:00.123Z  INFO judge::service::worker: judged submission=4 ...`
    Text,
    /// One JSON object a line: timestamp, level, target, fields.
    Json,
}

/// Sends this process's log to stderr in `format`; a second call does nothing (tests start
/// several services in one process).
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_env(FILTER_VAR).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}
