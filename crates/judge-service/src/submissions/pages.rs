//! A submission's pages: the viewer's history, a submission with its report and code, and
//! the report alone (a fragment the problem page's script shows once a judging is done).

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use judge_core::report::document::Document;
use judge_core::report::RunResult;
use maud::html;

use crate::intake::known_problem;
use crate::store::{Mode, Status, Submission};
use crate::views::{Shown, View};
use crate::web::report::submission_report;
use crate::web::{api_error_page, error_page, language_name, page, when, Viewer};
use crate::Service;

#[derive(serde::Deserialize, Default)]
pub(super) struct HistoryQuery {
    problem: Option<String>,
    user: Option<String>,
}

/// The viewer's submissions (an author's: everyone's, or one user's), newest first.
pub(super) async fn history(
    State(service): State<Arc<Service>>,
    viewer: Viewer,
    Query(query): Query<HistoryQuery>,
) -> Response {
    let view = View::of(&service, &viewer.user);
    let author = view.reads_all();
    let problem = query.problem.as_deref().filter(|p| !p.is_empty());
    let who = if author {
        query.user.clone().filter(|u| !u.is_empty())
    } else {
        Some(viewer.user.name.clone())
    };
    let list = match view.list(&service, problem, who.as_deref(), 200) {
        Ok(l) => l,
        Err(e) => return api_error_page(&e.into()),
    };
    let csrf = viewer.csrf.clone().unwrap_or_default();
    let body = html! {
        h1 { "Submissions" @if let Some(p) = problem { " to " a href={ "/problems/" (p) } { (p) } } }
        @if author {
            form.filters method="get" action="/history" {
                label { "Problem " input type="text" name="problem" value=(problem.unwrap_or("")); }
                label { "User " input type="text" name="user" value=(who.as_deref().unwrap_or("")); }
                button type="submit" { "Show" }
            }
            @if let Some(p) = problem.filter(|p| known_problem(&service, p).is_ok()) {
                form.inline method="post" action={ "/problems/" (p) "/rejudge" } {
                    input type="hidden" name="csrf" value=(csrf);
                    button #rejudge type="submit" { "Rejudge every submission to " (p) }
                }
                p { a href={ "/problems/" (p) "/similarity" } { "Compare everyone's latest submissions to " (p) " for copied code" } }
            }
        }
        @if list.is_empty() {
            p { "No submissions yet." }
        } @else {
            table.history {
                thead { tr {
                    th { "#" } th { "Problem" } @if author { th { "User" } }
                    th.kind { "Kind" } th { "Result" } th { "When" }
                } }
                tbody {
                    @for s in &list {
                        tr data-submission=(s.id) {
                            td { a href={ "/submissions/" (s.id) } { (s.id) } }
                            td { (s.problem) }
                            @if author { td { (s.user) } }
                            td.kind { (kind(s)) " · " (language_name(&service, &s.language)) }
                            td { (outcome(s)) }
                            td { time datetime=(s.created_ms) { (when(s.created_ms)) } }
                        }
                    }
                }
            }
        }
    };
    page("Submissions", Some(&viewer), &body).into_response()
}

fn capitalised(words: &str) -> String {
    let mut chars = words.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn kind(s: &Submission) -> &'static str {
    match (s.mode, s.input.is_some()) {
        (Mode::Submit, _) => "submission",
        (_, true) => "run on own input",
        _ => "run on samples",
    }
}

/// A submission's outcome in a few words: its verdict and score, or its run's result, or
/// where its judging stands.
fn outcome(s: &Submission) -> String {
    match s.status {
        Status::Done => {}
        Status::Queued => return "waiting for a judge".into(),
        other => return format!("{other}…"),
    }
    let Some(report) = &s.report else {
        return if s.error.is_some() {
            "JE".into()
        } else {
            String::new()
        };
    };
    let report = match report {
        Document::Judging(report) => report,
        Document::Input(report) => {
            return report.case.as_ref().map_or("CE".into(), |c| {
                format!("{} on own input", c.verdict.code())
            })
        }
    };
    if let Some(verdict) = report.verdict {
        let words = verdict.meaning();
        let verdict = verdict.code();
        match (report.score, report.max_score) {
            (Some(score), Some(max)) => format!("{verdict} · {score}/{max}"),
            _ if report.mode == Mode::Run => format!("{verdict} on a sample ({words})"),
            _ => format!("{verdict} ({words})"),
        }
    } else {
        report.result.map_or("", RunResult::code).replace('-', " ")
    }
}

/// A submission the viewer may read, as its view shows it: its own, or any for an author.
/// Someone else's is "not found" to a candidate, who may not learn that it exists.
fn readable(service: &Service, viewer: &Viewer, id: &str) -> Result<Shown, Box<Response>> {
    let not_found = || {
        Box::new(error_page(
            StatusCode::NOT_FOUND,
            &format!("There is no submission {id}."),
        ))
    };
    let id: i64 = id.parse().map_err(|_| not_found())?;
    View::of(service, &viewer.user)
        .read(service, id)
        .map_err(|e| Box::new(api_error_page(&e.into())))?
        .ok_or_else(not_found)
}

/// A submission's page: its report and its code.
pub(super) async fn submission(
    State(service): State<Arc<Service>>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    let s = match readable(&service, &viewer, &id) {
        Ok(s) => s,
        Err(page) => return *page,
    };
    let staff = View::of(&service, &viewer.user).reads_all();
    let body = html! {
        div.submission-page {
            h1 { "Submission " (s.id) }
            p.meta {
                (capitalised(kind(&s))) " in " (language_name(&service, &s.language)) " · "
                a href={ "/problems/" (s.problem) } { (s.problem) }
                " · " (s.user) " · " (when(s.created_ms))
                // Which version of the problem judged it: for authors, who change problems.
                @if let Some(v) = s.problem_version.as_ref().filter(|_| staff) { " · problem version " code { (v) } }
            }
            div #result { (submission_report(&s)) }
            h2 { "Code" }
            pre.code { code { (s.source) } }
        }
    };
    page(&format!("Submission {}", s.id), Some(&viewer), &body).into_response()
}

/// The report alone, for the problem page's script to show once a judging is done.
pub(super) async fn submission_fragment(
    State(service): State<Arc<Service>>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    match readable(&service, &viewer, &id) {
        Ok(s) => submission_report(&s).into_response(),
        Err(page) => *page,
    }
}
