//! `[feedback]`: what a report shows of a hidden case, from a problem's own problem.toml or
//! its bank's `problems/bank.toml`.

use std::path::Path;

use serde::Deserialize;

use super::error::{read, Source, SpecError};

/// `[feedback]`: what a candidate learns of hidden cases (in problem.toml, or for a whole
/// bank in `problems/bank.toml`).
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(super) struct Feedback {
    pub(super) hidden: Option<HiddenDetails>,
}

/// What a report shows of a hidden case (`[feedback] hidden` in problem.toml, else in the
/// bank's `problems/bank.toml`, else `Kind`; an interview may impose less), from least to
/// most. Every figure a hidden case shows is a channel: a solution can encode bits of a
/// hidden input in the CPU time it burns or the memory it takes, one case at a time.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum HiddenDetails {
    /// The verdict alone.
    Verdict,
    /// The verdict, CPU time, peak memory and how it failed in words ("wrong answer",
    /// "panicked"); never the input, the expected answer or the output.
    Outcome,
    /// The outcome and, for a wrong answer, the kind of mismatch without data (a wrong
    /// length, the first wrong element's place, NaN where a number was expected, a float off
    /// by about 1e-3, the right elements in another order).
    #[default]
    Kind,
    /// The kind, and for the first failing hidden case everything a sample shows: its input,
    /// the expected and the actual answer (as a diff), what the solution printed.
    FirstFailure,
}

impl HiddenDetails {
    /// The word problem.toml uses.
    pub fn name(self) -> &'static str {
        match self {
            HiddenDetails::Verdict => "verdict",
            HiddenDetails::Outcome => "outcome",
            HiddenDetails::Kind => "kind",
            HiddenDetails::FirstFailure => "first-failure",
        }
    }
}

/// `problems/bank.toml`: defaults for every problem of a bank, each overridden by a
/// problem's own problem.toml.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BankToml {
    #[serde(default)]
    feedback: Feedback,
}

/// The bank-wide defaults file, in a bank's `problems/` folder beside the problem folders.
pub const BANK_FILE: &str = "bank.toml";

/// What hidden cases show by default for the problem in `dir`: `problems/bank.toml`'s
/// `[feedback] hidden` when `dir` is a folder of a bank's `problems/` and that file says,
/// else `HiddenDetails::default()`. Only a folder named `problems` is looked in, so a
/// problem folder elsewhere (a temporary one) never picks up a stray file.
pub(super) fn bank_hidden_details(dir: &Path) -> Result<HiddenDetails, SpecError> {
    let Some(problems) = dir
        .parent()
        .filter(|p| p.file_name() == Some("problems".as_ref()))
    else {
        return Ok(HiddenDetails::default());
    };
    let path = problems.join(BANK_FILE);
    if !path.is_file() {
        return Ok(HiddenDetails::default());
    }
    let text = read(&path)?;
    let src = Source {
        path: &path,
        text: &text,
    };
    let (bank, _): (BankToml, _) = src.parse_typed()?;
    Ok(bank.feedback.hidden.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feedback_levels_go_from_least_to_most() {
        use HiddenDetails::{FirstFailure, Kind, Outcome, Verdict};
        assert!(Verdict < Outcome && Outcome < Kind && Kind < FirstFailure);
        assert_eq!(HiddenDetails::default(), Kind);
        assert_eq!(FirstFailure.name(), "first-failure");
    }

    #[test]
    fn a_bank_default_is_read_from_its_problems_folder_only() {
        let tmp = tempfile::tempdir().unwrap();
        let problems = tmp.path().join("problems");
        std::fs::create_dir(&problems).unwrap();
        let in_bank = problems.join("p");
        assert_eq!(bank_hidden_details(&in_bank), Ok(HiddenDetails::Kind));
        std::fs::write(
            problems.join(BANK_FILE),
            "[feedback]\nhidden = \"outcome\"\n",
        )
        .unwrap();
        assert_eq!(bank_hidden_details(&in_bank), Ok(HiddenDetails::Outcome));
        // A problem folder that is not in a `problems/` folder never reads a stray file.
        std::fs::write(
            tmp.path().join(BANK_FILE),
            "[feedback]\nhidden = \"verdict\"\n",
        )
        .unwrap();
        assert_eq!(
            bank_hidden_details(&tmp.path().join("p")),
            Ok(HiddenDetails::Kind)
        );
        std::fs::write(
            problems.join(BANK_FILE),
            "[feedback]\nhiden = \"verdict\"\n",
        )
        .unwrap();
        let e = bank_hidden_details(&in_bank).unwrap_err();
        assert!(e.file.ends_with("problems/bank.toml"), "{e}");
        assert_eq!(e.line, Some(2), "{e}");
    }
}
