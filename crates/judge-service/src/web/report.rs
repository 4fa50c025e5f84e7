//! A submission's report as HTML: the one rendering the pages use, on the submission's own
//! page and (as a fragment the page's script fetches when a judging is done) under the
//! editor. It reads the report in the `--json` schema (docs/report-schema.md), so a hidden
//! case shows exactly what its JSON shows.

use maud::{html, Markup, PreEscaped};

use judge_core::report::document::{Document, DocumentCase, ReportDocument};
use judge_core::report::Mode;
use judge_core::report::{InputReport, RunResult, Verdict};

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
    html! {
        div.report data-submission=(s.id) data-status=(s.status) data-mode=(s.mode) {
            @if s.status != Status::Done {
                p.pending role="status" { (pending_words(s.status)) }
            } @else if let Some(error) = &s.error {
                div.verdict.bad { span.badge { "JE" } " The judge could not judge this submission." }
                pre.message { (error) }
            } @else {
                @match &s.report {
                    Some(Document::Input(report)) => (input_report(report)),
                    Some(Document::Judging(report)) => (case_report(report)),
                    // Not judged yet, or a stored report that does not read.
                    None => p { "This submission has no report." },
                }
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

/// A verdict in words, as a sentence starts: the engine's meaning of it, capitalised.
pub fn verdict_words(verdict: Verdict) -> String {
    let meaning = verdict.meaning();
    let mut first = meaning.chars();
    first
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(first).collect())
}

fn badge(verdict: Verdict) -> Markup {
    let class = if verdict == Verdict::AC {
        "badge ok"
    } else {
        "badge bad"
    };
    html! { span class=(class) title=(verdict_words(verdict)) { (verdict.code()) } }
}

/// A run or a submission on the problem's own cases.
fn case_report(report: &ReportDocument) -> Markup {
    let compiled = report.compile.ok;
    html! {
        @if report.mode == Mode::Submit {
            @let verdict = report.verdict.unwrap_or(Verdict::JE);
            div class=(if verdict == Verdict::AC { "verdict ok" } else { "verdict bad" }) {
                (badge(verdict)) " " (verdict_words(verdict))
                span.score { " · score " (report.score.unwrap_or(0)) " of " (report.max_score.unwrap_or(0)) }
            }
        } @else {
            div class=(if report.result == Some(RunResult::SamplesPassed) { "verdict ok" } else { "verdict bad" }) {
                @match report.result {
                    Some(RunResult::SamplesPassed) => { (badge(Verdict::AC)) " Samples passed. This was a run: submit to be judged on every case." },
                    Some(RunResult::CompileError) => { (badge(Verdict::CE)) " Compile error" },
                    Some(RunResult::JudgeError) => { (badge(Verdict::JE)) " Judge error" },
                    Some(RunResult::SamplesFailed) | None => {
                        @let verdict = report.verdict.unwrap_or(Verdict::WA);
                        (badge(verdict)) " A sample failed: " (verdict_words(verdict))
                    },
                }
            }
        }
        @if !compiled {
            (compile_error(&report.compile.stderr))
        }
        (warnings(&report.warnings))
        @if let Some(groups) = report.groups.as_ref().filter(|g| !g.is_empty()) {
            h3 { "Groups" }
            table.groups {
                thead { tr { th { "Group" } th { "Verdict" } th { "Score" } } }
                tbody {
                    @for g in groups {
                        tr data-group=(g.name) {
                            td { (g.name) }
                            td { (badge(g.verdict)) }
                            td { (g.score) " / " (g.max_score) }
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
        (super::complexity::section(report.complexity.as_deref(), report.complexity_unavailable.as_deref()))
    }
}

fn cases_table(report: &ReportDocument) -> Markup {
    html! {
        table.cases {
            thead { tr { th { "Case" } th { "Verdict" } th { "Time" } th.memory { "Memory" } th { "Message" } } }
            tbody {
                @for c in report.cases() {
                    tr data-case=(c.name) {
                        td { (c.name) }
                        td { (badge(c.verdict)) }
                        td { (figure(c.time_ms, "ms")) }
                        td.memory { (kib(c.memory_kb)) }
                        td.message {
                            @if c.withheld { span.muted { "hidden" } }
                            @else { (c.message.as_deref().unwrap_or("")) }
                        }
                    }
                }
            }
        }
    }
}

fn figure(value: Option<u64>, unit: &str) -> String {
    value.map_or("—".into(), |v| format!("{v} {unit}"))
}

fn kib(value: Option<u64>) -> String {
    match value {
        None => "—".into(),
        Some(0) => "not measured".into(),
        Some(k) if k >= 10 * 1024 => format!("{} MiB", k / 1024),
        Some(k) => format!("{k} KiB"),
    }
}

/// Every failing case that shows more than a line: its message, diff, input and output.
fn failures(report: &ReportDocument) -> Markup {
    let shown: Vec<&DocumentCase> = report
        .cases()
        .filter(|c| c.verdict != Verdict::AC && !c.withheld)
        .filter(|c| c.diff.is_some() || c.input.is_some() || c.output.is_some())
        .collect();
    html! {
        @for c in shown {
            section.failure data-failure=(c.name) {
                h4 { (c.name) ": " (verdict_words(c.verdict)) }
                @if let Some(m) = &c.message { p.message { (m) } }
                @if let Some(input) = &c.input {
                    h5 { "Input" }
                    pre.input { (input) }
                }
                @if let Some(diff) = &c.diff {
                    h5 { "Expected and your answer" }
                    (diff_block(diff))
                }
                @if let Some(output) = &c.output {
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

fn compile_error(stderr: &str) -> Markup {
    let marks = serde_json::to_string(&diagnostics(stderr, "solution.rs")).unwrap_or_default();
    html! {
        h3 { "Compiler messages" }
        pre.compile-error data-diagnostics=(marks) { (stderr) }
    }
}

fn warnings(list: &[String]) -> Markup {
    html! {
        @if !list.is_empty() {
            ul.warnings { @for w in list { li { (w) } } }
        }
    }
}

/// A run on the user's own input: its answer beside the reference's.
fn input_report(report: &InputReport) -> Markup {
    let case = report.case.as_ref();
    html! {
        @if !report.compile.ok {
            div.verdict.bad { (badge(Verdict::CE)) " Compile error" }
            (compile_error(&report.compile.stderr))
        } @else if let Some(why) = &report.invalid {
            div.verdict.bad { "This input is not one the problem allows" }
            p.message { (why) }
        } @else {
            @let verdict = case.map_or(Verdict::JE, |c| c.verdict);
            div class=(if verdict == Verdict::AC { "verdict ok" } else { "verdict bad" }) {
                (badge(verdict)) " " (verdict_words(verdict)) " on your input"
                span.score { " · " (figure(case.map(|c| c.time_ms), "ms")) " · " (kib(case.map(|c| c.memory_kb))) }
            }
            @if let Some(m) = case.and_then(|c| c.message.as_deref()) { p.message { (m) } }
            div.side-by-side {
                div { h4 { "Your answer" } pre.answer { (pretty(report.answer.as_ref())) } }
                div { h4 { "Expected (the reference solution's answer)" } pre.expected { (pretty(report.expected.as_ref())) } }
            }
            @if let Some(output) = case.and_then(|c| c.output.as_deref()) {
                h5 { "What your solution printed (stdout, then stderr)" }
                pre.output { (output) }
            }
        }
        h5 { "Input" }
        pre.input { (report.input) }
    }
}

/// An answer (of the problem's return type, any JSON) as it reads best.
fn pretty(answer: Option<&serde_json::Value>) -> String {
    answer.map_or_else(
        || "(no answer)".into(),
        |v| serde_json::to_string_pretty(v).unwrap_or_default(),
    )
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
    fn a_verdict_reads_as_the_start_of_a_sentence() {
        assert_eq!(verdict_words(Verdict::AC), "Accepted");
        assert_eq!(verdict_words(Verdict::TLE), "Time limit exceeded");
        let badge = badge(Verdict::WA).into_string();
        assert!(badge.contains(r#"class="badge bad""#), "{badge}");
        assert!(badge.contains(r#"title="Wrong answer""#), "{badge}");
        assert!(badge.contains(">WA<"), "{badge}");
    }

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

    fn judging(text: &str) -> ReportDocument {
        match Document::parse(text) {
            Ok(Document::Judging(report)) => *report,
            other => panic!("{text}: {other:?}"),
        }
    }

    const COMPILED: &str =
        r#""compile": {"ok": true, "time_ms": 1, "cached": false, "stderr": ""}"#;

    #[test]
    fn a_withheld_hidden_case_shows_its_name_and_verdict_only() {
        let report = judging(&format!(
            r#"{{"schema": 2, "problem": "p", "mode": "submit", "verdict": "WA", "score": 0, "max_score": 10,
            {COMPILED}, "samples": [],
            "groups": [{{"name": "basic", "verdict": "WA", "score": 0, "max_score": 10, "cases": [
                {{"name": "basic-1", "verdict": "WA", "time_ms": null, "memory_kb": null,
                 "message": null, "diff": null, "input": null, "output": null, "withheld": true}}
            ]}}],
            "warnings": [], "cached": false}}"#
        ));
        let html = case_report(&report).into_string();
        assert!(html.contains("basic-1"), "{html}");
        assert!(html.contains("hidden"), "{html}");
        assert!(html.contains("score 0 of 10"), "{html}");
        assert!(!html.contains("class=\"failure\""), "{html}");
    }

    #[test]
    fn text_from_a_solution_is_escaped() {
        let report = judging(&format!(
            r#"{{"schema": 2, "problem": "p", "mode": "run", "result": "samples-failed", "verdict": "RE",
            {COMPILED},
            "samples": [{{"name": "sample-1", "verdict": "RE", "time_ms": 1, "memory_kb": 10,
                "message": "panicked: <script>alert(1)</script>", "diff": null,
                "input": "xs = [1]", "output": "<img src=x onerror=alert(1)>", "withheld": false}}],
            "warnings": [], "cached": false}}"#
        ));
        let html = case_report(&report).into_string();
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;img src=x"), "{html}");
        assert!(html.contains("A sample failed: Runtime error"), "{html}");
    }

    #[test]
    fn a_run_on_one_input_shows_both_answers() {
        let text = format!(
            r#"{{"schema": 2, "problem": "p", "mode": "input", "input": "x = 1", {COMPILED},
            "case": {{"name": "input", "verdict": "WA", "time_ms": 3, "memory_kb": 20480,
                "message": "wrong answer", "diff": null, "input": null, "output": null}},
            "answer": [1, 2], "expected": null}}"#
        );
        let Ok(Document::Input(report)) = Document::parse(&text) else {
            panic!("{text} does not read");
        };
        let html = input_report(&report).into_string();
        for part in [
            "Wrong answer on your input",
            "3 ms",
            "20 MiB",
            "(no answer)",
            "x = 1",
        ] {
            assert!(html.contains(part), "{part} missing in {html}");
        }
    }
}
