//! The interview pages: the candidate link (a page, then a button that signs in and starts
//! the clock), the candidate's view, and the interviewer's live view, notes, playback and
//! report, all built from the session's record.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use axum_extra::extract::cookie::CookieJar;
use maud::{html, Markup, PreEscaped};

use super::{build_report, counted, for_interviewer, markdown, Access, InterviewReport};
use crate::access::{self, candidate_session, clock, time_left};
use crate::secrets::token_hash;
use crate::session;
use crate::store::{Interview, InterviewEvent, RecordKind, User};
use crate::web::{api_error_page, error_page, language_name, page, Viewer};
use crate::Service;

#[derive(serde::Deserialize)]
pub(super) struct JoinQuery {
    token: String,
}

/// The session a candidate link's token opens, without starting its clock.
fn invited(service: &Service, id: i64, token: &str) -> Option<(User, Interview)> {
    let user = service
        .store
        .user_by_token(&token_hash(token.trim()))
        .ok()
        .flatten()
        .filter(access::in_interview)?;
    let interview = service.store.interview_of_candidate(&user).ok().flatten()?;
    (interview.id == id).then_some((user, interview))
}

const UNKNOWN_LINK: &str = "This interview link is not known.";

/// The candidate link: a page that says what starts when, with a button. Opening it (or a
/// link preview fetching it) neither signs in nor starts the clock; the button does.
pub(super) async fn join_page(
    State(service): State<Arc<Service>>,
    Path(id): Path<i64>,
    Query(q): Query<JoinQuery>,
) -> Response {
    let Some((_, interview)) = invited(&service, id, &q.token) else {
        return error_page(StatusCode::NOT_FOUND, UNKNOWN_LINK);
    };
    let started = interview.started_ms.is_some();
    let body = html! {
        section.join {
            h1 { "Mock interview" }
            p { (interview.problems.len()) " problems, " (clock(interview.seconds * 1000)) " (minutes:seconds)."
                @if interview.hide_hidden { " Hidden cases show their verdicts only until it ends." } }
            @if started {
                p { "The interview has started; time left: " (time_left(&interview)) "." }
            } @else {
                p { "The clock starts when you press Start, and the server's clock decides when it ends." }
            }
            form method="post" action={ "/interviews/" (id) "/join" } {
                input type="hidden" name="token" value=(q.token.trim());
                button.primary type="submit" { @if started { "Continue" } @else { "Start the interview" } }
            }
        }
    };
    page("Mock interview", None, &body).into_response()
}

/// The join page's button: signs this browser in as the session's candidate (the clock
/// starts at the first join) and shows the session. Only from this site's own page, so
/// another site cannot sign a visitor in to a session of its choosing.
pub(super) async fn join(
    State(service): State<Arc<Service>>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    jar: CookieJar,
    Form(form): Form<JoinQuery>,
) -> Response {
    if !session::same_origin(&headers) {
        return error_page(
            StatusCode::FORBIDDEN,
            "An interview is joined from its own page: open the link again.",
        );
    }
    let Some((user, _)) = invited(&service, id, &form.token) else {
        return error_page(StatusCode::NOT_FOUND, UNKNOWN_LINK);
    };
    if let Err(e) = candidate_session(&service, &user) {
        return api_error_page(&e);
    }
    match session::open(&service, &user) {
        Ok(cookie) => (
            jar.add(cookie),
            Redirect::to(&format!("/interviews/{id}/candidate")),
        )
            .into_response(),
        Err(e) => api_error_page(&e.into()),
    }
}

/// The candidate's page: the time left (by the server's clock), the problems and where each
/// stands; each problem opens in the editor.
pub(super) async fn candidate_page(
    State(service): State<Arc<Service>>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Response {
    let interview = match candidate_session(&service, &viewer.user) {
        Ok(Some(i)) if i.id == id => i,
        _ => {
            return error_page(
                StatusCode::NOT_FOUND,
                &format!("There is no interview {id}."),
            )
        }
    };
    let report = match build_report(&service, &interview) {
        Ok(r) => r,
        Err(e) => return api_error_page(&e),
    };
    let remaining = report.remaining_ms.unwrap_or(0);
    let body = html! {
        section.interview data-deadline=[interview.deadline_ms] {
            h1 { "Mock interview" }
            p.countdown role="timer" {
                @if interview.is_over(crate::store::now_ms()) { "Time is up: submissions are closed." }
                @else { "Time left: " span.time-left { (clock(remaining)) } }
            }
            table.problems {
                thead { tr { th { "Problem" } th { "Runs" } th { "Submissions" } th { "Best score" } } }
                tbody {
                    @for p in &report.problems {
                        tr data-problem=(p.id) {
                            td { a href={ "/problems/" (p.id) } { (p.id) } }
                            td { (p.runs) }
                            td { (p.submissions) }
                            td { (p.score) " / " (p.max_score) @if p.solved { " · solved" } }
                        }
                    }
                }
            }
            @if interview.hide_hidden { p.muted { "Hidden cases show their verdicts only until the interview ends." } }
        }
    };
    page("Mock interview", Some(&viewer), &body).into_response()
}

/// The interviewer's live view (the page script reloads it every few seconds): the time
/// left, each problem's latest code, every run and submission with its outcome, notes.
pub(super) async fn watch_page(
    State(service): State<Arc<Service>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<Access>,
) -> Response {
    let (interview, report) = match watched(&service, &headers, id, q.key.as_deref()) {
        Ok(both) => both,
        Err(page) => return *page,
    };
    let key = q.key.clone().unwrap_or_default();
    let body = html! {
        // The page script reloads a live view every few seconds (not while a note is
        // being written); without a script, a reload shows the news.
        section.watch data-live=[(!report.over).then_some("3")] {
            h1 { "Interview " (id) ": live" }
            p.countdown {
                @match (interview.started_ms, report.over) {
                    (None, _) => "The candidate has not opened the link yet.",
                    (_, true) => "Over.",
                    _ => { "Time left: " (clock(report.remaining_ms.unwrap_or(0))) },
                }
                " · score " (report.score) " / " (report.max_score)
            }
            p {
                a href={ "/interviews/" (id) "/report?key=" (key) } { "Report" } " · "
                a href={ "/api/v1/interviews/" (id) "/report?format=markdown&key=" (key) } { "Markdown" } " · "
                a href={ "/api/v1/interviews/" (id) "/report?key=" (key) } { "JSON" }
            }
            @for p in &report.problems {
                @let pid = p.id.as_str();
                section.watched-problem data-problem=(pid) {
                    h2 { (pid) }
                    p { (counted(p.runs, "run")) " · " (counted(p.submissions, "submission")) " · best " (p.score) " / " (p.max_score)
                        " · " a href={ "/interviews/" (id) "/playback?key=" (key) "&problem=" (pid) } { "Playback" } }
                    @if let Some(language) = &p.final_code_language {
                        p.muted { "Final code, in " (language_name(&service, language)) ":" }
                    }
                    pre.code { code { (p.final_code.as_deref().unwrap_or("(no code saved yet)")) } }
                }
            }
            h2 { "Timeline" }
            (timeline(&report))
            h2 { "Notes" }
            ul.notes { @for n in &report.notes { li { (n.text.as_deref().unwrap_or("")) } } }
            form method="post" action={ "/interviews/" (id) "/watch/notes" } {
                input type="hidden" name="key" value=(key);
                label { "A note " textarea name="text" rows="3" {} }
                button type="submit" { "Add the note" }
            }
        }
    };
    page(&format!("Interview {id}"), None, &body).into_response()
}

/// `for_interviewer` for a page: a link that opens nothing is "not found".
fn interviewer_page(
    service: &Service,
    headers: &HeaderMap,
    id: i64,
    key: Option<&str>,
) -> Result<Interview, Box<Response>> {
    for_interviewer(service, headers, id, key).map_err(|e| {
        Box::new(if e.status.is_server_error() {
            api_error_page(&e)
        } else {
            error_page(StatusCode::NOT_FOUND, &e.message)
        })
    })
}

/// The session for its interviewer's page, with its report so far.
fn watched(
    service: &Service,
    headers: &HeaderMap,
    id: i64,
    key: Option<&str>,
) -> Result<(Interview, InterviewReport), Box<Response>> {
    let interview = interviewer_page(service, headers, id, key)?;
    let report = build_report(service, &interview).map_err(|e| Box::new(api_error_page(&e)))?;
    Ok((interview, report))
}

fn timeline(report: &InterviewReport) -> Markup {
    html! {
        table.timeline {
            thead { tr { th { "At" } th { "What" } th { "Problem" } th { "Outcome" } } }
            tbody {
                @for e in &report.timeline {
                    tr data-kind=(e.kind.name()) {
                        td { (e.since_start_ms.map_or("-".into(), clock)) }
                        td { (e.kind.name()) }
                        td { (e.problem.as_deref().unwrap_or("")) }
                        td { (e.outcome.as_deref().unwrap_or("")) }
                    }
                }
            }
        }
    }
}

#[derive(serde::Deserialize)]
pub(super) struct NoteForm {
    key: String,
    text: String,
}

pub(super) async fn note_form(
    State(service): State<Arc<Service>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<NoteForm>,
) -> Response {
    // The key is the secret of this form: a cross-site page does not know it.
    let interview = match interviewer_page(&service, &headers, id, Some(&form.key)) {
        Ok(i) => i,
        Err(page) => return *page,
    };
    let text = form.text.trim();
    if !text.is_empty() && text.len() <= 16 << 10 {
        if let Err(e) = service
            .store
            .record(interview.id, RecordKind::Note, None, Some(text), None)
        {
            return api_error_page(&e.into());
        }
    }
    Redirect::to(&format!("/interviews/{id}/watch?key={}", form.key)).into_response()
}

/// Playback: every saved draft of a problem in order, one at a time, with the runs and
/// submissions up to that moment.
pub(super) async fn playback_page(
    State(service): State<Arc<Service>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<Access>,
) -> Response {
    let interview = match interviewer_page(&service, &headers, id, q.key.as_deref()) {
        Ok(i) => i,
        Err(page) => return *page,
    };
    let problem = q
        .problem
        .clone()
        .or_else(|| interview.problems.first().cloned())
        .unwrap_or_default();
    let events = service.store.interview_events(id).unwrap_or_default();
    let drafts: Vec<&InterviewEvent> = events
        .iter()
        .filter(|e| e.kind == RecordKind::Draft && e.problem.as_deref() == Some(&problem))
        .collect();
    let at = q.at.unwrap_or(drafts.len()).clamp(1, drafts.len().max(1));
    let shown = drafts.get(at - 1);
    let until = shown.map_or(i64::MAX, |d| d.at_ms);
    let start = interview.started_ms.unwrap_or(0);
    let key = q.key.clone().unwrap_or_default();
    let body = html! {
        section.playback {
            h1 { "Playback: " (problem) }
            @if drafts.is_empty() {
                p { "No draft of this problem was saved." }
            } @else {
                form method="get" action={ "/interviews/" (id) "/playback" } {
                    input type="hidden" name="key" value=(key);
                    input type="hidden" name="problem" value=(problem);
                    label { "Draft " (at) " of " (drafts.len())
                        input #at type="range" name="at" min="1" max=(drafts.len()) value=(at); }
                    button type="submit" { "Show" }
                }
                p.muted { "Saved at " (clock(until - start)) " into the session." }
                pre.code { code { (shown.and_then(|d| d.body.as_deref()).unwrap_or("")) } }
                h2 { "Runs and submissions until then" }
                ul {
                    @for e in events.iter().filter(|e| e.problem.as_deref() == Some(&problem) && e.submission_id.is_some() && e.at_ms <= until) {
                        li { (clock(e.at_ms - start)) " " (e.kind) " #" (e.submission_id.unwrap_or(0)) }
                    }
                }
            }
            p { a href={ "/interviews/" (id) "/watch?key=" (key) } { "Back to the live view" } }
        }
    };
    page("Playback", None, &body).into_response()
}

/// The report as a page.
pub(super) async fn report_page(
    State(service): State<Arc<Service>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<Access>,
) -> Response {
    let (_, report) = match watched(&service, &headers, id, q.key.as_deref()) {
        Ok(both) => both,
        Err(page) => return *page,
    };
    let html = crate::web::markdown(&markdown(&report));
    page(
        &format!("Interview {id} report"),
        None,
        &html! { article.report-page { (PreEscaped(html)) } },
    )
    .into_response()
}
