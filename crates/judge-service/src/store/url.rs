//! Database URLs: which target is PostgreSQL, its connection settings, and the URL as
//! messages show it (without the password).

use super::{DbError, StoreError};

/// Whether `target` names a PostgreSQL database rather than a data dir.
pub fn is_postgres_url(target: &str) -> bool {
    target.starts_with("postgres://") || target.starts_with("postgresql://")
}

/// The configuration `url` gives, naming its connections `application_name` unless the
/// URL names them.
pub(super) fn postgres_config(
    url: &str,
    application_name: &str,
) -> Result<postgres::Config, StoreError> {
    let mut config: postgres::Config = url.parse().map_err(|source| StoreError::Open {
        path: redact(url),
        source: DbError::Postgres {
            op: "read the URL".into(),
            source,
        },
    })?;
    if config.get_application_name().is_none() {
        config.application_name(application_name);
    }
    Ok(config)
}

/// A database URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let user = &url[scheme + 3..at];
            let user = user.split(':').next().unwrap_or("");
            format!("{}{user}@{}", &url[..scheme + 3], &url[at + 1..])
        }
        _ => url.to_string(),
    }
}
