//! Similarity as pages: the ranked pairs, then the best pairs' shared code side by side.

use std::fmt::Write;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use judge_core::similarity::Pair;
use maud::{html, Markup};

use super::compared::{by_interviews, by_problem, Compared, InterviewsQuery, Scope, TopQuery};
use crate::access::{self, Action};
use crate::web::{api_error_page, page, Viewer};
use crate::Service;

/// Pairs whose shared code a page shows side by side.
const SHOWN_SIDE_BY_SIDE: usize = 5;

pub(super) async fn problem_page(
    State(service): State<Arc<Service>>,
    viewer: Viewer,
    Path(problem): Path<String>,
    Query(q): Query<TopQuery>,
) -> Response {
    if let Err(e) = access::may(&viewer.user, Action::CompareAll) {
        return api_error_page(&e.into());
    }
    match by_problem(service, problem, q.top).await {
        Ok(compared) => shown(&compared, &viewer),
        Err(e) => api_error_page(&e),
    }
}

pub(super) async fn interviews_page(
    State(service): State<Arc<Service>>,
    viewer: Viewer,
    Query(q): Query<InterviewsQuery>,
) -> Response {
    match by_interviews(service, viewer.user.clone(), q.problem, q.top).await {
        Ok(compared) => shown(&compared, &viewer),
        Err(e) => api_error_page(&e),
    }
}

/// The comparison as a page: the ranked pairs, then the best pairs' shared code side by side.
fn shown(compared: &Compared, viewer: &Viewer) -> Response {
    let problem = &compared.problem;
    let whose = match compared.scope {
        Scope::Problem => "every user's latest submission",
        Scope::Interviews => "your interview candidates' latest submissions",
    };
    let body = html! {
        h1 { "Similar submissions to " a href={ "/problems/" (problem) } { (problem) } }
        p.lede {
            "Compared: " (whose) " (" (compared.submissions.len()) "). "
            "Renamed variables, new layout, reordered functions and rewritten comments do not hide shared code; the problem's stub and code most submissions share do not count."
        }
        @if compared.report.pairs.is_empty() {
            p { "No two submissions share code." }
        } @else {
            table.similarity {
                caption { "Pairs, most similar first" }
                thead { tr {
                    th scope="col" { "Similarity" } th scope="col" { "Submission" }
                    th scope="col" { "Submission" } th scope="col" { "Shared stretches" }
                } }
                tbody {
                    @for (rank, pair) in compared.report.pairs.iter().enumerate() {
                        tr {
                            td { (percent(pair.score)) }
                            td { (submission_link(compared, &pair.a)) " (" (percent(pair.a_share)) " of it)" }
                            td { (submission_link(compared, &pair.b)) " (" (percent(pair.b_share)) " of it)" }
                            td {
                                @if rank < SHOWN_SIDE_BY_SIDE && !pair.regions.is_empty() {
                                    a href={ "#pair-" (rank + 1) } { (pair.regions.len()) }
                                } @else {
                                    (pair.regions.len())
                                }
                            }
                        }
                    }
                }
            }
            @for (rank, pair) in compared.report.pairs.iter().take(SHOWN_SIDE_BY_SIDE).enumerate() {
                @if !pair.regions.is_empty() {
                    (side_by_side(compared, rank + 1, pair))
                }
            }
        }
    };
    page(
        &format!("Similar submissions to {problem}"),
        Some(viewer),
        &body,
    )
    .into_response()
}

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

fn submission_link(compared: &Compared, name: &str) -> Markup {
    let Some((s, _)) = compared.by_name(name) else {
        return html! { (name) };
    };
    html! {
        a href={ "/submissions/" (s.id) } { "#" (s.id) } " " (s.user)
        @if let Some(i) = compared.interviews.get(&s.id) { " (interview " (i) ")" }
    }
}

/// One pair's shared stretches, each as the two files' lines beside each other.
fn side_by_side(compared: &Compared, rank: usize, pair: &Pair) -> Markup {
    let (Some((_, a)), Some((_, b))) = (compared.by_name(&pair.a), compared.by_name(&pair.b))
    else {
        return html! {};
    };
    html! {
        section.pair id={ "pair-" (rank) } {
            h2 { (rank) ". " (pair.a) " and " (pair.b) ": " (percent(pair.score)) " similar" }
            @for region in &pair.regions {
                div.side-by-side {
                    figure {
                        figcaption { (pair.a) ", lines " (region.a_from) "–" (region.a_to) }
                        pre { code { (lines(&a.text, region.a_from, region.a_to)) } }
                    }
                    figure {
                        figcaption { (pair.b) ", lines " (region.b_from) "–" (region.b_to) }
                        pre { code { (lines(&b.text, region.b_from, region.b_to)) } }
                    }
                }
            }
        }
    }
}

/// Lines `from..=to` (from 1) of `text`, each numbered.
fn lines(text: &str, from: u32, to: u32) -> String {
    let first = from.max(1) as usize;
    let count = (to as usize + 1).saturating_sub(first);
    let mut out = String::new();
    for (i, line) in text.lines().enumerate().skip(first - 1).take(count) {
        let _ = writeln!(out, "{:>4}  {line}", i + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_numbered_from_one_and_bounded() {
        let text = "a\nb\nc\nd\n";
        assert_eq!(lines(text, 2, 3), "   2  b\n   3  c\n");
        assert_eq!(lines(text, 4, 9), "   4  d\n");
        assert_eq!(lines(text, 0, 1), "   1  a\n");
        assert_eq!(lines(text, 3, 2), "");
    }

    #[test]
    fn percentages_are_whole() {
        assert_eq!(percent(0.834), "83%");
        assert_eq!(percent(1.0), "100%");
    }
}
