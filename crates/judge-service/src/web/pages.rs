//! The pages: signing out, a problem with its editor, the history and a submission.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use axum_extra::extract::cookie::CookieJar;
use judge_core::report::document::Document;
use judge_core::report::json::JsonMode;
use judge_core::report::{RunResult, Verdict};
use maud::html;

use super::report::{submission_report, trusted, verdict_words};
use super::workspace;
use super::{error_page, language_name, markdown, page, when, Viewer};
use crate::document::problem_document;
use crate::intake::{known_problem, Loaded};
use crate::session;
use crate::store::{Mode, Status, Submission};
use crate::views::{Shown, View};
use crate::Service;

#[derive(serde::Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// Checks a form's CSRF token against the viewer's session.
fn form_ok(viewer: &Viewer, form: &CsrfForm) -> Result<(), Box<Response>> {
    match &viewer.csrf {
        Some(csrf) if session::same(csrf, &form.csrf) => Ok(()),
        Some(_) => Err(Box::new(error_page(
            StatusCode::FORBIDDEN,
            "This form is out of date (its CSRF token does not match): reload the page and try again.",
        ))),
        // A bearer token is not sent by a browser on its own.
        None => Ok(()),
    }
}

pub async fn sign_out(
    State(service): State<Arc<Service>>,
    viewer: Viewer,
    jar: CookieJar,
    Form(form): Form<CsrfForm>,
) -> Response {
    if let Err(page) = form_ok(&viewer, &form) {
        return *page;
    }
    if let Some(id_hash) = &viewer.session {
        let _ = service.store.end_session(id_hash);
    }
    (jar.add(session::cleared(&service)), Redirect::to("/")).into_response()
}

#[derive(serde::Deserialize, Default)]
pub struct ProblemQuery {
    /// The editor's language (a languages table id); else the newest draft's, else Rust.
    language: Option<String>,
}

pub async fn problem(
    State(service): State<Arc<Service>>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<ProblemQuery>,
) -> Response {
    if !crate::access::may_see(&service, &viewer.user, &id) {
        return error_page(StatusCode::NOT_FOUND, &format!("There is no problem {id}."));
    }
    let loaded = match Loaded::load(&service, &id) {
        Ok(loaded) => loaded,
        Err(e) if e.status == StatusCode::NOT_FOUND => {
            return error_page(StatusCode::NOT_FOUND, &format!("There is no problem {id}."))
        }
        Err(e) => return super::api_error_page(&e),
    };
    // A Kattis package's arguments are None: its program reads stdin, and a run on the
    // user's own input is not offered for it.
    let (title, document, args) = match &loaded {
        Loaded::Package(package) => (package.name.clone(), crate::kattis::document(package), None),
        Loaded::Function(problem) => {
            let engine = service.engine.clone();
            let for_document = problem.clone();
            let document =
                match tokio::task::spawn_blocking(move || problem_document(&for_document, engine))
                    .await
                {
                    Ok(Ok(d)) => d,
                    Ok(Err(e)) => return super::api_error_page(&e),
                    Err(e) => return error_page(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
                };
            let args: Vec<(String, String)> = problem
                .signature
                .args
                .iter()
                .map(|(name, ty)| (name.clone(), ty.to_string()))
                .collect();
            (problem.title.clone(), document, Some(args))
        }
    };
    let statement = document.statement.as_str();
    let first_sample = document.first_args();
    let interview = crate::access::candidate_session(&service, &viewer.user)
        .ok()
        .flatten();
    let languages = loaded.languages(&service);
    let workspace = match workspace::choose(
        &service,
        &viewer.user,
        &id,
        &languages,
        query.language.as_deref(),
    ) {
        Err(page) => return *page,
        Ok(None) => html! {
            p.muted.no-language { "None of the languages this problem takes is installed on this server, so it cannot be judged here." }
        },
        Ok(Some(language)) => {
            let drafts = service.store.drafts(&viewer.user, &id).unwrap_or_default();
            let draft_in = |l: &str| drafts.iter().find(|d| d.language == l);
            let draft = draft_in(&language.id);
            let stub = loaded.stub(language);
            let choices: Vec<workspace::Choice> = languages
                .iter()
                .map(|l| workspace::Choice {
                    id: &l.id,
                    name: &l.name,
                    stub: loaded.stub(l),
                    draft: draft_in(&l.id),
                })
                .collect();
            workspace::Workspace {
                id: &id,
                user: &viewer.user.name,
                language: &language.id,
                languages: &choices,
                source: draft.map_or(stub.as_str(), |d| d.source.as_str()),
                stub: &stub,
                draft_ms: draft.map(|d| d.updated_ms),
                args: args.as_deref(),
                first_sample: &first_sample,
                // An interview that measures does so for every submission: nothing to choose.
                measurable: interview.is_none() && crate::intake::measurable(&service, &id).is_ok(),
            }
            .render()
        }
    };
    let body = html! {
        @if let Some(i) = &interview {
            p.interview-bar data-deadline=[i.deadline_ms] {
                a href={ "/interviews/" (i.id) "/candidate" } { "Mock interview" }
                " · time left: " span.time-left { (crate::access::time_left(i)) }
            }
        }
        div.problem-page {
            article.statement {
                (trusted(markdown(statement)))
            }
            (workspace)
        }
    };
    page(&title, Some(&viewer), &body).into_response()
}

#[derive(serde::Deserialize, Default)]
pub struct HistoryQuery {
    problem: Option<String>,
    user: Option<String>,
}

/// The viewer's submissions (an author's: everyone's, or one user's), newest first.
pub async fn history(
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
        Err(e) => return error_page(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
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
    if let Some(verdict) = report.verdict.map(Verdict::code) {
        let words = verdict_words(verdict).to_lowercase();
        match (report.score, report.max_score) {
            (Some(score), Some(max)) => format!("{verdict} · {score}/{max}"),
            _ if report.mode == JsonMode::Run => format!("{verdict} on a sample ({words})"),
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
        .map_err(|e| {
            Box::new(error_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                &e.to_string(),
            ))
        })?
        .ok_or_else(not_found)
}

pub async fn submission(
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
pub async fn submission_fragment(
    State(service): State<Arc<Service>>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    match readable(&service, &viewer, &id) {
        Ok(s) => submission_report(&s).into_response(),
        Err(page) => *page,
    }
}

/// An author's rejudge from the history page: every judged submission of the problem
/// queued again.
pub async fn rejudge(
    State(service): State<Arc<Service>>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    if let Err(page) = form_ok(&viewer, &form) {
        return *page;
    }
    if crate::access::may(&viewer.user, crate::access::Action::Rejudge).is_err() {
        return error_page(StatusCode::FORBIDDEN, "Only authors and admins rejudge.");
    }
    if known_problem(&service, &id).is_err() {
        return error_page(StatusCode::NOT_FOUND, &format!("There is no problem {id}."));
    }
    let version = match crate::packages::publish(&service, &id) {
        Ok(v) => v,
        Err(e) => return error_page(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    };
    match service.store.requeue_problem(&id, Some(&version)) {
        Ok(_) => {
            service.work.notify_waiters();
            Redirect::to(&format!("/history?problem={id}")).into_response()
        }
        Err(e) => error_page(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_in_utc() {
        assert_eq!(when(0), "1970-01-01 00:00 UTC");
        assert_eq!(when(1_796_000_000_000), "2026-11-30 00:53 UTC");
    }
}
