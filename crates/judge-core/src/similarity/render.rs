//! A comparison for people: the ranking, then the best pairs' shared stretches side by side.
//! The submissions' text is the candidates': control characters are escaped on the way out.
//!
//! Invariant: pure formatting.

use std::fmt::Write;

use super::{Pair, Report, Submission};
use crate::report::text::escape_controls;

/// Width of each side's code column.
const COLUMN: usize = 58;
/// Lines shown of one stretch, at most.
const MOST_LINES: usize = 40;

/// The ranking, and the first `show` pairs' stretches side by side.
pub fn text(report: &Report, submissions: &[Submission], show: usize) -> String {
    let mut out = String::new();
    let mut languages: Vec<&str> = report
        .submissions
        .iter()
        .map(|s| s.language.as_str())
        .collect();
    languages.sort_unstable();
    languages.dedup();
    let _ = writeln!(
        out,
        "similarity of {} submissions ({}), {} pairs compared; {}-token k-grams, windows of {} (any shared run of {} tokens is seen)",
        report.submissions.len(),
        languages.join(", "),
        report.pairs_compared,
        report.k,
        report.window,
        report.k + report.window - 1
    );
    let _ = writeln!(
        out,
        "not counted: {} fingerprint(s) of the base code, {} found in {} or more submissions",
        report.ignored.base, report.ignored.common, report.ignored.common_at_least
    );
    for s in &report.skipped {
        let _ = writeln!(out, "skipped {}: {}", s.name, s.why);
    }
    for s in report.submissions.iter().filter(|s| s.fingerprints == 0) {
        let _ = writeln!(
            out,
            "note: {} has nothing of its own to compare (all base or common code, or under {} tokens)",
            s.name, report.k
        );
    }
    if report.pairs.is_empty() {
        let _ = writeln!(out, "\nno two submissions share a fingerprint that counts");
        return escape_controls(&out).into_owned();
    }
    let _ = writeln!(out, "\n score   shares      pair");
    for p in &report.pairs {
        let _ = writeln!(
            out,
            " {:.2}   {:>3.0}% {:>3.0}%   {} ~ {}",
            p.score,
            p.a_share * 100.0,
            p.b_share * 100.0,
            p.a,
            p.b
        );
    }
    for p in report.pairs.iter().take(show) {
        side_by_side(p, submissions, &mut out);
    }
    escape_controls(&out).into_owned()
}

fn side_by_side(p: &Pair, submissions: &[Submission], out: &mut String) {
    let text_of = |name: &str| {
        submissions
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.text.lines().collect::<Vec<_>>())
            .unwrap_or_default()
    };
    let (a, b) = (text_of(&p.a), text_of(&p.b));
    let _ = writeln!(
        out,
        "\n{} ~ {}: score {:.2}, {} shared stretch(es)",
        p.a,
        p.b,
        p.score,
        p.regions.len()
    );
    for r in &p.regions {
        let _ = writeln!(
            out,
            "\n  lines {}-{} ~ lines {}-{} ({} tokens)",
            r.a_from, r.a_to, r.b_from, r.b_to, r.tokens
        );
        let left = (r.a_from..=r.a_to).collect::<Vec<_>>();
        let right = (r.b_from..=r.b_to).collect::<Vec<_>>();
        let rows = left.len().max(right.len());
        for i in 0..rows.min(MOST_LINES) {
            let cell = |lines: &[&str], numbers: &[u32]| match numbers.get(i) {
                Some(&n) => format!(
                    "{n:>5} {}",
                    clip(lines.get(n as usize - 1).copied().unwrap_or(""))
                ),
                None => String::new(),
            };
            let _ = writeln!(
                out,
                "  {:<width$} | {}",
                cell(&a, &left),
                cell(&b, &right),
                width = COLUMN + 6
            );
        }
        if rows > MOST_LINES {
            let _ = writeln!(out, "  ... {} more line(s)", rows - MOST_LINES);
        }
    }
}

/// A line of code in a column: tabs as four spaces, cut at the column's width.
fn clip(line: &str) -> String {
    let line = line.replace('\t', "    ");
    let line = line.trim_end();
    if line.chars().count() <= COLUMN {
        line.to_string()
    } else {
        let cut: String = line.chars().take(COLUMN - 1).collect();
        format!("{cut}…")
    }
}
