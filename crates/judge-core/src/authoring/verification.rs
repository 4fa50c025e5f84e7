//! What verifying one problem found, a TOML problem's (`verify`) or a Kattis package's
//! (`package_verify`): its own module so that both make one without importing each other.

/// The outcome of verifying one problem.
pub struct Verification {
    pub id: String,
    /// How long verifying this problem took.
    pub seconds: f64,
    pub failures: Vec<String>,
    pub notes: Vec<String>,
    /// What could not be checked here and why (a submission in a language that is not
    /// installed): shown, never counted as passing, and no failure of the problem's.
    pub skipped: Vec<String>,
}
