//! What a submission is (`Mode`) and where it is in its judging (`Status`), as enums: stored
//! as the same lowercase words they always were (the columns `mode` and `status`), so the
//! database needs no migration; a word this judge does not know, read back, is a
//! `StoreError::Unknown` naming the column, never a panic.

use super::StoreError;

/// Where a submission is: queued, then compiling and judging while a worker holds it, then
/// done (a report or a judge error stored).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Queued,
    Compiling,
    Judging,
    Done,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Compiling => "compiling",
            Status::Judging => "judging",
            Status::Done => "done",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        match text {
            "queued" => Some(Status::Queued),
            "compiling" => Some(Status::Compiling),
            "judging" => Some(Status::Judging),
            "done" => Some(Status::Done),
            _ => None,
        }
    }

    /// The stored word of column `status`, or the error that names it.
    pub fn from_column(text: &str) -> Result<Status, StoreError> {
        Status::parse(text).ok_or_else(|| unknown("submissions.status", text))
    }
}

/// What a submission asks for: `submit` (samples and hidden cases, scored) or `run`
/// (samples only, or one input of the user's own). The engine's own type, stored as its
/// words.
pub use judge_core::report::Mode;

/// The stored word of column `mode`, or the error that names it.
pub fn mode_from_column(text: &str) -> Result<Mode, StoreError> {
    Mode::parse(text).ok_or_else(|| unknown("submissions.mode", text))
}

pub(super) fn unknown(column: &'static str, value: &str) -> StoreError {
    StoreError::Unknown {
        column,
        value: value.to_string(),
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_word_reads_back_as_itself_and_serialises_as_stored() {
        for status in [
            Status::Queued,
            Status::Compiling,
            Status::Judging,
            Status::Done,
        ] {
            assert_eq!(Status::from_column(status.name()).unwrap(), status);
            assert_eq!(serde_json::to_value(status).unwrap(), status.name());
        }
        for mode in [Mode::Submit, Mode::Run] {
            assert_eq!(mode_from_column(mode.name()).unwrap(), mode);
            assert_eq!(serde_json::to_value(mode).unwrap(), mode.name());
        }
    }

    #[test]
    fn an_unknown_word_is_an_error_naming_the_column_and_value() {
        let e = Status::from_column("paused").unwrap_err();
        assert_eq!(
            e.to_string(),
            "the database: column submissions.status holds \"paused\", which this judge does not know"
        );
        assert!(mode_from_column("Submit")
            .unwrap_err()
            .to_string()
            .contains("column submissions.mode holds \"Submit\""));
    }
}
