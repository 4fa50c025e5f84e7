//! A loaded package (`Package`, its limits and where its time limit came from), and what
//! it says of each case: its group, its validators' arguments, the default validator's flags.

use std::path::{Path, PathBuf};

use super::limits::PackageLimits;
use super::{
    expectations, Constants, DefaultFlags, FormatVersion, Grading, KnownSubmission, Program,
    Statement, TestCase, TestGroup, ValidationCase,
};

/// The file that makes a folder a package.
pub const PROBLEM_YAML: &str = "problem.yaml";

/// Whether `dir` holds a Kattis package (rather than a TOML problem).
pub fn is_package(dir: &Path) -> bool {
    dir.join(PROBLEM_YAML).is_file() && !dir.join("problem.toml").is_file()
}

/// A loaded, valid package.
#[derive(Debug, Clone)]
pub struct Package {
    pub id: String,
    pub dir: PathBuf,
    pub name: String,
    /// The `problem_format_version` it is written in.
    pub version: FormatVersion,
    /// The statement as Markdown (LaTeX turned into Markdown), the file it came from and
    /// the images it shows.
    pub statement: Option<Statement>,
    /// `type: scoring` (or legacy `type: scoring`): accepted submissions get a score.
    pub scoring: bool,
    /// `validation: custom interactive` or `type: interactive`.
    pub interactive: bool,
    /// The output validator, when validation is custom; `None`: the default validator.
    pub output_validator: Option<Program>,
    /// The legacy format's custom grader (`graders/`), for groups with `grading: custom`.
    pub grader: Option<Program>,
    /// `validator_flags` (legacy): given to the output validator on every case, before a
    /// group's own `output_validator_flags`.
    pub validator_flags: Vec<String>,
    pub input_validators: Vec<Program>,
    pub limits: PackageLimits,
    /// `languages`: the language codes submissions may be in; `None` is all.
    pub languages: Option<Vec<String>>,
    /// `constants`, put into the statement, validators, submissions and test group files.
    pub constants: Constants,
    /// The root of `data/`: its grading (`data/testdata.yaml`).
    pub root_grading: Grading,
    pub samples: TestGroup,
    pub secret: TestGroup,
    /// `data/invalid_input`, `invalid_output` and `valid_output` (2023-07 and later):
    /// what verify tries the validators on.
    pub validation: Vec<ValidationCase>,
    pub submissions: Vec<KnownSubmission>,
    /// submissions.yaml (2023-07 and later): what each known submission must get beyond
    /// its folder's defaults.
    pub expectations: expectations::Expectations,
    /// What the package does that the judge reads anyway (a legacy key in a 2025-09
    /// package, an empty data/secret): `verify` shows them.
    pub warnings: Vec<String>,
}

impl Package {
    /// Every case, samples first, in judging order.
    pub fn cases(&self) -> Vec<&TestCase> {
        let mut cases = self.samples.cases();
        cases.extend(self.secret.cases());
        cases
    }

    /// The group that directly holds `case`.
    pub fn group_of(&self, case: &TestCase) -> &TestGroup {
        self.samples
            .group_of(&case.name)
            .or_else(|| self.secret.group_of(&case.name))
            .unwrap_or(&self.secret)
    }

    /// The output validator's arguments for `case`: problem.yaml's `validator_flags`, then
    /// its group's `output_validator_flags` (or the case's own `output_validator_args`).
    pub fn validator_args(&self, case: &TestCase) -> Vec<String> {
        let mut args = self.validator_flags.clone();
        match case
            .settings
            .as_ref()
            .and_then(|s| s.output_validator_args.as_ref())
        {
            Some(own) => args.extend(own.iter().cloned()),
            None => args.extend(
                self.group_of(case)
                    .grading
                    .output_validator_flags
                    .iter()
                    .cloned(),
            ),
        }
        args
    }

    /// The arguments of the input validator named `validator` on `case`: the case's own
    /// `input_validator_args`, else its group's.
    pub fn input_validator_args(&self, case: &TestCase, validator: &str) -> Vec<String> {
        match case
            .settings
            .as_ref()
            .and_then(|s| s.input_validator_args.as_ref())
        {
            Some(own) => own.for_validator(validator),
            None => self
                .group_of(case)
                .grading
                .input_validator_flags
                .for_validator(validator),
        }
    }

    /// The submission's command-line arguments on `case` (`args`, 2023-07 and later).
    pub fn case_args(&self, case: &TestCase) -> Vec<String> {
        case.settings
            .as_ref()
            .and_then(|s| s.args.clone())
            .unwrap_or_else(|| self.group_of(case).grading.args.clone())
    }

    /// The default validator's flags for `case` (checked when the package loaded).
    pub fn default_flags(&self, case: &TestCase) -> DefaultFlags {
        DefaultFlags::parse(&self.validator_args(case)).unwrap_or_default()
    }

    /// Every group, samples first.
    pub fn groups(&self) -> Vec<&TestGroup> {
        let mut groups = self.samples.groups();
        groups.extend(self.secret.groups());
        groups
    }
}
