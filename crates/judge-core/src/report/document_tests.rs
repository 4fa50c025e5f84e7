//! Every shape of report, written as the CLI and the service write it and read back,
//! writes the same text again.

use super::*;
use crate::report::complexity::{
    AtLargest, Complexity, Cost, Curve, Growth, Model, Rung, Stop, COMPLEXITY_SCHEMA,
};
use crate::report::tests::{case, report};
use crate::report::{CompileReport, GroupReport};

fn group(name: &str, max_score: u32, cases: Vec<crate::report::CaseReport>) -> GroupReport {
    let verdict = Report::overall(&cases, &[]);
    GroupReport {
        name: name.into(),
        verdict,
        score: if verdict == Verdict::AC { max_score } else { 0 },
        max_score,
        cases,
    }
}

fn failing(name: &str, verdict: Verdict) -> crate::report::CaseReport {
    let mut c = case(name, verdict);
    c.message = Some("wrong answer at [1]: expected 3, found 4 \u{e9}\"\\".into());
    c.diff = Some("--- expected\n+++ actual\n@@ -1 +1 @@\n-3\n+4\n".into());
    c.input = Some("xs = [1, 2]".into());
    c.output = Some("debug: <tag>\n".into());
    c
}

/// A submission that scored one group of two, its first failure hidden.
fn partial() -> Report {
    let groups = vec![
        group("basic", 40, vec![case("basic-1", Verdict::AC)]),
        group(
            "large",
            60,
            vec![
                case("large-1", Verdict::AC),
                failing("large-2", Verdict::TLE),
            ],
        ),
    ];
    let mut r = report("submit", vec![case("sample-1", Verdict::AC)], groups);
    r.verdict = Verdict::TLE;
    r.warnings = vec!["memory is not measured: no cgroups".into()];
    r
}

fn run(verdict: Verdict) -> Report {
    let sample = if verdict == Verdict::AC {
        case("sample-1", Verdict::AC)
    } else {
        failing("sample-1", verdict)
    };
    let mut r = report("run", vec![sample], vec![]);
    r.verdict = verdict;
    r
}

fn compile_error() -> Report {
    let mut r = report("submit", vec![], vec![group("basic", 10, vec![])]);
    r.groups[0].verdict = Verdict::CE;
    r.groups[0].score = 0;
    r.score = 0;
    r.verdict = Verdict::CE;
    r.compile = CompileReport {
        ok: false,
        time_ms: 812,
        cached: true,
        stderr: "error[E0308]: mismatched types\n --> solution.rs:2:18\n".into(),
    };
    r.cached = true;
    r
}

fn withheld() -> Report {
    let mut hidden = case("basic-1", Verdict::WA);
    hidden.withheld = true;
    let mut r = report("submit", vec![], vec![group("basic", 1, vec![hidden])]);
    r.verdict = Verdict::WA;
    r
}

fn curve(model: Option<Model>, exponent: f64) -> Curve {
    Curve {
        model,
        exponent: model.map(|_| exponent),
        uncertainty: model.map(|_| 0.043_210_987_654_321),
        fitted_from: Some(1024),
        fitted_to: Some(8192),
        left_out: None,
        startup: 1_234_567.891,
        stopped: Stop::TargetTime,
        failure: None,
        points: vec![Rung {
            size: 1024,
            cost: 2.000_000_000_000_001e6,
            cpu_ms: 0.1 + 0.2,
            runs: 3,
        }],
    }
}

fn complexity() -> Complexity {
    Complexity {
        schema: COMPLEXITY_SCHEMA,
        problem: "p".into(),
        cost: Cost::TaskClock,
        cost_note: Some("no hardware counter".into()),
        largest_size: Some(200_000),
        seeds: vec![1, 2],
        time_limit_ms: 2000,
        solution: curve(Some(Model::Power), 2.013),
        reference: curve(None, 0.0),
        comparison: Some(Growth::Faster),
        at_largest: Some(AtLargest {
            size: 200_000,
            ratio: 41.7,
            solution_ms: 1e-7,
            reference_ms: 12.5,
            over_limit: true,
        }),
        stopped_early: None,
        elapsed_ms: 1,
        budget_ms: 20_000,
        summary: "grows like n^2.0 against the reference's n^1.0".into(),
    }
}

/// Written compact (the service) and pretty (the CLI), read back and written again.
fn same_text_again(json: &JsonReport<'_>) {
    let compact = serde_json::to_string(json).unwrap();
    let document = Document::parse(&compact).unwrap();
    assert!(matches!(document, Document::Judging(_)), "{compact}");
    assert_eq!(document.to_json(), compact);
    let pretty = json.to_pretty();
    let document = Document::parse(&pretty).unwrap();
    assert_eq!(serde_json::to_string_pretty(&document).unwrap(), pretty);
    assert_eq!(
        serde_json::to_string(&ReportDocument::from(json)).unwrap(),
        compact
    );
}

#[test]
fn every_shape_of_judging_reads_back_to_the_same_text() {
    let measured = complexity();
    let shapes = [
        partial(),
        run(Verdict::AC),
        run(Verdict::WA),
        run(Verdict::CE),
        compile_error(),
        withheld(),
    ];
    for r in &shapes {
        same_text_again(&JsonReport::new(r));
    }
    let with = partial();
    same_text_again(&JsonReport::new(&with).with_complexity(Some(&measured)));
    same_text_again(
        &JsonReport::new(&with).with_complexity_unavailable(Some("the machine was too busy")),
    );
}

#[test]
fn the_owned_document_is_the_borrowed_report() {
    let r = partial();
    let document = ReportDocument::of(&r);
    assert_eq!(
        serde_json::to_string(&document).unwrap(),
        serde_json::to_string(&JsonReport::new(&r)).unwrap()
    );
    assert_eq!(document.score, Some(40));
    let names: Vec<&str> = document.cases().map(|c| &*c.name).collect();
    assert_eq!(names, ["sample-1", "basic-1", "large-1", "large-2"]);
}

fn input_report(case: Option<crate::report::CaseReport>, invalid: Option<&str>) -> InputReport {
    InputReport {
        schema: crate::report::SCHEMA_VERSION,
        problem: "p".into(),
        mode: "input".into(),
        input: "xs = [1, 2]".into(),
        compile: report("run", vec![], vec![]).compile,
        invalid: invalid.map(Into::into),
        answer: case
            .as_ref()
            .map(|_| serde_json::json!({"k": [1.5, -0.0, null]})),
        expected: Some(serde_json::json!([3, "x"])),
        case,
    }
}

#[test]
fn a_run_on_one_input_reads_back_to_the_same_text() {
    let mut judge_error = failing("input", Verdict::JE);
    judge_error.fault = Some(crate::report::Fault::Checker);
    for input in [
        input_report(Some(failing("input", Verdict::WA)), None),
        input_report(Some(judge_error), None),
        input_report(None, Some("the reference panicked: index out of bounds")),
    ] {
        let text = serde_json::to_string(&input).unwrap();
        let document = Document::parse(&text).unwrap();
        assert!(matches!(document, Document::Input(_)), "{text}");
        assert_eq!(document.to_json(), text);
        assert_eq!(document.outcome(), None);
    }
}

#[test]
fn the_outcome_is_the_verdict_else_the_run_result() {
    let outcome = |r: &Report| {
        Document::parse(&JsonReport::new(r).to_pretty())
            .unwrap()
            .outcome()
    };
    assert_eq!(outcome(&partial()), Some("TLE"));
    assert_eq!(outcome(&run(Verdict::AC)), Some("samples-passed"));
    assert_eq!(outcome(&run(Verdict::RE)), Some("RE"));
    assert_eq!(outcome(&compile_error()), Some("CE"));
    for r in [
        RunResult::SamplesPassed,
        RunResult::SamplesFailed,
        RunResult::CompileError,
        RunResult::JudgeError,
    ] {
        assert_eq!(serde_json::to_value(r).unwrap(), r.code());
    }
}

#[test]
fn unknown_fields_are_ignored_and_later_additions_default() {
    // A newer judge's field, and a case as schema 1 wrote it (no `withheld` when false).
    let text = r#"{"schema":2,"problem":"p","mode":"run","result":"samples-passed",
        "compile":{"ok":true,"time_ms":3,"stderr":""},
        "samples":[{"name":"sample-1","verdict":"AC","time_ms":1,"memory_kb":9,"colour":"green"}],
        "added_later":{"any":"shape"}}"#;
    let Ok(Document::Judging(report)) = Document::parse(text) else {
        panic!("{text} did not read");
    };
    assert!(!report.samples[0].withheld && report.warnings.is_empty() && !report.cached);
    assert!(report.samples[0].message.is_none());
    let again = report_text(&report);
    assert!(
        !again.contains("added_later") && !again.contains("colour"),
        "{again}"
    );
}

fn report_text(report: &ReportDocument) -> String {
    serde_json::to_string(report).unwrap()
}

#[test]
fn a_report_that_does_not_read_is_an_error_not_a_panic() {
    for text in [
        "",
        "null",
        "{\"error\":\"key must be a string\"}",
        "{\"schema\":2,\"problem\":\"p\",\"mode\":\"input\"}",
        "{\"schema\":2,\"problem\":\"p\",\"mode\":\"submit\",\"verdict\":\"XX\"}",
    ] {
        assert!(Document::parse(text).is_err(), "{text} read");
    }
}
