//! The shape of problem.toml and tests.toml as serde reads them. Case values are not read
//! here: they go through `toml::de::DeTable`, which keeps their spans (`cases.rs`).

use serde::Deserialize;
use toml::Spanned;

use super::feedback::Feedback;
use super::model::{Checker, Difficulty, Limits};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ProblemToml {
    pub(super) title: String,
    pub(super) difficulty: Difficulty,
    #[serde(default)]
    pub(super) tags: Vec<String>,
    pub(super) signature: Spanned<String>,
    pub(super) statement: String,
    #[serde(default)]
    pub(super) reveal_hidden: bool,
    #[serde(default)]
    pub(super) feedback: Feedback,
    #[serde(default)]
    pub(super) records: toml::map::Map<String, toml::Value>,
    #[serde(default)]
    pub(super) limits: Limits,
    #[serde(default)]
    pub(super) checker: Checker,
    #[serde(default)]
    #[serde(rename = "sample")]
    _samples: Vec<toml::Table>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TestsToml {
    #[serde(default)]
    pub(super) group: Vec<GroupToml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct GroupToml {
    pub(super) name: Spanned<String>,
    /// Optional here only so that its absence is reported with the group's name.
    pub(super) points: Option<u32>,
    #[serde(default)]
    #[serde(rename = "case")]
    _cases: Vec<toml::Table>,
}
