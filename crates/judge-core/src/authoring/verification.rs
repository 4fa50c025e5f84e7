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

impl Verification {
    /// Notes that `shown` got `first` at first and passed when judged again: the first
    /// verdict was the clock's (a busy machine), which the author should know of.
    pub fn judged_again(&mut self, shown: &str, first: &str) {
        self.notes.push(format!(
            "note: {shown} got {first} at first and was judged again: timing on this machine is noisy"
        ));
    }
}
