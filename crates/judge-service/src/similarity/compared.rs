//! What a comparison is made of: the submissions each scope compares (a problem's latest
//! per user, or an interviewer's candidates') and the comparison itself; who may ask is
//! `access`'.

use std::collections::HashMap;
use std::sync::Arc;

use axum::http::StatusCode;
use judge_core::languages::Languages;
use judge_core::report::Verdict;
use judge_core::similarity::{self, lexer, Options, Report};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::access::{self, Action};
use crate::http::ApiError;
use crate::store::{Submission, User};
use crate::Service;

/// Submissions compared at once, at most (the newest people's): the comparison is quick
/// (500 in well under a second), the page and the answer are what grow.
const MOST_COMPARED: i64 = 2000;
/// Pairs listed when the request does not say.
const DEFAULT_TOP: usize = 20;
/// Pairs listed at most.
const MOST_TOP: usize = 200;

#[derive(Deserialize, IntoParams)]
pub struct TopQuery {
    /// Pairs listed, best first (default 20, at most 200).
    pub(super) top: Option<usize>,
}

#[derive(Deserialize, IntoParams)]
pub struct InterviewsQuery {
    /// The problem whose submissions are compared (required).
    pub(super) problem: Option<String>,
    /// Pairs listed, best first (default 20, at most 200).
    pub(super) top: Option<usize>,
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

/// What was compared: the submissions, their texts as compared, and the report.
pub(super) struct Compared {
    pub(super) problem: String,
    pub(super) scope: Scope,
    pub(super) submissions: Vec<Submission>,
    pub(super) texts: Vec<similarity::Submission>,
    /// Submission id -> interview id (the `interviews` scope).
    pub(super) interviews: HashMap<i64, i64>,
    pub(super) report: Report,
}

impl Compared {
    /// A compared submission by the name the report gives it.
    pub(super) fn by_name(&self, name: &str) -> Option<(&Submission, &similarity::Submission)> {
        let i = self.texts.iter().position(|t| t.name == name)?;
        Some((&self.submissions[i], &self.texts[i]))
    }
}

pub(super) fn name(s: &Submission) -> String {
    format!("#{} {}", s.id, s.user)
}

pub(super) fn verdict(s: &Submission) -> Option<Verdict> {
    s.report.as_ref()?.judging()?.verdict
}

pub(super) async fn by_problem(
    service: Arc<Service>,
    problem: String,
    top: Option<usize>,
) -> Result<Compared, ApiError> {
    let base = stubs(&service, &problem)?;
    tokio::task::spawn_blocking(move || {
        let submissions = service.store.latest_submissions(&problem, MOST_COMPARED)?;
        Ok::<_, ApiError>(compare(
            service.engine.languages(),
            problem,
            Scope::Problem,
            submissions,
            HashMap::new(),
            base,
            top,
        ))
    })
    .await?
}

pub(super) async fn by_interviews(
    service: Arc<Service>,
    user: User,
    problem: Option<String>,
    top: Option<usize>,
) -> Result<Compared, ApiError> {
    access::may(&user, Action::CompareCandidates)?;
    let problem = problem.filter(|p| !p.is_empty()).ok_or_else(|| {
        ApiError::field(
            StatusCode::BAD_REQUEST,
            "problem",
            "`?problem=` names the problem whose submissions are compared",
        )
    })?;
    let base = stubs(&service, &problem)?;
    tokio::task::spawn_blocking(move || {
        let sessions = if access::may(&user, Action::ReadAll).is_ok() {
            service.store.all_interviews()
        } else {
            service.store.interviews_by(user.id)
        }?;
        // Candidate -> session, for the sessions that include the problem.
        let candidates: HashMap<i64, i64> = sessions
            .iter()
            .filter(|i| i.problems.contains(&problem))
            .map(|i| (i.candidate_id, i.id))
            .collect();
        let latest = service.store.latest_submissions(&problem, MOST_COMPARED)?;
        let mut interviews = HashMap::new();
        let mut submissions = Vec::new();
        for s in latest {
            if let Some(&interview) = candidates.get(&s.user_id) {
                interviews.insert(s.id, interview);
                submissions.push(s);
            }
        }
        Ok::<_, ApiError>(compare(
            service.engine.languages(),
            problem,
            Scope::Interviews,
            submissions,
            interviews,
            base,
            top,
        ))
    })
    .await?
}

/// The stubs the problem hands out, one in each language it takes here (each read in its
/// language), as code everyone was given; 404 for no such problem.
fn stubs(service: &Service, problem: &str) -> Result<Vec<similarity::Submission>, ApiError> {
    let loaded = crate::intake::Loaded::load(service, problem)?;
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
