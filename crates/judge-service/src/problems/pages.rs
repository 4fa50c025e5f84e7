//! A problem's pages: the problem with its statement and editor (`workspace`), and an
//! author's rejudge form (from the history page).

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::html;

use super::rejudge::{self, RejudgeError};
use crate::document::problem_document;
use crate::intake::Loaded;
use crate::web::report::trusted;
use crate::web::workspace;
use crate::web::{api_error_page, error_page, form_ok, markdown, page, CsrfForm, Viewer};
use crate::Service;

#[derive(serde::Deserialize, Default)]
pub(super) struct ProblemQuery {
    /// The editor's language (a languages table id); else the newest draft's, else Rust.
    language: Option<String>,
}

/// A problem's page: its statement and the editor (with an interview's clock, for its
/// candidate).
pub(super) async fn problem(
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
        Err(e) => return api_error_page(&e),
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
                    Ok(Err(e)) => return api_error_page(&e),
                    Err(e) => return api_error_page(&e.into()),
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

/// An author's rejudge from the history page: every judged submission of the problem
/// queued again.
pub(super) async fn rejudge(
    State(service): State<Arc<Service>>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    if let Err(page) = form_ok(&viewer, &form) {
        return *page;
    }
    match rejudge::rejudge(&service, &viewer.user, &id) {
        Ok(_) => Redirect::to(&format!("/history?problem={id}")).into_response(),
        Err(RejudgeError::Refused(_)) => {
            error_page(StatusCode::FORBIDDEN, "Only authors and admins rejudge.")
        }
        Err(RejudgeError::NoProblem(_)) => {
            error_page(StatusCode::NOT_FOUND, &format!("There is no problem {id}."))
        }
        Err(e) => api_error_page(&e.into()),
    }
}
