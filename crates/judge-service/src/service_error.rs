//! Why `judge serve`, `judge worker`, `judge backup` or `judge user` could not do what it
//! was asked: the service's errors at the command line (a request's are `http::ApiError`).

use std::net::SocketAddr;
use std::path::PathBuf;

use super::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot use the data dir {}: {source}", path.display())]
    Data {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("another `judge serve` uses the data dir {}", .0.display())]
    Locked(PathBuf),
    #[error("the data dir is needed for the SQLite store (give --data, or --db postgres://...)")]
    NoDataDir,
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the service stopped: {0}")]
    Serve(std::io::Error),
    #[error("a user named {0} exists already")]
    UserExists(String),
    #[error("this machine judges with {ours}, but the store's workers use {recorded}: results would depend on which host judged")]
    Toolchain { ours: String, recorded: String },
    #[error("isolation layers are missing here ({0}); `judge doctor` says how to get them, or start with --allow-partial-isolation")]
    PartialIsolation(String),
    #[error("no user named {0}")]
    NoUser(String),
    #[error(
        "a user name may not be empty, start or end with spaces, or hold control characters: {0:?}"
    )]
    BadName(String),
    #[error("a password must have at least {min} characters (read from stdin, one line)")]
    ShortPassword { min: usize },
    #[error("cannot hash the password: {0}")]
    Hash(argon2::password_hash::Error),
    #[error("no service database at {}: `judge backup` copies the judge.db of a data dir", .0.display())]
    NoDatabase(PathBuf),
    #[error("{} exists already: `judge backup` writes a new file, never over one", .0.display())]
    BackupExists(PathBuf),
    #[error("cannot back up to {}: {source}", path.display())]
    Backup {
        path: PathBuf,
        source: rusqlite::Error,
    },
}
