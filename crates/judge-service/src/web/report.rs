//! A submission's report as HTML: the one rendering the pages use, on the submission's own
//! page and (as a fragment the page's script fetches when a judging is done) under the
//! editor. It reads the report in the `--json` schema (docs/report-schema.md), so a hidden
//! case shows exactly what its JSON shows.

use maud::{html, Markup, PreEscaped};
use serde_json::Value;

use crate::store::Status;
use crate::views::Shown;

/// A compile error's place in the solution, for the editor to mark.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// The submission's report (as its viewer may see it), or where its judging stands.
pub fn submission_report(s: &Shown) -> Markup {
    let report: Value = s
        .report
        .as_deref()
        .and_then(|r| serde_json::from_str(r).ok())
        .unwrap_or(Value::Null);
    html! {
        div.report data-submission=(s.id) data-status=(s.status) data-mode=(s.mode) {
            @if s.status != Status::Done {
                p.pending role="status" { (pending_words(s.status)) }
            } @else if let Some(error) = &s.error {
                div.verdict.bad { span.badge { "JE" } " The judge could not judge this submission." }
                pre.message { (error) }
            } @else if report["mode"] == "input" {
                (input_report(&report))
            } @else if report.is_object() {
                (case_report(&report))
            } @else {
                p { "This submission has no report." }
            }
        }
    }
}

fn pending_words(status: Status) -> &'static str {
    match status {
        Status::Queued => "Waiting for a judge…",
        Status::Compiling => "Compiling…",
        _ => "Judging…",
    }
}

/// A verdict code in words.
pub fn verdict_words(code: &str) -> &'static str {
    match code {
        "AC" => "Accepted",
        "WA" => "Wrong answer",
        "TLE" => "Time limit exceeded",
        "MLE" => "Memory limit exceeded",
        "RE" => "Runtime error",
        "OLE" => "Output limit exceeded",
        "CE" => "Compile error",
        "JE" => "Judge error",
        _ => "",
    }
}

fn badge(code: &str) -> Markup {
    let class = if code == "AC" {
        "badge ok"
    } else {
        "badge bad"
    };
    html! { span class=(class) title=(verdict_words(code)) { (code) } }
}

/// A run or a submission on the problem's own cases.
fn case_report(report: &Value) -> Markup {
    let submit = report["mode"] == "submit";
    let compiled = report["compile"]["ok"].as_bool().unwrap_or(false);
    html! {
        @if submit {
            @let verdict = report["verdict"].as_str().unwrap_or("JE");
            div class=(if verdict == "AC" { "verdict ok" } else { "verdict bad" }) {
                (badge(verdict)) " " (verdict_words(verdict))
                span.score { " · score " (report["score"]) " of " (report["max_score"]) }
            }
        } @else {
            @let result = report["result"].as_str().unwrap_or("");
            div class=(if result == "samples-passed" { "verdict ok" } else { "verdict bad" }) {
                @match result {
                    "samples-passed" => { (badge("AC")) " Samples passed. This was a run: submit to be judged on every case." },
                    "compile-error" => { (badge("CE")) " Compile error" },
                    "judge-error" => { (badge("JE")) " Judge error" },
                    _ => {
                        @let verdict = report["verdict"].as_str().unwrap_or("WA");
                        (badge(verdict)) " A sample failed: " (verdict_words(verdict))
                    },
                }
            }
        }
        @if !compiled {
            (compile_error(&report["compile"]))
        }
        (warnings(report))
        @if let Some(groups) = report["groups"].as_array().filter(|g| !g.is_empty()) {
            h3 { "Groups" }
            table.groups {
                thead { tr { th { "Group" } th { "Verdict" } th { "Score" } } }
                tbody {
                    @for g in groups {
                        tr data-group=[g["name"].as_str()] {
                            td { (g["name"].as_str().unwrap_or("")) }
                            td { (badge(g["verdict"].as_str().unwrap_or(""))) }
                            td { (g["score"]) " / " (g["max_score"]) }
                        }
                    }
                }
            }
            p.rule { "A group scores its points only if every one of its cases passes." }
        }
        @if compiled {
            h3 { "Cases" }
            (cases_table(report))
            (failures(report))
        }
        (super::complexity::section(report))
    }
}

fn all_cases(report: &Value) -> Vec<&Value> {
    let samples = report["samples"].as_array().into_iter().flatten();
    let hidden = report["groups"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|g| g["cases"].as_array().into_iter().flatten());
    samples.chain(hidden).collect()
}

fn cases_table(report: &Value) -> Markup {
    html! {
        table.cases {
            thead { tr { th { "Case" } th { "Verdict" } th { "Time" } th.memory { "Memory" } th { "Message" } } }
            tbody {
                @for c in all_cases(report) {
                    tr data-case=[c["name"].as_str()] {
                        td { (c["name"].as_str().unwrap_or("")) }
                        td { (badge(c["verdict"].as_str().unwrap_or(""))) }
                        td { (figure(&c["time_ms"], "ms")) }
                        td.memory { (kib(&c["memory_kb"])) }
                        td.message {
                            @if c["withheld"] == true { span.muted { "hidden" } }
                            @else { (c["message"].as_str().unwrap_or("")) }
                        }
                    }
                }
            }
        }
    }
}

fn figure(value: &Value, unit: &str) -> String {
    value.as_u64().map_or("—".into(), |v| format!("{v} {unit}"))
}

fn kib(value: &Value) -> String {
    match value.as_u64() {
        None => "—".into(),
        Some(0) => "not measured".into(),
        Some(k) if k >= 10 * 1024 => format!("{} MiB", k / 1024),
        Some(k) => format!("{k} KiB"),
    }
}

/// Every failing case that shows more than a line: its message, diff, input and output.
fn failures(report: &Value) -> Markup {
    let shown: Vec<&Value> = all_cases(report)
        .into_iter()
        .filter(|c| c["verdict"] != "AC" && c["withheld"] != true)
        .filter(|c| {
            ["diff", "input", "output"]
                .iter()
                .any(|k| c[*k].is_string())
        })
        .collect();
    html! {
        @for c in shown {
            section.failure data-failure=[c["name"].as_str()] {
                h4 { (c["name"].as_str().unwrap_or("")) ": " (verdict_words(c["verdict"].as_str().unwrap_or(""))) }
                @if let Some(m) = c["message"].as_str() { p.message { (m) } }
                @if let Some(input) = c["input"].as_str() {
                    h5 { "Input" }
                    pre.input { (input) }
                }
                @if let Some(diff) = c["diff"].as_str() {
                    h5 { "Expected and your answer" }
                    (diff_block(diff))
                }
                @if let Some(output) = c["output"].as_str() {
                    h5 { "What your solution printed (stdout, then stderr)" }
                    pre.output { (output) }
                }
            }
        }
    }
}

/// A unified diff, each line marked as removed (expected), added (actual) or context.
fn diff_block(diff: &str) -> Markup {
    html! {
        pre.diff {
            @for line in diff.lines() {
                @let class = if line.starts_with("---") || line.starts_with("+++") { "head" }
                    else if line.starts_with('-') { "del" }
                    else if line.starts_with('+') { "add" }
                    else if line.starts_with("@@") { "hunk" }
                    else { "ctx" };
                span class=(class) { (line) } "\n"
            }
        }
    }
}

fn compile_error(compile: &Value) -> Markup {
    let stderr = compile["stderr"].as_str().unwrap_or("");
    let marks = serde_json::to_string(&diagnostics(stderr, "solution.rs")).unwrap_or_default();
    html! {
        h3 { "Compiler messages" }
        pre.compile-error data-diagnostics=(marks) { (stderr) }
    }
}

fn warnings(report: &Value) -> Markup {
    html! {
        @if let Some(list) = report["warnings"].as_array().filter(|w| !w.is_empty()) {
            ul.warnings { @for w in list { li { (w.as_str().unwrap_or("")) } } }
        }
    }
}

/// A run on the user's own input: its answer beside the reference's.
fn input_report(report: &Value) -> Markup {
    let compiled = report["compile"]["ok"].as_bool().unwrap_or(false);
    let case = &report["case"];
    html! {
        @if !compiled {
            div.verdict.bad { (badge("CE")) " Compile error" }
            (compile_error(&report["compile"]))
        } @else if let Some(why) = report["invalid"].as_str() {
            div.verdict.bad { "This input is not one the problem allows" }
            p.message { (why) }
        } @else {
            @let verdict = case["verdict"].as_str().unwrap_or("JE");
            div class=(if verdict == "AC" { "verdict ok" } else { "verdict bad" }) {
                (badge(verdict)) " " (verdict_words(verdict)) " on your input"
                span.score { " · " (figure(&case["time_ms"], "ms")) " · " (kib(&case["memory_kb"])) }
            }
            @if let Some(m) = case["message"].as_str() { p.message { (m) } }
            div.side-by-side {
                div { h4 { "Your answer" } pre.answer { (pretty(&report["answer"])) } }
                div { h4 { "Expected (the reference solution's answer)" } pre.expected { (pretty(&report["expected"])) } }
            }
            @if let Some(output) = case["output"].as_str() {
                h5 { "What your solution printed (stdout, then stderr)" }
                pre.output { (output) }
            }
        }
        h5 { "Input" }
        pre.input { (report["input"].as_str().unwrap_or("")) }
    }
}

fn pretty(v: &Value) -> String {
    if v.is_null() {
        return "(no answer)".into();
    }
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// The places rustc's messages point at in the solution's own file (`--> solution.rs:L:C`
/// under an `error` line), for the editor to mark. Messages about the judge's harness are
/// left out: they have no line of the solution.
pub fn diagnostics(stderr: &str, file: &str) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut heading: Option<&str> = None;
    for line in stderr.lines() {
        if line.starts_with("error") && !line.starts_with("error: aborting") {
            heading = Some(line);
            continue;
        }
        let Some(place) = line.trim_start().strip_prefix("--> ") else {
            continue;
        };
        let Some(message) = heading.take() else {
            continue;
        };
        let mut parts = place.rsplitn(3, ':');
        let (Some(column), Some(line_no), Some(path)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        if path != file {
            continue;
        }
        if let (Ok(line), Ok(column)) = (line_no.parse(), column.parse()) {
            found.push(Diagnostic {
                line,
                column,
                message: message.to_string(),
            });
        }
    }
    found
}

/// Marks a string already HTML (the statement rendered from Markdown).
pub fn trusted(html: String) -> Markup {
    PreEscaped(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RUSTC: &str = "error[E0308]: mismatched types\n --> solution.rs:2:18\n  |\n2 |     let y: i32 = \"x\";\n\nerror[E0425]: cannot find value `z`\n --> solution.rs:7:5\n\nerror[E0308]: mismatched types\n --> judge-harness.rs:8:55\n\nerror: aborting due to 3 previous errors\n";

    #[test]
    fn compile_errors_are_placed_in_the_solution_only() {
        let found = diagnostics(RUSTC, "solution.rs");
        assert_eq!(
            found,
            vec![
                Diagnostic {
                    line: 2,
                    column: 18,
                    message: "error[E0308]: mismatched types".into()
                },
                Diagnostic {
                    line: 7,
                    column: 5,
                    message: "error[E0425]: cannot find value `z`".into()
                },
            ]
        );
        assert!(diagnostics("warning: unused\n --> solution.rs:1:1\n", "solution.rs").is_empty());
    }

    #[test]
    fn a_withheld_hidden_case_shows_its_name_and_verdict_only() {
        let report = serde_json::json!({
            "mode": "submit", "verdict": "WA", "score": 0, "max_score": 10,
            "compile": {"ok": true, "stderr": ""}, "samples": [],
            "groups": [{"name": "basic", "verdict": "WA", "score": 0, "max_score": 10, "cases": [
                {"name": "basic-1", "verdict": "WA", "time_ms": null, "memory_kb": null,
                 "message": null, "diff": null, "input": null, "output": null, "withheld": true}
            ]}],
            "warnings": []
        });
        let html = case_report(&report).into_string();
        assert!(html.contains("basic-1"), "{html}");
        assert!(html.contains("hidden"), "{html}");
        assert!(!html.contains("class=\"failure\""), "{html}");
    }

    #[test]
    fn text_from_a_solution_is_escaped() {
        let report = serde_json::json!({
            "mode": "run", "result": "samples-failed", "verdict": "RE",
            "compile": {"ok": true, "stderr": ""},
            "samples": [{"name": "sample-1", "verdict": "RE", "time_ms": 1, "memory_kb": 10,
                "message": "panicked: <script>alert(1)</script>", "diff": null,
                "input": "xs = [1]", "output": "<img src=x onerror=alert(1)>", "withheld": false}],
            "warnings": []
        });
        let html = case_report(&report).into_string();
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;img src=x"), "{html}");
    }
}
