//! What `judge serve` and `judge worker` do before they take work: the runtime, the
//! toolchain every host must share, the webhook key, the data dir's lock, and the signal
//! that stops them.

use std::fs::File;
use std::os::fd::AsRawFd;
use std::path::Path;

use judge_core::judge::Engine;

use super::options::Options;
use super::secrets::new_token;
use super::service_error::ServiceError;
use super::{store, webhook};

/// The variable that gives the webhook key instead of a file or the database.
pub const WEBHOOK_SECRET_VAR: &str = "JUDGE_WEBHOOK_SECRET";

/// The key webhooks are signed with, and where it was found, first of: the environment
/// (`JUDGE_WEBHOOK_SECRET`); the data dir's `webhook-secret` (made there at first on
/// SQLite; with PostgreSQL only read, when an older judge kept it there); the store's
/// settings (made at the first start, shared by every server).
pub(crate) fn webhook_key(
    options: &Options,
    store: &store::Store,
) -> Result<(Vec<u8>, String), ServiceError> {
    if let Some(key) = std::env::var_os(WEBHOOK_SECRET_VAR).filter(|k| !k.is_empty()) {
        return Ok((key.into_encoded_bytes(), format!("${WEBHOOK_SECRET_VAR}")));
    }
    let data_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ServiceError::Data { path, source }
    };
    match (&options.db, &options.data) {
        (None, Some(data)) => {
            let key = webhook::secret(data).map_err(data_err(data))?;
            Ok((key, data.join("webhook-secret").display().to_string()))
        }
        (Some(_), Some(data)) if data.join("webhook-secret").is_file() => {
            let key = webhook::secret(data).map_err(data_err(data))?;
            Ok((key, data.join("webhook-secret").display().to_string()))
        }
        _ => {
            let (fresh, _) = new_token().map_err(data_err(Path::new("/dev/urandom")))?;
            let key = store.setting_or("webhook_secret", &fresh)?;
            Ok((
                key.into_bytes(),
                "the database (settings: webhook_secret)".into(),
            ))
        }
    }
}

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, ServiceError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(ServiceError::Serve)
}

/// Every host judges with the same compiler, so that a result never depends on which one
/// judged: the first process to use the store records its toolchain, the rest must match.
pub(crate) fn check_toolchain(store: &store::Store, engine: &Engine) -> Result<(), ServiceError> {
    let ours = toolchain_line(engine);
    let recorded = store.setting_or("toolchain", &ours)?;
    if recorded != ours {
        return Err(ServiceError::Toolchain { ours, recorded });
    }
    Ok(())
}

pub(crate) fn toolchain_line(engine: &Engine) -> String {
    engine
        .toolchain()
        .version
        .lines()
        .next()
        .unwrap_or("")
        .to_string()
}

/// This machine's name, for a worker's registration.
pub(crate) fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map_or_else(|_| "unknown".into(), |h| h.trim().to_string())
}

pub(crate) async fn stop_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    let (Ok(mut term), Ok(mut int)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        return std::future::pending().await;
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
}

/// An exclusive lock on the data dir, held while the service runs: two services sharing one
/// queue would each release the other's leases at start.
pub(crate) fn lock_data_dir(dir: &Path) -> Result<File, ServiceError> {
    let data_err = |source| ServiceError::Data {
        path: dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(data_err)?;
    let file = File::create(dir.join("serve.lock")).map_err(data_err)?;
    // SAFETY: flock on a descriptor this function owns.
    let locked = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0;
    if locked {
        Ok(file)
    } else {
        Err(ServiceError::Locked(dir.to_path_buf()))
    }
}
