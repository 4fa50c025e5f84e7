//! `judge backup`: a consistent copy of a data dir's SQLite database, made while the
//! service runs.

use std::path::Path;

use super::service_error::ServiceError;

/// `judge backup`: copies the data dir's SQLite database to `to` with SQLite's online
/// backup (a consistent copy while the service runs and writes), through a file beside
/// `to` renamed into place once whole; returns the pages copied.
pub fn backup(data: &Path, to: &Path) -> Result<i32, ServiceError> {
    let from = data.join("judge.db");
    if !from.is_file() {
        return Err(ServiceError::NoDatabase(from));
    }
    if to.exists() {
        return Err(ServiceError::BackupExists(to.to_path_buf()));
    }
    let failed = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ServiceError::Backup { path, source }
    };
    // Read-write without create: a WAL database is read through its -shm file, and a
    // missing one is not made here.
    let source = rusqlite::Connection::open_with_flags(
        &from,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(failed(&from))?;
    source
        .busy_timeout(std::time::Duration::from_secs(10))
        .map_err(failed(&from))?;
    let partial = to.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    let mut copy = rusqlite::Connection::open(&partial).map_err(failed(to))?;
    let pages = {
        let backup = rusqlite::backup::Backup::new(&source, &mut copy).map_err(failed(to))?;
        // A step at a time, pausing between, so the running service's writers get the
        // database in between (a step that meets a write starts over from there).
        backup
            .run_to_completion(256, std::time::Duration::from_millis(5), None)
            .map_err(failed(to))?;
        backup.progress().pagecount
    };
    // The copy is a file of its own: no WAL beside it.
    copy.pragma_update(None, "journal_mode", "DELETE")
        .map_err(failed(to))?;
    drop(copy);
    std::fs::rename(&partial, to).map_err(|e| ServiceError::Data {
        path: to.to_path_buf(),
        source: e,
    })?;
    Ok(pages)
}
