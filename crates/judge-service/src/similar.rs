//! Similarity on the service: which people's submissions to a problem look copied from each
//! other (`crate::similarity`: winnowed fingerprints, robust to renaming, reformatting and
//! reordering). Each person counts once, by their latest graded submission, so nobody is
//! compared with their own earlier tries; the problem's stub is code everyone was given and
//! does not count.
//!
//! Two scopes, each as JSON (`/api/v1/...`) and as a page:
//! - a problem's: every user's latest submission; authors and admins only (they read every
//!   submission anyway);
//! - an interviewer's sessions': the candidates of the sessions the caller created (admins
//!   and authors: every session) that include the problem. An interviewer sees only their
//!   own candidates' code, never other users'.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use maud::{html, Markup};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::http::{ApiError, Caller};
use super::openapi::ApiErrorBody;
use super::store::{Submission, User};
use super::web::{api_error_page, page, Viewer};
use super::Service;
use judge_core::languages::Languages;
use judge_core::report::Verdict;
use judge_core::similarity::{self, lexer, Options, Pair, Report};

/// Submissions compared at once, at most (the newest people's): the comparison is quick
/// (500 in well under a second), the page and the answer are what grow.
const MOST_COMPARED: i64 = 2000;
/// Pairs listed when the request does not say.
const DEFAULT_TOP: usize = 20;
/// Pairs listed at most.
const MOST_TOP: usize = 200;
/// Pairs whose shared code a page shows side by side.
const SHOWN_SIDE_BY_SIDE: usize = 5;

pub fn router(service: Arc<Service>) -> Router {
    Router::new()
        .route("/api/v1/problems/{id}/similarity", get(problem_json))
        .route("/api/v1/interviews/similarity", get(interviews_json))
        .route("/problems/{id}/similarity", get(problem_page))
        .route("/interviews/similarity", get(interviews_page))
        .with_state(service)
}

/// The routes of this module in the OpenAPI document (merged into `api::ApiDoc`'s).
#[derive(OpenApi)]
#[openapi(
    paths(problem_json, interviews_json),
    components(schemas(
        SimilarityBody,
        Scope,
        ComparedSubmission,
        Report,
        similarity::Summary,
        similarity::Skipped,
        similarity::Ignored,
        Pair,
        similarity::Region
    ))
)]
pub struct SimilarityDoc;

#[derive(Deserialize, IntoParams)]
pub struct TopQuery {
    /// Pairs listed, best first (default 20, at most 200).
    top: Option<usize>,
}

#[derive(Deserialize, IntoParams)]
pub struct InterviewsQuery {
    /// The problem whose submissions are compared (required).
    problem: Option<String>,
    /// Pairs listed, best first (default 20, at most 200).
    top: Option<usize>,
}

/// A comparison as the API answers it.
#[derive(Serialize, ToSchema)]
pub struct SimilarityBody {
    pub problem: String,
    pub scope: Scope,
    /// The submissions compared, by the name the comparison gives them.
    pub submissions: Vec<ComparedSubmission>,
    /// The comparison (docs/similarity.md): its pairs name submissions as `submissions` does.
    pub comparison: Report,
}

/// Whose submissions are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Every user's latest submission to the problem.
    Problem,
    /// The latest submissions of the caller's interview candidates.
    Interviews,
}

#[derive(Serialize, ToSchema)]
pub struct ComparedSubmission {
    /// `#<id> <user>`: how the comparison's pairs name it.
    pub name: String,
    pub id: i64,
    pub user: String,
    /// Its verdict, when it was judged.
    pub verdict: Option<Verdict>,
    /// The interview whose candidate wrote it (the `interviews` scope).
    pub interview: Option<i64>,
}

/// What was compared: the submissions, their texts as compared, and the report.
struct Compared {
    problem: String,
    scope: Scope,
    submissions: Vec<Submission>,
    texts: Vec<similarity::Submission>,
    /// Submission id -> interview id (the `interviews` scope).
    interviews: HashMap<i64, i64>,
    report: Report,
}

impl Compared {
    fn body(&self) -> SimilarityBody {
        SimilarityBody {
            problem: self.problem.clone(),
            scope: self.scope,
            submissions: self
                .submissions
                .iter()
                .map(|s| ComparedSubmission {
                    name: name(s),
                    id: s.id,
                    user: s.user.clone(),
                    verdict: verdict(s),
                    interview: self.interviews.get(&s.id).copied(),
                })
                .collect(),
            comparison: self.report.clone(),
        }
    }

    /// A compared submission by the name the report gives it.
    fn by_name(&self, name: &str) -> Option<(&Submission, &similarity::Submission)> {
        let i = self.texts.iter().position(|t| t.name == name)?;
        Some((&self.submissions[i], &self.texts[i]))
    }
}

fn name(s: &Submission) -> String {
    format!("#{} {}", s.id, s.user)
}

fn verdict(s: &Submission) -> Option<Verdict> {
    s.report.as_ref()?.judging()?.verdict
}

/// Who may compare a problem's submissions: those who read every submission anyway.
fn may_compare_all(user: &User) -> Result<(), ApiError> {
    if user.role.reads_all() {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "comparing every user's submissions is for authors and admins; an interviewer compares their own candidates' (GET /api/v1/interviews/similarity?problem=...)",
        ))
    }
}

#[utoipa::path(get, path = "/api/v1/problems/{id}/similarity",
    params(("id" = String, Path, description = "a problem id"), TopQuery),
    responses((status = 200, description = "Each user's latest submission to the problem compared with everyone else's, the most similar pairs first", body = SimilarityBody), (status = 403, description = "Not an author or an admin", body = ApiErrorBody), (status = 404, description = "No such problem", body = ApiErrorBody), (status = 401, description = "No token, or not a known one", body = ApiErrorBody)))]
async fn problem_json(
    State(service): State<Arc<Service>>,
    Caller(user): Caller,
    Path(problem): Path<String>,
    Query(q): Query<TopQuery>,
) -> Result<Json<SimilarityBody>, ApiError> {
    may_compare_all(&user)?;
    let compared = by_problem(service, problem, q.top).await?;
    Ok(Json(compared.body()))
}

#[utoipa::path(get, path = "/api/v1/interviews/similarity",
    params(InterviewsQuery),
    responses((status = 200, description = "The caller's interview candidates' latest submissions to the problem compared with each other (admins and authors: every session's)", body = SimilarityBody), (status = 400, description = "No `problem` given", body = ApiErrorBody), (status = 403, description = "Not a role that holds interviews", body = ApiErrorBody), (status = 404, description = "No such problem", body = ApiErrorBody), (status = 401, description = "No token, or not a known one", body = ApiErrorBody)))]
async fn interviews_json(
    State(service): State<Arc<Service>>,
    Caller(user): Caller,
    Query(q): Query<InterviewsQuery>,
) -> Result<Json<SimilarityBody>, ApiError> {
    let compared = by_interviews(service, user, q.problem, q.top).await?;
    Ok(Json(compared.body()))
}

async fn problem_page(
    State(service): State<Arc<Service>>,
    viewer: Viewer,
    Path(problem): Path<String>,
    Query(q): Query<TopQuery>,
) -> Response {
    if let Err(e) = may_compare_all(&viewer.user) {
        return api_error_page(&e);
    }
    match by_problem(service, problem, q.top).await {
        Ok(compared) => shown(&compared, &viewer),
        Err(e) => api_error_page(&e),
    }
}

async fn interviews_page(
    State(service): State<Arc<Service>>,
    viewer: Viewer,
    Query(q): Query<InterviewsQuery>,
) -> Response {
    match by_interviews(service, viewer.user.clone(), q.problem, q.top).await {
        Ok(compared) => shown(&compared, &viewer),
        Err(e) => api_error_page(&e),
    }
}

async fn by_problem(
    service: Arc<Service>,
    problem: String,
    top: Option<usize>,
) -> Result<Compared, ApiError> {
    let base = stubs(&service, &problem)?;
    tokio::task::spawn_blocking(move || {
        let submissions = service
            .store
            .latest_submissions(&problem, MOST_COMPARED)
            .map_err(ApiError::internal)?;
        Ok(compare(
            service.engine.languages(),
            problem,
            Scope::Problem,
            submissions,
            HashMap::new(),
            base,
            top,
        ))
    })
    .await
    .map_err(ApiError::internal)?
}

async fn by_interviews(
    service: Arc<Service>,
    user: User,
    problem: Option<String>,
    top: Option<usize>,
) -> Result<Compared, ApiError> {
    if !user.role.interviews() {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "only a role that holds interviews (interviewer, author, admin) compares its candidates' submissions",
        ));
    }
    let problem = problem.filter(|p| !p.is_empty()).ok_or_else(|| {
        ApiError::field(
            StatusCode::BAD_REQUEST,
            "problem",
            "`?problem=` names the problem whose submissions are compared",
        )
    })?;
    let base = stubs(&service, &problem)?;
    tokio::task::spawn_blocking(move || {
        let sessions = if user.role.reads_all() {
            service.store.all_interviews()
        } else {
            service.store.interviews_by(user.id)
        }
        .map_err(ApiError::internal)?;
        // Candidate -> session, for the sessions that include the problem.
        let candidates: HashMap<i64, i64> = sessions
            .iter()
            .filter(|i| i.problems.contains(&problem))
            .map(|i| (i.candidate_id, i.id))
            .collect();
        let latest = service
            .store
            .latest_submissions(&problem, MOST_COMPARED)
            .map_err(ApiError::internal)?;
        let mut interviews = HashMap::new();
        let mut submissions = Vec::new();
        for s in latest {
            if let Some(&interview) = candidates.get(&s.user_id) {
                interviews.insert(s.id, interview);
                submissions.push(s);
            }
        }
        Ok(compare(
            service.engine.languages(),
            problem,
            Scope::Interviews,
            submissions,
            interviews,
            base,
            top,
        ))
    })
    .await
    .map_err(ApiError::internal)?
}

/// The stubs the problem hands out, one in each language it takes here (each read in its
/// language), as code everyone was given; 404 for no such problem.
fn stubs(service: &Service, problem: &str) -> Result<Vec<similarity::Submission>, ApiError> {
    let loaded = super::intake::Loaded::load(service, problem)?;
    let languages = service.engine.languages();
    Ok(loaded
        .languages(service)
        .into_iter()
        .map(|l| similarity::Submission {
            name: format!("the stub of {problem} in {}", l.name),
            language: tokens_of(languages, &l.id),
            text: loaded.stub(l),
        })
        .filter(|s| !s.text.is_empty())
        .collect())
}

fn compare(
    languages: &Languages,
    problem: String,
    scope: Scope,
    submissions: Vec<Submission>,
    interviews: HashMap<i64, i64>,
    base: Vec<similarity::Submission>,
    top: Option<usize>,
) -> Compared {
    let texts: Vec<similarity::Submission> = submissions
        .iter()
        .map(|s| similarity::Submission {
            name: name(s),
            language: tokens_of(languages, &s.language),
            text: s.source.clone(),
        })
        .collect();
    let options = Options {
        base,
        top: top.unwrap_or(DEFAULT_TOP).clamp(1, MOST_TOP),
        ..Options::default()
    };
    let report = similarity::compare(&texts, &options);
    Compared {
        problem,
        scope,
        submissions,
        texts,
        interviews,
        report,
    }
}

/// How a submission in the language `id` is tokenised: by its first extension (the
/// comparison's lexers know languages by file name), else as Rust.
fn tokens_of(languages: &Languages, id: &str) -> &'static lexer::Language {
    languages
        .get(id)
        .ok()
        .and_then(|l| l.extensions.first())
        .and_then(|ext| lexer::language_for(&format!("solution.{ext}")))
        .unwrap_or(&lexer::RUST)
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
