//! Accounts from the command line (`judge user add`, `password`, `sign-out`): a new user's
//! token is shown once, and the store keeps only its hash (`secrets`).

use std::path::Path;

use crate::secrets::{hash_password, new_token};
use crate::{store, Role, ServiceError, MIN_PASSWORD};

/// The store a command names: a PostgreSQL URL, or the data dir's SQLite file.
fn store_at(data: &Path, db: Option<&str>) -> Result<store::Store, ServiceError> {
    if let Some(url) = db {
        return Ok(store::Store::connect(url)?);
    }
    std::fs::create_dir_all(data).map_err(|source| ServiceError::Data {
        path: data.to_path_buf(),
        source,
    })?;
    Ok(store::Store::open(data)?)
}

/// `judge user add`: a new user with a new token (and a password to sign in to the web
/// pages with, when given); returns the token (shown once).
pub fn add_user(
    data: &Path,
    db: Option<&str>,
    name: &str,
    role: Role,
    password: Option<&str>,
) -> Result<String, ServiceError> {
    if name.is_empty() || name != name.trim() || name.chars().any(char::is_control) {
        return Err(ServiceError::BadName(name.to_string()));
    }
    let hash = password.map(password_hash).transpose()?;
    let store = store_at(data, db)?;
    let (token, token_hash) = new_token().map_err(|source| ServiceError::Data {
        path: data.to_path_buf(),
        source,
    })?;
    match store.add_user(name, role, &token_hash) {
        Ok(_) => {}
        Err(e) if e.is_constraint() => return Err(ServiceError::UserExists(name.to_string())),
        Err(e) => return Err(e.into()),
    }
    if let Some(hash) = hash {
        store.set_password(name, &hash)?;
    }
    Ok(token)
}

/// `judge user password`: sets a user's password for the web pages.
pub fn set_password(
    data: &Path,
    db: Option<&str>,
    name: &str,
    password: &str,
) -> Result<(), ServiceError> {
    let hash = password_hash(password)?;
    let store = store_at(data, db)?;
    if store.set_password(name, &hash)? {
        // A new password is often a reaction to a stolen one: the old sign-ins end.
        store.end_sessions_of(name)?;
        Ok(())
    } else {
        Err(ServiceError::NoUser(name.to_string()))
    }
}

/// `judge user sign-out`: ends every web session of a user; how many there were.
pub fn sign_out_everywhere(data: &Path, db: Option<&str>, name: &str) -> Result<u64, ServiceError> {
    let store = store_at(data, db)?;
    if store.user_by_name(name)?.is_none() {
        return Err(ServiceError::NoUser(name.to_string()));
    }
    Ok(store.end_sessions_of(name)?)
}

fn password_hash(password: &str) -> Result<String, ServiceError> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(ServiceError::ShortPassword);
    }
    hash_password(password).map_err(ServiceError::Hash)
}
