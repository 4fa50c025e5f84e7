//! Similarity as JSON: a problem's comparison and an interviewer's candidates', with the
//! bodies the OpenAPI document describes.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::Json;
use judge_core::report::Verdict;
use judge_core::similarity::{self, Pair, Report};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use super::compared::{
    by_interviews, by_problem, name, verdict, Compared, InterviewsQuery, Scope, TopQuery,
};
use crate::access::{self, Action};
use crate::http::{ApiError, Caller};
use crate::openapi::ApiErrorBody;
use crate::Service;

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

impl From<&Compared> for SimilarityBody {
    fn from(compared: &Compared) -> SimilarityBody {
        SimilarityBody {
            problem: compared.problem.clone(),
            scope: compared.scope,
            submissions: compared
                .submissions
                .iter()
                .map(|s| ComparedSubmission {
                    name: name(s),
                    id: s.id,
                    user: s.user.clone(),
                    verdict: verdict(s),
                    interview: compared.interviews.get(&s.id).copied(),
                })
                .collect(),
            comparison: compared.report.clone(),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/problems/{id}/similarity",
    params(("id" = String, Path, description = "a problem id"), TopQuery),
    responses((status = 200, description = "Each user's latest submission to the problem compared with everyone else's, the most similar pairs first", body = SimilarityBody), (status = 403, description = "Not an author or an admin", body = ApiErrorBody), (status = 404, description = "No such problem", body = ApiErrorBody), (status = 401, description = "No token, or not a known one", body = ApiErrorBody)))]
pub(super) async fn problem_json(
    State(service): State<Arc<Service>>,
    Caller(user): Caller,
    Path(problem): Path<String>,
    Query(q): Query<TopQuery>,
) -> Result<Json<SimilarityBody>, ApiError> {
    access::may(&user, Action::CompareAll)?;
    let compared = by_problem(service, problem, q.top).await?;
    Ok(Json(SimilarityBody::from(&compared)))
}

#[utoipa::path(get, path = "/api/v1/interviews/similarity",
    params(InterviewsQuery),
    responses((status = 200, description = "The caller's interview candidates' latest submissions to the problem compared with each other (admins and authors: every session's)", body = SimilarityBody), (status = 400, description = "No `problem` given", body = ApiErrorBody), (status = 403, description = "Not a role that holds interviews", body = ApiErrorBody), (status = 404, description = "No such problem", body = ApiErrorBody), (status = 401, description = "No token, or not a known one", body = ApiErrorBody)))]
pub(super) async fn interviews_json(
    State(service): State<Arc<Service>>,
    Caller(user): Caller,
    Query(q): Query<InterviewsQuery>,
) -> Result<Json<SimilarityBody>, ApiError> {
    let compared = by_interviews(service, user, q.problem, q.top).await?;
    Ok(Json(SimilarityBody::from(&compared)))
}
