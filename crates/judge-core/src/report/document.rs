//! The `--json` report read back: what a front end that stored a report as text (the
//! service's submissions) reads it into, once, to show it, withhold parts of it or count
//! its verdict. The types are `json.rs`'s own, owned (`JsonReport<'static>`), so the schema
//! is written in one place and a report read and written again is the same text.
//!
//! Reading is lenient in two ways, both deliberate: fields it does not know (a newer judge
//! of the same schema added them) are ignored, and fields added during schema 2's history
//! (`withheld`, `warnings`, `cached`, `compile.cached`) read as false or empty when absent.

use std::borrow::Cow;

use serde::Serialize;

use crate::report::json::{JsonCase, JsonCompile, JsonFailure, JsonGroup, JsonReport};
use crate::report::{InputReport, Report, RunResult, Verdict};

/// A judging's report on the problem's cases, owned.
pub type ReportDocument = JsonReport<'static>;
/// A case of a `ReportDocument`.
pub type DocumentCase = JsonCase<'static>;
/// A group of a `ReportDocument`.
pub type DocumentGroup = JsonGroup<'static>;
/// The compile section of a `ReportDocument`.
pub type DocumentCompile = JsonCompile<'static>;
/// The first failing case of a `ReportDocument`.
pub type DocumentFailure = JsonFailure<'static>;

/// A report: a judging (`"mode"` `"submit"` or `"run"`) or a run on the user's own input
/// (`"mode": "input"`), each in its `--json` shape (docs/report-schema.md).
// Written as the inner report alone. Borrowed (`Document<'a>`) when a judging is written
// from the engine's `Report`, owned (`Document<'static>`) when read back.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum Document<'a> {
    Judging(Box<JsonReport<'a>>),
    Input(Box<InputReport>),
}

impl Document<'static> {
    /// Reads a report in either shape. The error is the judging shape's, unless the text is
    /// a run on one input that does not read either.
    pub fn parse(text: &str) -> Result<Document<'static>, serde_json::Error> {
        match serde_json::from_str::<ReportDocument>(text) {
            Ok(report) => Ok(Document::Judging(Box::new(report))),
            Err(judging) => match serde_json::from_str::<InputReport>(text) {
                Ok(input) if input.mode == "input" => Ok(Document::Input(Box::new(input))),
                _ => Err(judging),
            },
        }
    }
}

impl<'a> Document<'a> {
    /// The report as stored: compact JSON.
    pub fn to_json(&self) -> String {
        // Every map in a report has string keys, so this does not fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The judging's report; `None` for a run on one input.
    pub fn judging(&self) -> Option<&JsonReport<'a>> {
        match self {
            Document::Judging(report) => Some(report),
            Document::Input(_) => None,
        }
    }

    /// What the judging came to in one code: its verdict (`"WA"`), else a run's result
    /// (`"samples-passed"`); `None` for a run on one input, whose report has neither.
    pub fn outcome(&self) -> Option<&'static str> {
        let report = self.judging()?;
        report
            .verdict
            .map(Verdict::code)
            .or(report.result.map(RunResult::code))
    }
}

impl ReportDocument {
    /// The owned document of an engine's report (what `JsonReport::new` borrows).
    pub fn of(report: &Report) -> ReportDocument {
        JsonReport::new(report).into_owned()
    }

    /// Every case, samples first, in case order.
    pub fn cases(&self) -> impl Iterator<Item = &DocumentCase> {
        let hidden = self.groups.iter().flatten().flat_map(|g| &g.cases);
        self.samples.iter().chain(hidden)
    }

    /// The hidden cases (the groups' cases), to change.
    pub fn hidden_cases_mut(&mut self) -> impl Iterator<Item = &mut DocumentCase> {
        self.groups.iter_mut().flatten().flat_map(|g| &mut g.cases)
    }
}

impl From<&JsonReport<'_>> for ReportDocument {
    fn from(report: &JsonReport<'_>) -> ReportDocument {
        report.clone().into_owned()
    }
}

fn owned(text: Cow<'_, str>) -> Cow<'static, str> {
    Cow::Owned(text.into_owned())
}

impl JsonReport<'_> {
    /// This report with every borrowed text copied: it outlives the `Report` it was built
    /// from.
    pub fn into_owned(self) -> ReportDocument {
        JsonReport {
            schema: self.schema,
            problem: owned(self.problem),
            mode: self.mode,
            result: self.result,
            verdict: self.verdict,
            score: self.score,
            max_score: self.max_score,
            first_failure: self.first_failure.map(|f| JsonFailure {
                case: owned(f.case),
                group: f.group.map(owned),
                verdict: f.verdict,
            }),
            compile: JsonCompile {
                ok: self.compile.ok,
                time_ms: self.compile.time_ms,
                cached: self.compile.cached,
                stderr: owned(self.compile.stderr),
            },
            groups: self
                .groups
                .map(|groups| groups.into_iter().map(JsonGroup::into_owned).collect()),
            samples: self.samples.into_iter().map(JsonCase::into_owned).collect(),
            warnings: Cow::Owned(self.warnings.into_owned()),
            cached: self.cached,
            complexity: self.complexity.map(|c| Cow::Owned(c.into_owned())),
            complexity_unavailable: self.complexity_unavailable.map(owned),
        }
    }
}

impl JsonGroup<'_> {
    fn into_owned(self) -> DocumentGroup {
        JsonGroup {
            name: owned(self.name),
            verdict: self.verdict,
            score: self.score,
            max_score: self.max_score,
            cases: self.cases.into_iter().map(JsonCase::into_owned).collect(),
        }
    }
}

impl JsonCase<'_> {
    fn into_owned(self) -> DocumentCase {
        JsonCase {
            name: owned(self.name),
            verdict: self.verdict,
            time_ms: self.time_ms,
            memory_kb: self.memory_kb,
            message: self.message.map(owned),
            diff: self.diff.map(owned),
            input: self.input.map(owned),
            output: self.output.map(owned),
            withheld: self.withheld,
        }
    }
}

#[cfg(test)]
#[path = "document_tests.rs"]
mod tests;
