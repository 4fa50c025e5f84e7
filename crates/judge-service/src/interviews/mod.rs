//! Mock interviews on the service: an interviewer creates a session (problems picked or
//! drawn, a length, hidden details hidden until the end); the candidate's link signs in a
//! user of that session alone (role interviewee), whose clock starts when it first opens
//! the link; the interviewer's link (a key of its own) shows the candidate's code as it is
//! saved, each run and submission, notes, a playback of every draft, and the report.
//!
//! The deadline is the server's: a submission or a draft after it is refused whatever the
//! browser's clock says. Everything the candidate does is appended to the session's record
//! (`store::interviews`), never rewritten, and the report is built from the record alone.

mod pages;

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use super::access::clock;
use super::http::{ApiError, Caller};
use super::store::{Interview, InterviewEvent, NewInterview, RecordKind, Status, Submission};
use super::{new_token, token_hash, Service};
use judge_core::interview::Choice;
use judge_core::report::document::Document;
use judge_core::report::markdown::{code_block, code_span, plain};
use judge_core::report::Verdict;

pub fn router(service: Arc<Service>) -> Router {
    Router::new()
        .route("/api/v1/interviews", post(create))
        .route("/api/v1/interviews/{id}", get(state))
        .route("/api/v1/interviews/{id}/notes", post(note))
        .route("/api/v1/interviews/{id}/report", get(report))
        .route(
            "/interviews/{id}/join",
            get(pages::join_page).post(pages::join),
        )
        .route("/interviews/{id}/candidate", get(pages::candidate_page))
        .route("/interviews/{id}/watch", get(pages::watch_page))
        .route("/interviews/{id}/watch/notes", post(pages::note_form))
        .route("/interviews/{id}/playback", get(pages::playback_page))
        .route("/interviews/{id}/report", get(pages::report_page))
        .with_state(service)
}

/// The longest session.
const MAX_MINUTES: f64 = 24.0 * 60.0;

#[derive(serde::Deserialize)]
struct NewSession {
    #[serde(default)]
    pick: Vec<String>,
    #[serde(default = "two")]
    count: usize,
    difficulty: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    seed: Option<u64>,
    minutes: f64,
    #[serde(default)]
    hide_hidden: bool,
    /// Every submission of the candidate is measured against the reference (its report's
    /// `complexity` section), for the interviewer's report.
    #[serde(default)]
    complexity: bool,
}

fn two() -> usize {
    2
}

/// `POST /api/v1/interviews`: a new session; 201 with the candidate's and the
/// interviewer's links (each holds its secret, shown this once).
async fn create(
    State(service): State<Arc<Service>>,
    Caller(user): Caller,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    if !user.role.interviews() {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "only interviewers, authors and admins create interviews",
        ));
    }
    let new: NewSession = serde_json::from_slice(&body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("the body is not a session: {e}"),
        )
    })?;
    if !(new.minutes > 0.0 && new.minutes <= MAX_MINUTES) {
        return Err(ApiError::field(
            StatusCode::BAD_REQUEST,
            "minutes",
            format!(
                "`minutes` must be more than 0 and at most {MAX_MINUTES}, not {}",
                new.minutes
            ),
        ));
    }
    let choice = Choice {
        pick: new.pick,
        count: new.count,
        difficulty: new.difficulty,
        tags: new.tags,
        seed: new.seed,
    };
    let (chosen, seed) = judge_core::interview::choose(&service.bank, &choice)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.to_string()))?;
    let problems: Vec<String> = chosen.iter().map(|(_, p)| p.id.clone()).collect();
    let (candidate_token, candidate_hash) = new_token().map_err(ApiError::internal)?;
    let (watch_key, watch_hash) = new_token().map_err(ApiError::internal)?;
    let id = service
        .store
        .create_interview(&NewInterview {
            interviewer: &user,
            problems: &problems,
            seconds: (new.minutes * 60.0).round() as i64,
            hide_hidden: new.hide_hidden,
            complexity: new.complexity,
            seed: seed as i64,
            candidate_name: &format!("interviewee-{}", &candidate_hash[..12]),
            candidate_token_hash: &candidate_hash,
            watch_hash: &watch_hash,
        })
        .map_err(ApiError::internal)?;
    // Absolute links only on the address the operator configured: a request's Host is
    // whatever the client wrote, and an invitation built on it could send the candidate's
    // secret to another site.
    let candidate_path = format!("/interviews/{id}/join?token={candidate_token}");
    let interviewer_path = format!("/interviews/{id}/watch?key={watch_key}");
    let mut body = json!({
        "id": id,
        "problems": problems,
        "minutes": new.minutes,
        "hide_hidden": new.hide_hidden,
        "complexity": new.complexity,
        "seed": seed,
        "candidate_path": candidate_path,
        "interviewer_path": interviewer_path,
        "candidate_url": service.reach.link(&candidate_path),
        "interviewer_url": service.reach.link(&interviewer_path),
    });
    if service.reach.public_url.is_none() {
        body["links"] = json!(super::reach::NO_PUBLIC_URL);
    }
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

#[derive(serde::Deserialize, Default)]
struct Access {
    key: Option<String>,
    format: Option<String>,
    problem: Option<String>,
    at: Option<usize>,
}

/// The session `id` for its interviewer: the link's key, or the bearer token of the user who
/// created it (or an author or admin).
fn for_interviewer(
    service: &Service,
    headers: &HeaderMap,
    id: i64,
    key: Option<&str>,
) -> Result<Interview, ApiError> {
    let not_found = || ApiError::new(StatusCode::NOT_FOUND, format!("no interview {id}"));
    if let Some(key) = key {
        return match service.store.interview_by_watch_key(&token_hash(key)) {
            Ok(Some(i)) if i.id == id => Ok(i),
            Ok(_) => Err(not_found()),
            Err(e) => Err(ApiError::internal(e)),
        };
    }
    let user = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .and_then(|t| {
            service
                .store
                .user_by_token(&token_hash(t.trim()))
                .ok()
                .flatten()
        })
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "the interviewer link's key (?key=) or the creator's bearer token is required",
            )
        })?;
    let interview = service
        .store
        .interview(id)
        .map_err(ApiError::internal)?
        .ok_or_else(not_found)?;
    if interview.interviewer_id == user.id || user.role.reads_all() {
        Ok(interview)
    } else {
        Err(not_found())
    }
}

/// `GET /api/v1/interviews/{id}`: the session as its interviewer sees it now.
async fn state(
    State(service): State<Arc<Service>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<Access>,
) -> Result<Json<Value>, ApiError> {
    let interview = for_interviewer(&service, &headers, id, q.key.as_deref())?;
    Ok(Json(build_report(&service, &interview)?))
}

#[derive(serde::Deserialize)]
struct NoteBody {
    text: String,
}

/// `POST /api/v1/interviews/{id}/notes` `{text}`: an interviewer's note, appended.
async fn note(
    State(service): State<Arc<Service>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<Access>,
    Json(body): Json<NoteBody>,
) -> Result<Json<Value>, ApiError> {
    let interview = for_interviewer(&service, &headers, id, q.key.as_deref())?;
    let text = body.text.trim();
    if text.is_empty() || text.len() > 16 << 10 {
        return Err(ApiError::field(
            StatusCode::BAD_REQUEST,
            "text",
            "a note has between 1 and 16384 bytes",
        ));
    }
    let note = service
        .store
        .record(interview.id, RecordKind::Note, None, Some(text), None)
        .map_err(ApiError::internal)?;
    Ok(Json(json!({ "id": note })))
}

/// `GET /api/v1/interviews/{id}/report` (`?format=markdown` for Markdown): the report,
/// built from the record alone.
async fn report(
    State(service): State<Arc<Service>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<Access>,
) -> Result<Response, ApiError> {
    let interview = for_interviewer(&service, &headers, id, q.key.as_deref())?;
    let report = build_report(&service, &interview)?;
    if q.format.as_deref() == Some("markdown") {
        return Ok((
            [(
                axum::http::header::CONTENT_TYPE,
                "text/markdown; charset=utf-8",
            )],
            markdown(&report),
        )
            .into_response());
    }
    Ok(Json(report).into_response())
}

/// The report: per problem its result, attempts, time to the first accepted submission,
/// final code and last submission's report (hidden cases revealed); the timeline; notes.
fn build_report(service: &Service, interview: &Interview) -> Result<Value, ApiError> {
    let events = service
        .store
        .interview_events(interview.id)
        .map_err(ApiError::internal)?;
    let started = interview.started_ms;
    let mut problems = Vec::new();
    let (mut score, mut max_score) = (0i64, 0i64);
    for id in &interview.problems {
        let mine: Vec<&InterviewEvent> = events
            .iter()
            .filter(|e| e.problem.as_deref() == Some(id))
            .collect();
        let mut best: Option<(i64, i64)> = None;
        let mut first_ac_ms = None;
        let mut last_submission = None;
        let (mut runs, mut submissions) = (0, 0);
        for e in &mine {
            let Some(sid) = e.submission_id else { continue };
            if e.kind == RecordKind::Run {
                runs += 1;
                continue;
            }
            submissions += 1;
            let Ok(Some(s)) = service.store.submission(sid) else {
                continue;
            };
            let judged = s.report.as_ref().and_then(Document::judging);
            let verdict = judged.and_then(|r| r.verdict);
            let score = judged.and_then(|r| r.score);
            if let (Some(got), Some(max)) = (score, judged.and_then(|r| r.max_score)) {
                let got = i64::from(got);
                if best.is_none_or(|(b, _)| got > b) {
                    best = Some((got, i64::from(max)));
                }
            }
            if verdict == Some(Verdict::AC) && first_ac_ms.is_none() {
                first_ac_ms = started.map(|t| e.at_ms - t);
            }
            last_submission = Some(json!({
                "id": s.id, "status": s.status, "verdict": verdict,
                "score": score, "language": s.language, "report": s.report,
            }));
        }
        let max = match judge_core::problem::spec::load(
            &service.bank.resolve(id).map_err(ApiError::internal)?,
        ) {
            Ok(p) => i64::from(p.max_score()),
            Err(_) => best.map_or(0, |(_, m)| m),
        };
        score += best.map_or(0, |(b, _)| b);
        max_score += max;
        let final_draft = mine.iter().rev().find(|e| e.kind == RecordKind::Draft);
        let final_code = final_draft.and_then(|e| e.body.clone());
        // Drafts recorded before they had a language were Rust.
        let final_language = final_draft.map(|e| {
            e.language
                .clone()
                .unwrap_or_else(|| super::intake::DEFAULT_LANGUAGE.to_string())
        });
        problems.push(json!({
            "id": id,
            "score": best.map_or(0, |(b, _)| b),
            "max_score": max,
            "solved": first_ac_ms.is_some(),
            "runs": runs,
            "submissions": submissions,
            "first_ac_ms": first_ac_ms,
            "drafts": mine.iter().filter(|e| e.kind == RecordKind::Draft).count(),
            "final_code": final_code,
            "final_code_language": final_language,
            "last_submission": last_submission,
        }));
    }
    let now = super::store::now_ms();
    let timeline: Vec<Value> = events
        .iter()
        .filter(|e| e.kind != RecordKind::Note)
        .map(|e| {
            let verdict = e
                .submission_id
                .and_then(|sid| service.store.submission(sid).ok().flatten())
                .map(|s| outcome_of(&s));
            json!({
                "id": e.id, "at_ms": e.at_ms,
                "since_start_ms": started.map(|t| e.at_ms - t),
                "kind": e.kind, "problem": e.problem, "submission": e.submission_id,
                "outcome": verdict,
            })
        })
        .collect();
    let notes: Vec<Value> = events
        .iter()
        .filter(|e| e.kind == RecordKind::Note)
        .map(|e| json!({ "at_ms": e.at_ms, "text": e.body }))
        .collect();
    Ok(json!({
        "id": interview.id,
        "problems": problems,
        "score": score,
        "max_score": max_score,
        "minutes": interview.seconds as f64 / 60.0,
        "hide_hidden": interview.hide_hidden,
        "seed": interview.seed,
        "started_ms": interview.started_ms,
        "deadline_ms": interview.deadline_ms,
        "remaining_ms": interview.deadline_ms.map(|d| (d - now).max(0)),
        "over": interview.is_over(now),
        "timeline": timeline,
        "notes": notes,
    }))
}

fn outcome_of(s: &Submission) -> String {
    if s.status != Status::Done {
        return s.status.name().to_string();
    }
    s.report
        .as_ref()
        .and_then(Document::outcome)
        .unwrap_or("JE")
        .to_string()
}

/// The report as Markdown. Everything the candidate wrote or made the judge say (its code,
/// a case's message) stays text: code in a fence it cannot close, messages in code spans,
/// other words escaped (`report::markdown`).
pub fn markdown(report: &Value) -> String {
    use std::fmt::Write as _;
    let text = |v: &Value| plain(v.as_str().unwrap_or(""));
    let mut out = format!("# Mock interview {}\n\n", report["id"]);
    let _ = writeln!(
        out,
        "- Score: {} of {}\n- Length: {} minutes{}\n",
        report["score"],
        report["max_score"],
        report["minutes"],
        if report["over"] == true {
            ""
        } else {
            " (not over yet)"
        }
    );
    for p in report["problems"].as_array().into_iter().flatten() {
        let _ = writeln!(
            out,
            "## {}\n\n- Result: {} of {}{}\n- Attempts: {}, {}\n- First accepted: {}\n",
            text(&p["id"]),
            p["score"],
            p["max_score"],
            if p["solved"] == true { ", solved" } else { "" },
            counted(&p["runs"], "run"),
            counted(&p["submissions"], "submission"),
            p["first_ac_ms"]
                .as_i64()
                .map_or("never".into(), |ms| format!("after {}", clock(ms))),
        );
        if let Some(code) = p["final_code"].as_str() {
            // The fence's info string is the language's id (rust, python, cpp, java, ...),
            // which Markdown renderers highlight by.
            let language = p["final_code_language"].as_str().unwrap_or("rust");
            let language = if language
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                language
            } else {
                ""
            };
            let _ = writeln!(out, "Final code:\n\n{}", code_block(language, code));
        }
        let last = &p["last_submission"]["report"];
        if let Some(groups) = last["groups"].as_array() {
            let _ = writeln!(out, "Last submission, every case revealed:\n");
            for g in groups {
                let cases: Vec<String> = g["cases"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|c| {
                        let said = c["message"]
                            .as_str()
                            .filter(|m| !m.trim().is_empty())
                            .map_or(String::new(), |m| format!(" ({})", code_span(m)));
                        format!("{} {}{said}", text(&c["name"]), text(&c["verdict"]))
                    })
                    .collect();
                let _ = writeln!(
                    out,
                    "- group {}: {} / {}: {}",
                    text(&g["name"]),
                    g["score"],
                    g["max_score"],
                    cases.join(", ")
                );
            }
            let _ = writeln!(out);
        }
        if let Some(summary) = last["complexity"]["summary"].as_str() {
            let _ = writeln!(out, "Measured complexity: {}\n", plain(summary));
        } else if let Some(why) = last["complexity_unavailable"].as_str() {
            let _ = writeln!(out, "Complexity not measured: {}\n", plain(why));
        }
    }
    let _ = writeln!(out, "## Timeline\n");
    for e in report["timeline"].as_array().into_iter().flatten() {
        let _ = writeln!(
            out,
            "- {} {} {}{}",
            e["since_start_ms"].as_i64().map_or("-".into(), clock),
            text(&e["kind"]),
            text(&e["problem"]),
            e["outcome"]
                .as_str()
                .map_or(String::new(), |o| format!(": {}", plain(o))),
        );
    }
    let notes = report["notes"].as_array().filter(|n| !n.is_empty());
    if let Some(notes) = notes {
        let _ = writeln!(out, "\n## Interviewer notes\n");
        for n in notes {
            let _ = writeln!(out, "- {}", text(&n["text"]));
        }
    }
    out
}

/// "1 run", "3 runs": a count with its noun.
fn counted(n: &Value, noun: &str) -> String {
    let n = n.as_i64().unwrap_or(0);
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_markdown_report_names_scores_attempts_and_notes() {
        let report = json!({
            "id": 3, "score": 100, "max_score": 200, "minutes": 45.0, "over": true,
            "problems": [{"id": "t-value", "score": 100, "max_score": 100, "solved": true,
                "runs": 2, "submissions": 1, "first_ac_ms": 754_000, "final_code": "fn f() {}"}],
            "timeline": [{"since_start_ms": 1000, "kind": "run", "problem": "t-value", "outcome": "samples-passed"}],
            "notes": [{"text": "clear naming"}]
        });
        let md = markdown(&report);
        for part in [
            "Score: 100 of 200",
            "after 12:34",
            "2 runs, 1 submission",
            "```rust\nfn f() {}",
            "0:01 run t-value: samples-passed",
            "- clear naming",
        ] {
            assert!(md.contains(part), "{part} missing in:\n{md}");
        }
    }
}
