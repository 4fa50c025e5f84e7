//! A report's measured-complexity section as HTML (the `complexity` a submission asked
//! for, docs/complexity.md): the finding in one line, then each size's cost for the
//! solution beside the reference's, so a reader sees where the two part.

use maud::{html, Markup};

use judge_core::report::complexity::{Complexity, Curve};

/// The section, when the report has one (`complexity`) or says why it has none
/// (`complexity_unavailable`); nothing otherwise.
pub fn section(complexity: Option<&Complexity>, unavailable: Option<&str>) -> Markup {
    if let Some(why) = unavailable {
        return html! {
            section.complexity {
                h3 { "Complexity" }
                p { "Not measured: " (why) "." }
            }
        };
    }
    let Some(c) = complexity else {
        return html! {};
    };
    html! {
        section.complexity {
            h3 { "Complexity" }
            p.finding { (sentence(&c.summary)) }
            @if let Some(stopped) = &c.stopped_early { p.muted { (sentence(stopped)) } }
            (costs(c))
        }
    }
}

/// A finding as a sentence: capitalised, with a full stop.
fn sentence(text: &str) -> String {
    let mut chars = text.trim().chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let mut out: String = first.to_uppercase().chain(chars).collect();
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// Each size measured, with both programs' costs where both were run at it.
fn costs(c: &Complexity) -> Markup {
    let mut sizes: Vec<u64> = c
        .solution
        .points
        .iter()
        .chain(&c.reference.points)
        .map(|r| r.size)
        .collect();
    sizes.sort_unstable();
    sizes.dedup();
    html! {
        table.complexity-costs {
            caption { "Cost by input size (" (c.cost.words()) ")" }
            thead { tr { th scope="col" { "Size" } th scope="col" { "Your solution" } th scope="col" { "Reference" } } }
            tbody {
                @for size in sizes {
                    tr {
                        td { (size) }
                        td { (cost_at(c, &c.solution, size)) }
                        td { (cost_at(c, &c.reference, size)) }
                    }
                }
            }
        }
    }
}

fn cost_at(c: &Complexity, curve: &Curve, size: u64) -> String {
    curve
        .points
        .iter()
        .find(|r| r.size == size)
        .map_or_else(|| "–".into(), |r| c.cost.show(r.cost))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn why_it_was_not_measured_is_said() {
        let html = section(None, Some("the solution did not compile")).into_string();
        assert!(
            html.contains("Not measured: the solution did not compile."),
            "{html}"
        );
    }

    #[test]
    fn a_finding_reads_as_a_sentence() {
        assert_eq!(
            sentence("your solution grows like n^1.0"),
            "Your solution grows like n^1.0."
        );
        assert_eq!(sentence("stopped early."), "Stopped early.");
        assert_eq!(sentence(""), "");
    }

    #[test]
    fn a_report_without_a_measurement_has_no_section() {
        assert_eq!(section(None, None).into_string(), "");
    }
}
