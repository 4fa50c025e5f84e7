//! Where an interview workspace keeps the session's record: below both the workspace's
//! files (`workspace.rs`) and the errors that name them (`error.rs`), which import it and
//! not each other.

/// The session's folder inside a workspace, and its journal.
pub const RECORD_DIR: &str = ".interview";
pub const JOURNAL: &str = ".interview/journal";
