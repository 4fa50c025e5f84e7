//! What the store keeps beside users and submissions: settings the first process decides
//! (the toolchain every worker must share) and the packages of published problem versions.

use super::{now_ms, Store, StoreError};

impl Store {
    /// The value of setting `key`, storing `value` first when there is none: the first
    /// process to ask decides (the toolchain every worker must share).
    pub fn setting_or(&self, key: &str, value: &str) -> Result<String, StoreError> {
        let row = self.db.tx(|c| {
            c.exec(
                "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
                &[key.into(), value.into()],
            )?;
            c.query_one("SELECT value FROM settings WHERE key = $1", &[key.into()])
        })?;
        Ok(row.map(|r| r.text(0)).transpose()?.unwrap_or_default())
    }

    /// Keeps the package of a problem version (`service::packages`), once.
    pub fn publish_problem(
        &self,
        version: &str,
        problem: &str,
        package: &str,
    ) -> Result<(), StoreError> {
        self.db.with(|c| {
            c.exec(
                "INSERT INTO problem_versions (version, problem, package, created_ms) VALUES ($1, $2, $3, $4) ON CONFLICT (version) DO NOTHING",
                &[version.into(), problem.into(), package.into(), now_ms().into()],
            )
        })?;
        Ok(())
    }

    /// The package of a problem version, if it was published.
    pub fn problem_package(&self, version: &str) -> Result<Option<String>, StoreError> {
        let row = self.db.with(|c| {
            c.query_one(
                "SELECT package FROM problem_versions WHERE version = $1",
                &[version.into()],
            )
        })?;
        Ok(row.map(|r| r.text(0)).transpose()?)
    }
}
