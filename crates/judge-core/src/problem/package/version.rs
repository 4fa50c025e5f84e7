//! Which version of the Kattis problem package format a package is written in: the
//! `problem_format_version` of its problem.yaml. The versions differ in their keys, their
//! folders and how a submission's result is worked out, so every reader asks this first.

use std::fmt;

/// A version of the format the judge reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatVersion {
    /// `legacy` (and `legacy-icpc`), or no `problem_format_version` at all.
    Legacy,
    /// `2023-07-draft` (or `2023-07`, `draft`): the draft problemtools reads, which became
    /// 2025-09; packages written for it use either result model.
    Draft2023,
    /// `2025-09`: the current version.
    V2025,
}

impl FormatVersion {
    /// The version a `problem_format_version` value names; `None` for one the judge does
    /// not know.
    pub fn parse(value: Option<&str>) -> Option<FormatVersion> {
        Some(match value.map(str::trim) {
            None | Some("legacy" | "legacy-icpc") => FormatVersion::Legacy,
            Some("2023-07-draft" | "2023-07" | "draft") => FormatVersion::Draft2023,
            Some("2025-09" | "2025-09-draft") => FormatVersion::V2025,
            Some(_) => return None,
        })
    }

    /// How problem.yaml spells it.
    pub fn name(self) -> &'static str {
        match self {
            FormatVersion::Legacy => "legacy",
            FormatVersion::Draft2023 => "2023-07-draft",
            FormatVersion::V2025 => "2025-09",
        }
    }

    /// 2023-07 and later: `statement/`, `output_validator/`, `test_group.yaml`,
    /// `submissions.yaml`, types as lists.
    pub fn is_modern(self) -> bool {
        self != FormatVersion::Legacy
    }
}

impl fmt::Display for FormatVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_each_version_is_read() {
        assert_eq!(FormatVersion::parse(None), Some(FormatVersion::Legacy));
        assert_eq!(
            FormatVersion::parse(Some("legacy-icpc")),
            Some(FormatVersion::Legacy)
        );
        assert_eq!(
            FormatVersion::parse(Some("2023-07")),
            Some(FormatVersion::Draft2023)
        );
        assert_eq!(
            FormatVersion::parse(Some("2025-09")),
            Some(FormatVersion::V2025)
        );
        assert_eq!(FormatVersion::parse(Some("2030-01")), None);
        assert!(FormatVersion::V2025.is_modern() && !FormatVersion::Legacy.is_modern());
    }
}
