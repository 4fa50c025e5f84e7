//! Withholding hidden cases from a report and figures from events.

use super::*;
use serde_json::json;

/// A submission as the engine reports it: a sample and a hidden case, both failing and
/// shown whole, and a measured complexity.
const REPORT: &str = r#"{"schema":2,"problem":"p","mode":"submit","verdict":"WA","score":0,"max_score":10,
    "first_failure":{"case":"sample-1","group":null,"verdict":"WA"},
    "compile":{"ok":true,"time_ms":5,"cached":false,"stderr":""},
    "groups":[{"name":"basic","verdict":"WA","score":0,"max_score":10,"cases":[
        {"name":"basic-1","verdict":"WA","time_ms":3,"memory_kb":10,"message":"wrong answer: a wrong value at [2]","diff":"-1\n+2","input":"xs = [1]","output":"hi","withheld":false}]}],
    "samples":[{"name":"sample-1","verdict":"WA","time_ms":3,"memory_kb":10,"message":"wrong answer at [0]","diff":null,"input":"xs = []","output":null,"withheld":false}],
    "warnings":[],"cached":false,
    "complexity":{"schema":1,"problem":"p","cost":"cpu-time","cost_note":null,"largest_size":100,"seeds":[1],"time_limit_ms":1000,
        "solution":{"model":null,"exponent":null,"uncertainty":null,"fitted_from":null,"fitted_to":null,"left_out":null,"startup":1.5,"stopped":"target-time","failure":null,"points":[]},
        "reference":{"model":null,"exponent":null,"uncertainty":null,"fitted_from":null,"fitted_to":null,"left_out":null,"startup":1.5,"stopped":"target-time","failure":null,"points":[]},
        "comparison":null,"at_largest":null,"stopped_early":null,"elapsed_ms":1,"budget_ms":2,"summary":"at the largest hidden size 40x slower"}}"#;

fn withheld(text: &str) -> serde_json::Value {
    let Ok(Document::Judging(mut report)) = Document::parse(text) else {
        panic!("{text} does not read");
    };
    withhold_hidden(&mut report);
    serde_json::to_value(&report).unwrap()
}

#[test]
fn a_measured_complexity_is_withheld_with_the_hidden_cases() {
    let report = withheld(REPORT);
    assert!(report.get("complexity").is_none(), "{report}");
    assert!(report["complexity_unavailable"]
        .as_str()
        .unwrap()
        .contains("withheld"));
    let plain = REPORT
        .split(",\n    \"complexity\"")
        .next()
        .unwrap()
        .to_string()
        + "}";
    let plain = withheld(&plain);
    assert!(plain.get("complexity_unavailable").is_none(), "{plain}");
}

#[test]
fn hidden_cases_are_withheld_samples_are_not() {
    let report = withheld(REPORT);
    let hidden = &report["groups"][0]["cases"][0];
    assert_eq!(hidden["verdict"], "WA");
    assert_eq!(hidden["withheld"], true);
    for key in ["time_ms", "memory_kb", "message", "diff", "input", "output"] {
        assert!(hidden[key].is_null(), "{key} in {hidden}");
    }
    assert_eq!(report["samples"][0]["message"], "wrong answer at [0]");
    assert_eq!(report["samples"][0]["time_ms"], 3);
    assert_eq!(report["groups"][0]["verdict"], "WA");
    assert_eq!(report["first_failure"]["case"], "sample-1");
}

#[test]
fn a_withheld_figure_is_null_not_zero() {
    let told = Told {
        name: "case-finished".into(),
        data: json!({"event": "case-finished", "name": "edge-1", "verdict": "AC", "time_ms": 0, "memory_kb": 0, "withheld": true}).to_string(),
    };
    let data: serde_json::Value = serde_json::from_str(&blank_figures(told, false).data).unwrap();
    assert!(data["time_ms"].is_null() && data["memory_kb"].is_null());
    let shown = Told {
        name: "case-finished".into(),
        data: json!({"event": "case-finished", "name": "sample-1", "verdict": "AC", "time_ms": 4, "memory_kb": 900}).to_string(),
    };
    let unchanged = shown.data.clone();
    assert_eq!(blank_figures(shown, false).data, unchanged);
}

#[test]
fn a_hidden_case_event_keeps_its_name_and_verdict_only() {
    let told = Told {
        name: "case-finished".into(),
        data: r#"{"event":"case-finished","name":"big-1","verdict":"TLE","time_ms":2004,"memory_kb":512}"#.into(),
    };
    assert_eq!(
        blank_figures(told, true).data,
        r#"{"event":"case-finished","name":"big-1","verdict":"TLE","time_ms":null,"memory_kb":null,"withheld":true}"#
    );
}

/// Every `$ref` in `value`, recursively.
fn refs<'a>(value: &'a serde_json::Value, out: &mut Vec<&'a str>) {
    match value {
        serde_json::Value::Object(fields) => {
            for (key, v) in fields {
                match (key.as_str(), v.as_str()) {
                    ("$ref", Some(target)) => out.push(target),
                    _ => refs(v, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[test]
fn the_openapi_document_describes_the_report_field_by_field() {
    let doc: serde_json::Value = serde_json::from_str(&crate::api::openapi_document()).unwrap();
    let schemas = &doc["components"]["schemas"];
    let mut targets = Vec::new();
    refs(&doc, &mut targets);
    for target in &targets {
        let name = target.trim_start_matches("#/components/schemas/");
        assert!(
            schemas.get(name).is_some(),
            "{target} is not in the document"
        );
    }
    let report = &schemas["JsonReport"]["properties"];
    for field in [
        "schema",
        "mode",
        "result",
        "verdict",
        "first_failure",
        "groups",
        "samples",
    ] {
        assert!(
            report.get(field).is_some(),
            "JsonReport has no {field}: {report}"
        );
    }
    for field in ["warnings", "complexity", "complexity_unavailable"] {
        assert!(
            report.get(field).is_some(),
            "JsonReport has no {field}: {report}"
        );
    }
    for (schema, field) in [
        ("JsonCase", "withheld"),
        ("InputReport", "expected"),
        ("Complexity", "at_largest"),
    ] {
        assert!(
            schemas[schema]["properties"].get(field).is_some(),
            "{schema} has no {field}"
        );
    }
    assert!(
        targets.contains(&"#/components/schemas/Document"),
        "the submission's report"
    );
}
