//! The session report, as Markdown and as one self-contained HTML page (inline style, no
//! scripts, nothing fetched). Both come from the same walk over the session.
//!
//! Invariant: pure formatting.

use std::collections::HashMap;
use std::fmt::Write;

use crate::report::complexity::Complexity;
use crate::report::markdown::{fence, plain};
use crate::report::text::escape_controls;
use crate::report::{Report, Verdict};

use super::session::{clock, span, Attempt, Session, Standing};

/// What the report may show and what it knows beyond the journal.
pub struct View<'a> {
    pub now_ms: u64,
    /// Reports re-made after the session for attempts whose hidden cases were withheld.
    pub revealed: &'a HashMap<usize, Report>,
    /// Each problem's final attempt measured against the reference (`report --complexity`).
    pub measured: &'a HashMap<String, Measured>,
}

/// A final attempt's measured growth, or why there is none.
pub enum Measured {
    Found(Box<Complexity>),
    Unavailable(String),
}

/// One problem's section, in a form both renderings walk.
struct Section<'s> {
    standing: Standing<'s>,
    started_ms: u64,
    /// (attempt number from 1, attempt, the report to show for it)
    attempts: Vec<(usize, &'s Attempt, &'s Report)>,
    measured: Option<&'s Measured>,
}

fn sections<'s>(session: &'s Session, view: &'s View) -> Vec<Section<'s>> {
    let numbered: Vec<(usize, &Attempt)> = session.attempts().enumerate().collect();
    session
        .standings()
        .into_iter()
        .map(|standing| {
            let attempts = numbered
                .iter()
                .filter(|(_, a)| a.problem == standing.picked.id)
                .map(|&(i, a)| (i + 1, a, view.revealed.get(&i).unwrap_or(&a.report)))
                .collect();
            Section {
                measured: view.measured.get(&standing.picked.id),
                standing,
                started_ms: session.start.started_ms,
                attempts,
            }
        })
        .collect()
}

fn summary_lines(session: &Session, view: &View) -> Vec<String> {
    let (score, max) = session.total();
    let s = &session.start;
    let over = session.is_over(view.now_ms);
    vec![
        format!("Score: {score}/{max}"),
        format!(
            "Time used: {} of {}",
            span(session.used_ms(view.now_ms)),
            span(s.deadline_ms - s.started_ms)
        ),
        format!(
            "Started {}, {} {}",
            clock(s.started_ms),
            if over { "closed" } else { "closes" },
            clock(session.closes_ms())
        ),
    ]
}

/// The first failing case of a report, in words, or `None` when it passed.
fn first_failure(report: &Report) -> Option<String> {
    if !report.compile.ok {
        return Some("did not compile".into());
    }
    let (group, case) = report.first_failure()?;
    let mut text = format!("{} on {} ({group})", case.verdict.code(), case.name);
    if let Some(m) = &case.message {
        let _ = write!(text, ": {}", m.lines().next().unwrap_or(""));
    }
    Some(text)
}

fn outcome(report: &Report, withheld: bool) -> String {
    match first_failure(report) {
        Some(f) => f,
        None if withheld && report.verdict != Verdict::AC => {
            "failed a hidden case (details withheld until the session ends)".into()
        }
        None if report.verdict != Verdict::AC => report.verdict.meaning().into(),
        None => "all cases passed".into(),
    }
}

fn attempt_diffs(attempts: &[(usize, &Attempt, &Report)]) -> Vec<(usize, usize, String)> {
    attempts
        .windows(2)
        .map(|w| {
            (
                w[0].0,
                w[1].0,
                crate::report::diff(&w[0].1.code, &w[1].1.code),
            )
        })
        .collect()
}

pub fn markdown(session: &Session, view: &View) -> String {
    let mut out = String::from("# Mock interview report\n\n");
    for line in summary_lines(session, view) {
        let _ = writeln!(out, "- {line}");
    }
    out.push_str(
        "\n| Problem | Result | Best score | Attempts | First AC |\n|---|---|---|---|---|\n",
    );
    let sections = sections(session, view);
    for s in &sections {
        let st = &s.standing;
        let _ = writeln!(
            out,
            "| {} | {} | {}/{} | {} | {} |",
            st.picked.id,
            st.state.word(),
            st.best_score,
            st.picked.max_score,
            st.attempts.len(),
            st.first_ac_ms.map_or("-".into(), span)
        );
    }
    for s in &sections {
        problem_markdown(s, &mut out);
    }
    // The code, messages and diffs are the candidate's text; escaped once, on the way out.
    escape_controls(&out).into_owned()
}

fn problem_markdown(s: &Section, out: &mut String) {
    let st = &s.standing;
    let _ = writeln!(out, "\n## {} ({})\n", st.picked.title, st.picked.id);
    let _ = writeln!(out, "{}", standing_sentence(st));
    if s.attempts.is_empty() {
        return;
    }
    out.push_str(
        "\n### Timeline\n\n| # | At | Verdict | Score | Outcome |\n|---|---|---|---|---|\n",
    );
    for (n, a, report) in &s.attempts {
        let _ = writeln!(
            out,
            "| {n} | {} | {} | {}/{} | {} |",
            span(a.at_ms.saturating_sub(s.started_ms)),
            a.verdict.code(),
            a.score,
            a.max_score,
            plain(&outcome(report, a.withheld))
        );
    }
    let (n, last, report) = s.attempts[s.attempts.len() - 1];
    let _ = writeln!(out, "\n### Final code (attempt {n})\n");
    let f = fence(&last.code);
    let _ = writeln!(out, "{f}rust\n{}\n{f}", last.code.trim_end());
    if !report.groups.is_empty() {
        out.push_str("\nGroups of the final attempt:\n\n");
        for g in &report.groups {
            let _ = writeln!(
                out,
                "- {}: {} ({}/{})",
                g.name,
                g.verdict.code(),
                g.score,
                g.max_score
            );
        }
    }
    if let Some(m) = s.measured {
        out.push_str("\n### Measured growth of the final attempt\n\n");
        match m {
            Measured::Found(c) => {
                let _ = writeln!(out, "{}\n", c.summary);
                let f = fence(&c.to_text());
                let _ = writeln!(out, "{f}text\n{}{f}", c.to_text());
            }
            Measured::Unavailable(why) => {
                let _ = writeln!(out, "Not measured: {why}");
            }
        }
    }
    for (from, to, diff) in attempt_diffs(&s.attempts) {
        let _ = writeln!(out, "\n### Changes from attempt {from} to {to}\n");
        if diff.trim().is_empty() {
            out.push_str("(no change)\n");
        } else {
            let f = fence(&diff);
            let _ = writeln!(out, "{f}diff\n{}\n{f}", diff.trim_end());
        }
    }
}

/// "solved, best score 100/100, 2 submission(s), 1 practice run(s), first AC at 00:21."
fn standing_sentence(st: &Standing) -> String {
    format!(
        "{}, best score {}/{}, {} submission(s), {} practice run(s){}.",
        st.state.word(),
        st.best_score,
        st.picked.max_score,
        st.attempts.len(),
        st.runs,
        st.first_ac_ms
            .map_or(String::new(), |ms| format!(", first AC at {}", span(ms)))
    )
}

/// HTML-escapes `text`, and shows control and bidi characters as visible escapes (a browser
/// honours bidi overrides, and the page may be read as text).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in escape_controls(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}\
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}\
pre{background:#f6f6f6;padding:.8rem;overflow-x:auto}.AC{color:#1a7f37;font-weight:bold}\
.v{color:#b42318;font-weight:bold}.add{color:#1a7f37}.del{color:#b42318}";

fn verdict_html(v: Verdict) -> String {
    let class = if v == Verdict::AC { "AC" } else { "v" };
    format!("<span class=\"{class}\">{}</span>", v.code())
}

pub fn html(session: &Session, view: &View) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Mock interview report</title><style>{STYLE}</style></head><body>\n<h1>Mock interview report</h1>\n<ul>\n"
    );
    for line in summary_lines(session, view) {
        let _ = writeln!(out, "<li>{}</li>", escape(&line));
    }
    out.push_str("</ul>\n<table><tr><th>Problem</th><th>Result</th><th>Best score</th><th>Attempts</th><th>First AC</th></tr>\n");
    let sections = sections(session, view);
    for s in &sections {
        let st = &s.standing;
        let _ = writeln!(
            out,
            "<tr><td><a href=\"#{id}\">{id}</a></td><td>{}</td><td>{}/{}</td><td>{}</td><td>{}</td></tr>",
            st.state.word(),
            st.best_score,
            st.picked.max_score,
            st.attempts.len(),
            st.first_ac_ms.map_or("-".into(), span),
            id = escape(&st.picked.id)
        );
    }
    out.push_str("</table>\n");
    for s in &sections {
        problem_html(s, &mut out);
    }
    out.push_str("</body></html>\n");
    out
}

fn problem_html(s: &Section, out: &mut String) {
    let st = &s.standing;
    let _ = writeln!(
        out,
        "<h2 id=\"{}\">{} ({})</h2>\n<p>{}</p>",
        escape(&st.picked.id),
        escape(&st.picked.title),
        escape(&st.picked.id),
        escape(&standing_sentence(st))
    );
    if s.attempts.is_empty() {
        return;
    }
    out.push_str("<h3>Timeline</h3>\n<table><tr><th>#</th><th>At</th><th>Verdict</th><th>Score</th><th>Outcome</th></tr>\n");
    for (n, a, report) in &s.attempts {
        let _ = writeln!(
            out,
            "<tr><td>{n}</td><td>{}</td><td>{}</td><td>{}/{}</td><td>{}</td></tr>",
            span(a.at_ms.saturating_sub(s.started_ms)),
            verdict_html(a.verdict),
            a.score,
            a.max_score,
            escape(&outcome(report, a.withheld))
        );
    }
    out.push_str("</table>\n");
    let (n, last, report) = s.attempts[s.attempts.len() - 1];
    let _ = writeln!(
        out,
        "<h3>Final code (attempt {n})</h3>\n<pre><code>{}</code></pre>",
        escape(last.code.trim_end())
    );
    if !report.groups.is_empty() {
        out.push_str("<ul>\n");
        for g in &report.groups {
            let _ = writeln!(
                out,
                "<li>{}: {} ({}/{})</li>",
                escape(&g.name),
                verdict_html(g.verdict),
                g.score,
                g.max_score
            );
        }
        out.push_str("</ul>\n");
    }
    if let Some(m) = s.measured {
        out.push_str("<h3>Measured growth of the final attempt</h3>\n");
        match m {
            Measured::Found(c) => {
                let _ = writeln!(
                    out,
                    "<p>{}</p>\n<details><summary>Sizes and costs</summary><pre>{}</pre></details>",
                    escape(&c.summary),
                    escape(&c.to_text())
                );
            }
            Measured::Unavailable(why) => {
                let _ = writeln!(out, "<p>Not measured: {}</p>", escape(why));
            }
        }
    }
    for (from, to, diff) in attempt_diffs(&s.attempts) {
        let _ = writeln!(
            out,
            "<details><summary>Changes from attempt {from} to {to}</summary><pre>{}</pre></details>",
            diff_html(&diff)
        );
    }
}

fn diff_html(diff: &str) -> String {
    if diff.trim().is_empty() {
        return "(no change)".into();
    }
    diff.lines()
        .map(|l| {
            let class = match l.as_bytes().first() {
                Some(b'+') if !l.starts_with("+++") => "add",
                Some(b'-') if !l.starts_with("---") => "del",
                _ => "",
            };
            if class.is_empty() {
                escape(l)
            } else {
                format!("<span class=\"{class}\">{}</span>", escape(l))
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_code() {
        assert_eq!(escape("a<b && \"c\""), "a&lt;b &amp;&amp; &quot;c&quot;");
    }

    /// A session with one attempt whose code, panic message and printed text are hostile.
    fn hostile_session() -> Session {
        let hostile = "</code><script>x()</script>\x1b[2J\u{202e}\r";
        let case = serde_json::json!({"name": "s<1>", "verdict": "RE", "time_ms": 1, "memory_kb": 1,
            "message": format!("panicked: {hostile}"), "diff": hostile, "input": hostile, "output": hostile});
        let report = serde_json::json!({"schema": 1, "problem": "a", "mode": "submit", "verdict": "RE",
            "score": 0, "max_score": 100, "compile": {"ok": true, "time_ms": 1, "cached": false, "stderr": hostile},
            "groups": [{"name": "g<b>", "verdict": "RE", "score": 0, "max_score": 100, "cases": [case]}],
            "samples": [], "warnings": []});
        let submit = |at: u64| {
            serde_json::json!({"event": "submit", "problem": "a", "at_ms": at, "verdict": "RE",
                "score": 0, "max_score": 100, "code": format!("fn x() {{}} // {hostile}"), "report": report, "withheld": false})
        };
        let start = serde_json::json!({"event": "start", "version": super::super::session::SESSION_VERSION,
            "problems": [{"id": "a", "dir": "/b/a", "title": "A", "max_score": 100}],
            "started_ms": 1000, "deadline_ms": 61000, "seed": 1, "hide_hidden": false});
        Session::from_events(vec![start, submit(2000), submit(3000)]).unwrap()
    }

    #[test]
    fn reports_escape_what_the_candidate_controls() {
        let session = hostile_session();
        let revealed = HashMap::new();
        let measured = HashMap::new();
        let view = View {
            now_ms: 70_000,
            revealed: &revealed,
            measured: &measured,
        };
        let html = html(&session, &view);
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;/code&gt;&lt;script&gt;") && html.contains("g&lt;b&gt;"));
        let md = markdown(&session, &view);
        for text in [&html, &md] {
            assert!(!text.contains(['\x1b', '\r', '\u{202e}']), "{text:?}");
        }
        assert!(html.contains("\\u{1b}[2J\\u{202e}\\u{d}"), "{html}");
        // In Markdown the escapes' backslashes and the bracket are escaped once more.
        assert!(md.contains("\\\\u{1b}\\[2J\\\\u{202e}\\\\u{d}"), "{md}");
        assert!(md.contains("\\</code\\>\\<script\\>"), "{md}");
    }

    #[test]
    fn diff_lines_are_coloured() {
        let h = diff_html("--- a\n+++ b\n-old\n+new\n same");
        assert!(h.contains("<span class=\"del\">-old</span>"));
        assert!(h.contains("<span class=\"add\">+new</span>"));
        assert!(h.contains("+++ b\n"));
    }
}
