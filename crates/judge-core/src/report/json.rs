//! The `--json` report: the stable, versioned schema that tools read, documented field by
//! field in docs/report-schema.md. The CLI builds it from a `Report` (the engine's record,
//! which the report cache and the interview journal store) borrowing every text, so a big
//! output is not copied to be printed; the service reads the same type back, owned, from
//! the text it stored (`report::document`). The record may change with the engine, and
//! only this conversion has to keep the schema; the snapshot tests
//! (`tests/integration/report_json.rs`) show when it does not.
//!
//! Invariant: within one `SCHEMA_VERSION`, fields are only added; a field that changes
//! meaning or shape, or disappears, bumps it. Reading ignores fields it does not know, so a
//! report written by a newer judge of the same schema still reads (and loses only those).

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::report::complexity::Complexity;
use crate::report::{CaseReport, GroupReport, Mode, Report, RunResult, Verdict, SCHEMA_VERSION};

/// One judging as `judge submit --json` and `judge run --json` print it.
// Borrowed from a `Report` when printed, owned (`JsonReport<'static>`,
// `document::ReportDocument`) when read back.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct JsonReport<'a> {
    pub schema: u32,
    pub problem: Cow<'a, str>,
    pub mode: Mode,
    /// What a run came to; absent for a submission.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<RunResult>,
    /// A submission's verdict; a run's only when a sample failed (a run is never `AC`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
    /// A submission's points; absent for a run, which scores nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_score: Option<u32>,
    /// The first case that did not pass, in case order (samples first); absent when none
    /// failed (a compile error fails no case).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_failure: Option<JsonFailure<'a>>,
    pub compile: JsonCompile<'a>,
    /// A submission's groups of hidden cases; absent for a run, which judges none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<JsonGroup<'a>>>,
    pub samples: Vec<JsonCase<'a>>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schema(value_type = Vec<String>))]
    pub warnings: Cow<'a, [String]>,
    #[serde(default)]
    pub cached: bool,
    /// `judge submit --complexity` only: the measured growth against the reference
    /// (docs/complexity.md); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schema(value_type = Option<Complexity>))]
    pub complexity: Option<Cow<'a, Complexity>>,
    /// Asked for a complexity section that could not be measured: why not (the machine was
    /// too busy, the measurement failed). On the service's reports; `judge submit` says it
    /// on stderr instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub complexity_unavailable: Option<Cow<'a, str>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct JsonFailure<'a> {
    pub case: Cow<'a, str>,
    /// `None` (null) for a sample.
    pub group: Option<Cow<'a, str>>,
    pub verdict: Verdict,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct JsonCompile<'a> {
    pub ok: bool,
    pub time_ms: u64,
    #[serde(default)]
    pub cached: bool,
    pub stderr: Cow<'a, str>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct JsonGroup<'a> {
    pub name: Cow<'a, str>,
    pub verdict: Verdict,
    pub score: u32,
    pub max_score: u32,
    pub cases: Vec<JsonCase<'a>>,
}

/// Every key is always written; what a key cannot show is null.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct JsonCase<'a> {
    pub name: Cow<'a, str>,
    pub verdict: Verdict,
    /// CPU time; `None` (null) when withheld.
    pub time_ms: Option<u64>,
    /// Peak memory of the whole box; 0 where memory is not measured, `None` when withheld.
    pub memory_kb: Option<u64>,
    pub message: Option<Cow<'a, str>>,
    pub diff: Option<Cow<'a, str>>,
    pub input: Option<Cow<'a, str>>,
    pub output: Option<Cow<'a, str>>,
    /// Read as false when absent: schema 1 left it out then.
    #[serde(default)]
    pub withheld: bool,
}

impl<'a> JsonReport<'a> {
    pub fn new(report: &'a Report) -> JsonReport<'a> {
        let run = report.is_run();
        JsonReport {
            schema: SCHEMA_VERSION,
            problem: Cow::Borrowed(&report.problem),
            mode: if run { Mode::Run } else { Mode::Submit },
            result: run.then(|| RunResult::of(report.verdict)),
            verdict: if run {
                Some(report.verdict).filter(|v| *v != Verdict::AC)
            } else {
                Some(report.verdict)
            },
            score: (!run).then_some(report.score),
            max_score: (!run).then_some(report.max_score),
            first_failure: first_failure(report),
            compile: JsonCompile {
                ok: report.compile.ok,
                time_ms: report.compile.time_ms,
                cached: report.compile.cached,
                stderr: Cow::Borrowed(&report.compile.stderr),
            },
            groups: (!run).then(|| report.groups.iter().map(JsonGroup::new).collect()),
            samples: report.samples.iter().map(JsonCase::new).collect(),
            warnings: Cow::Borrowed(&report.warnings),
            cached: report.cached,
            complexity: None,
            complexity_unavailable: None,
        }
    }

    /// With the opt-in measured-complexity section.
    pub fn with_complexity(mut self, complexity: Option<&'a Complexity>) -> JsonReport<'a> {
        self.complexity = complexity.map(Cow::Borrowed);
        self
    }

    /// With why a complexity section asked for is missing.
    pub fn with_complexity_unavailable(mut self, why: Option<&'a str>) -> JsonReport<'a> {
        self.complexity_unavailable = why.map(Cow::Borrowed);
        self
    }

    /// The report as printed: pretty JSON, one object.
    pub fn to_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| {
            // Only a map with non-string keys fails to serialize, and there is none.
            serde_json::json!({ "schema": SCHEMA_VERSION, "error": e.to_string() }).to_string()
        })
    }
}

fn first_failure(report: &Report) -> Option<JsonFailure<'_>> {
    let samples = report.samples.iter().map(|c| (None, c));
    let hidden = report
        .groups
        .iter()
        .flat_map(|g| g.cases.iter().map(move |c| (Some(g.name.as_str()), c)));
    samples
        .chain(hidden)
        .find(|(_, c)| c.verdict != Verdict::AC)
        .map(|(group, c)| JsonFailure {
            case: Cow::Borrowed(&c.name),
            group: group.map(Cow::Borrowed),
            verdict: c.verdict,
        })
}

impl<'a> JsonGroup<'a> {
    fn new(g: &'a GroupReport) -> JsonGroup<'a> {
        JsonGroup {
            name: Cow::Borrowed(&g.name),
            verdict: g.verdict,
            score: g.score,
            max_score: g.max_score,
            cases: g.cases.iter().map(JsonCase::new).collect(),
        }
    }
}

impl<'a> JsonCase<'a> {
    fn new(c: &'a CaseReport) -> JsonCase<'a> {
        // A withheld case's figures read 0 in the record; 0 ms would be a claim.
        let shown = |n: u64| (!c.withheld).then_some(n);
        JsonCase {
            name: Cow::Borrowed(&c.name),
            verdict: c.verdict,
            time_ms: shown(c.time_ms),
            memory_kb: shown(c.memory_kb),
            message: c.message.as_deref().map(Cow::Borrowed),
            diff: c.diff.as_deref().map(Cow::Borrowed),
            input: c.input.as_deref().map(Cow::Borrowed),
            output: c.output.as_deref().map(Cow::Borrowed),
            withheld: c.withheld,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;
    use crate::report::tests::{case, report};

    fn json_of(report: &Report) -> Value {
        serde_json::from_str(&JsonReport::new(report).to_pretty()).unwrap()
    }

    #[test]
    fn a_passed_run_claims_no_verdict_and_no_score() {
        let mut r = report("run", vec![case("sample-1", Verdict::AC)], vec![]);
        r.verdict = Verdict::AC;
        let j = json_of(&r);
        assert_eq!(j["schema"], SCHEMA_VERSION);
        assert_eq!(j["mode"], "run");
        assert_eq!(j["result"], "samples-passed");
        for absent in ["verdict", "score", "max_score", "groups", "first_failure"] {
            assert!(j.get(absent).is_none(), "{absent} in {j}");
        }
    }

    #[test]
    fn a_failed_run_names_the_sample_and_its_verdict() {
        let samples = vec![case("sample-1", Verdict::AC), case("sample-2", Verdict::WA)];
        let mut r = report("run", samples, vec![]);
        r.verdict = Verdict::WA;
        let j = json_of(&r);
        assert_eq!(j["result"], "samples-failed");
        assert_eq!(j["verdict"], "WA");
        assert_eq!(
            j["first_failure"],
            json!({"case": "sample-2", "group": null, "verdict": "WA"})
        );
    }

    #[test]
    fn run_results_follow_the_verdict() {
        let results = [
            (Verdict::AC, "samples-passed"),
            (Verdict::WA, "samples-failed"),
            (Verdict::TLE, "samples-failed"),
            (Verdict::MLE, "samples-failed"),
            (Verdict::RE, "samples-failed"),
            (Verdict::OLE, "samples-failed"),
            (Verdict::CE, "compile-error"),
            (Verdict::JE, "judge-error"),
        ];
        for (verdict, result) in results {
            let mut r = report("run", vec![], vec![]);
            r.verdict = verdict;
            assert_eq!(json_of(&r)["result"], result, "{verdict:?}");
        }
    }

    #[test]
    fn a_submission_has_its_verdict_score_and_groups() {
        let group = GroupReport {
            name: "basic".into(),
            verdict: Verdict::TLE,
            score: 0,
            max_score: 40,
            cases: vec![case("basic-1", Verdict::AC), case("basic-2", Verdict::TLE)],
        };
        let mut r = report("submit", vec![case("sample-1", Verdict::AC)], vec![group]);
        r.verdict = Verdict::TLE;
        r.max_score = 40;
        let j = json_of(&r);
        assert_eq!(j["mode"], "submit");
        assert_eq!(j["verdict"], "TLE");
        assert!(j.get("result").is_none(), "{j}");
        assert_eq!(
            (j["score"].clone(), j["max_score"].clone()),
            (json!(0), json!(40))
        );
        assert_eq!(
            j["first_failure"],
            json!({"case": "basic-2", "group": "basic", "verdict": "TLE"})
        );
        assert_eq!(j["groups"][0]["cases"][1]["time_ms"], 1);
        assert_eq!(j["groups"][0]["cases"][1]["withheld"], false);
    }

    #[test]
    fn a_withheld_case_shows_no_figures() {
        let mut hidden = case("basic-1", Verdict::WA);
        hidden.withheld = true;
        let group = GroupReport {
            name: "basic".into(),
            verdict: Verdict::WA,
            score: 0,
            max_score: 1,
            cases: vec![hidden],
        };
        let mut r = report("submit", vec![], vec![group]);
        r.verdict = Verdict::WA;
        let c = &json_of(&r)["groups"][0]["cases"][0];
        assert_eq!(
            *c,
            json!({"name": "basic-1", "verdict": "WA", "time_ms": null, "memory_kb": null,
                   "message": null, "diff": null, "input": null, "output": null, "withheld": true})
        );
    }

    #[test]
    fn a_submission_that_did_not_compile_fails_no_case() {
        let mut r = report("submit", vec![], vec![]);
        r.verdict = Verdict::CE;
        r.compile.ok = false;
        let j = json_of(&r);
        assert_eq!(j["verdict"], "CE");
        assert!(j.get("first_failure").is_none(), "{j}");
        assert_eq!(j["compile"]["ok"], false);
    }
}
