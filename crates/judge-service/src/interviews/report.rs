//! An interview's report, built from the session's record alone: per problem its result,
//! attempts, time to the first accepted submission, final code and the last submission's
//! report (hidden cases revealed: the interviewer reads it); the timeline; notes. One typed
//! value that the API answers as JSON, the Markdown and the pages are made from.

use judge_core::report::document::Document;
use judge_core::report::markdown::{code_block, code_span, plain};
use judge_core::report::Verdict;
use serde::Serialize;
use utoipa::ToSchema;

use super::super::access::clock;
use super::super::http::ApiError;
use super::super::store::{Interview, InterviewEvent, RecordKind, Status, Submission};
use super::super::Service;

/// The report of one session, as `GET /api/v1/interviews/{id}/report` answers it.
#[derive(Debug, Serialize, ToSchema)]
pub struct InterviewReport {
    pub id: i64,
    /// Each problem of the session, in its order.
    pub problems: Vec<ProblemResult>,
    /// The problems' best scores, summed.
    pub score: i64,
    pub max_score: i64,
    /// The session's length.
    pub minutes: f64,
    /// Whether hidden cases show only their verdicts to the candidate until it is over.
    pub hide_hidden: bool,
    /// The seed its problems were drawn with.
    pub seed: i64,
    /// When the candidate first opened the link (the clock started), in milliseconds since
    /// the Unix epoch; null until then.
    pub started_ms: Option<i64>,
    pub deadline_ms: Option<i64>,
    /// Milliseconds left; 0 once over, null before the start.
    pub remaining_ms: Option<i64>,
    pub over: bool,
    /// Starts, drafts, runs and submissions, oldest first.
    pub timeline: Vec<Moment>,
    pub notes: Vec<Note>,
}

/// How the candidate did on one problem of the session.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemResult {
    pub id: String,
    /// The best submission's points.
    pub score: i64,
    pub max_score: i64,
    /// Whether a submission was accepted.
    pub solved: bool,
    pub runs: usize,
    pub submissions: usize,
    /// When the first accepted submission came, in milliseconds after the start.
    pub first_ac_ms: Option<i64>,
    pub drafts: usize,
    /// The last draft's code.
    pub final_code: Option<String>,
    /// Its language (an id of the languages table).
    pub final_code_language: Option<String>,
    pub last_submission: Option<LastSubmission>,
}

/// A problem's last submission, with its whole report.
#[derive(Debug, Serialize, ToSchema)]
pub struct LastSubmission {
    pub id: i64,
    pub status: Status,
    /// Null until judged, and for a judge error.
    pub verdict: Option<Verdict>,
    pub score: Option<u32>,
    pub language: String,
    /// The `--json` report (docs/report-schema.md), every hidden case shown.
    pub report: Option<Document<'static>>,
}

/// One entry of the timeline: a start, a draft, a run or a submission.
#[derive(Debug, Serialize, ToSchema)]
pub struct Moment {
    /// Its id in the session's record.
    pub id: i64,
    /// When, in milliseconds since the Unix epoch.
    pub at_ms: i64,
    /// When, in milliseconds after the start; null before it.
    pub since_start_ms: Option<i64>,
    pub kind: RecordKind,
    pub problem: Option<String>,
    /// The run's or submission's id.
    pub submission: Option<i64>,
    /// A run's or submission's outcome in one word: its status while being judged, then
    /// its verdict (a run's result), or JE when the judge could not judge it.
    pub outcome: Option<String>,
}

/// An interviewer's note.
#[derive(Debug, Serialize, ToSchema)]
pub struct Note {
    pub at_ms: i64,
    pub text: Option<String>,
}

/// The report of `interview` as its record says now.
pub fn build_report(service: &Service, interview: &Interview) -> Result<InterviewReport, ApiError> {
    let events = service
        .store
        .interview_events(interview.id)
        .map_err(ApiError::internal)?;
    let problems = interview
        .problems
        .iter()
        .map(|id| problem_result(service, interview, &events, id))
        .collect::<Result<Vec<_>, _>>()?;
    let started = interview.started_ms;
    let now = super::super::store::now_ms();
    let timeline = events
        .iter()
        .filter(|e| e.kind != RecordKind::Note)
        .map(|e| Moment {
            id: e.id,
            at_ms: e.at_ms,
            since_start_ms: started.map(|t| e.at_ms - t),
            kind: e.kind,
            problem: e.problem.clone(),
            submission: e.submission_id,
            outcome: e
                .submission_id
                .and_then(|sid| service.store.submission(sid).ok().flatten())
                .map(|s| outcome_of(&s)),
        })
        .collect();
    let notes = events
        .iter()
        .filter(|e| e.kind == RecordKind::Note)
        .map(|e| Note {
            at_ms: e.at_ms,
            text: e.body.clone(),
        })
        .collect();
    Ok(InterviewReport {
        id: interview.id,
        score: problems.iter().map(|p| p.score).sum(),
        max_score: problems.iter().map(|p| p.max_score).sum(),
        problems,
        minutes: interview.seconds as f64 / 60.0,
        hide_hidden: interview.hide_hidden,
        seed: interview.seed,
        started_ms: interview.started_ms,
        deadline_ms: interview.deadline_ms,
        remaining_ms: interview.deadline_ms.map(|d| (d - now).max(0)),
        over: interview.is_over(now),
        timeline,
        notes,
    })
}

/// Problem `id`'s result from the session's record `events`.
fn problem_result(
    service: &Service,
    interview: &Interview,
    events: &[InterviewEvent],
    id: &str,
) -> Result<ProblemResult, ApiError> {
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
            first_ac_ms = interview.started_ms.map(|t| e.at_ms - t);
        }
        last_submission = Some(LastSubmission {
            id: s.id,
            status: s.status,
            verdict,
            score,
            language: s.language,
            report: s.report,
        });
    }
    let max = match judge_core::problem::spec::load(
        &service.bank.resolve(id).map_err(ApiError::internal)?,
    ) {
        Ok(p) => i64::from(p.max_score()),
        Err(_) => best.map_or(0, |(_, m)| m),
    };
    let final_draft = mine.iter().rev().find(|e| e.kind == RecordKind::Draft);
    Ok(ProblemResult {
        id: id.to_string(),
        score: best.map_or(0, |(b, _)| b),
        max_score: max,
        solved: first_ac_ms.is_some(),
        runs,
        submissions,
        first_ac_ms,
        drafts: mine.iter().filter(|e| e.kind == RecordKind::Draft).count(),
        final_code: final_draft.and_then(|e| e.body.clone()),
        // Drafts recorded before they had a language were Rust.
        final_code_language: final_draft.map(|e| {
            e.language
                .clone()
                .unwrap_or_else(|| super::super::intake::DEFAULT_LANGUAGE.to_string())
        }),
        last_submission,
    })
}

/// A run's or submission's outcome in one word: where its judging stands, else its verdict
/// or run result, else JE (the judge could not judge it, or its report does not read).
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

/// A number of minutes as JSON writes it (`45.0`, `0.5`), as the report always said it.
fn minutes(m: f64) -> String {
    serde_json::Number::from_f64(m).map_or_else(|| m.to_string(), |n| n.to_string())
}

/// The report as Markdown. Everything the candidate wrote or made the judge say (its code,
/// a case's message) stays text: code in a fence it cannot close, messages in code spans,
/// other words escaped (`report::markdown`).
pub fn markdown(report: &InterviewReport) -> String {
    use std::fmt::Write as _;
    let mut out = format!("# Mock interview {}\n\n", report.id);
    let _ = writeln!(
        out,
        "- Score: {} of {}\n- Length: {} minutes{}\n",
        report.score,
        report.max_score,
        minutes(report.minutes),
        if report.over { "" } else { " (not over yet)" }
    );
    for p in &report.problems {
        problem_markdown(&mut out, p);
    }
    let _ = writeln!(out, "## Timeline\n");
    for e in &report.timeline {
        let _ = writeln!(
            out,
            "- {} {} {}{}",
            e.since_start_ms.map_or("-".into(), clock),
            plain(e.kind.name()),
            plain(e.problem.as_deref().unwrap_or("")),
            e.outcome
                .as_deref()
                .map_or(String::new(), |o| format!(": {}", plain(o))),
        );
    }
    if !report.notes.is_empty() {
        let _ = writeln!(out, "\n## Interviewer notes\n");
        for n in &report.notes {
            let _ = writeln!(out, "- {}", plain(n.text.as_deref().unwrap_or("")));
        }
    }
    out
}

/// One problem's section of the Markdown report.
fn problem_markdown(out: &mut String, p: &ProblemResult) {
    use std::fmt::Write as _;
    let _ = writeln!(
        out,
        "## {}\n\n- Result: {} of {}{}\n- Attempts: {}, {}\n- First accepted: {}\n",
        plain(&p.id),
        p.score,
        p.max_score,
        if p.solved { ", solved" } else { "" },
        counted(p.runs, "run"),
        counted(p.submissions, "submission"),
        p.first_ac_ms
            .map_or("never".into(), |ms| format!("after {}", clock(ms))),
    );
    if let Some(code) = &p.final_code {
        // The fence's info string is the language's id (rust, python, cpp, java, ...),
        // which Markdown renderers highlight by.
        let language = p.final_code_language.as_deref().unwrap_or("rust");
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
    let last = p
        .last_submission
        .as_ref()
        .and_then(|s| s.report.as_ref())
        .and_then(Document::judging);
    let Some(last) = last else {
        return;
    };
    if let Some(groups) = &last.groups {
        let _ = writeln!(out, "Last submission, every case revealed:\n");
        for g in groups {
            let cases: Vec<String> = g
                .cases
                .iter()
                .map(|c| {
                    let said = c
                        .message
                        .as_deref()
                        .filter(|m| !m.trim().is_empty())
                        .map_or(String::new(), |m| format!(" ({})", code_span(m)));
                    format!("{} {}{said}", plain(&c.name), plain(c.verdict.code()))
                })
                .collect();
            let _ = writeln!(
                out,
                "- group {}: {} / {}: {}",
                plain(&g.name),
                g.score,
                g.max_score,
                cases.join(", ")
            );
        }
        let _ = writeln!(out);
    }
    if let Some(c) = &last.complexity {
        let _ = writeln!(out, "Measured complexity: {}\n", plain(&c.summary));
    } else if let Some(why) = &last.complexity_unavailable {
        let _ = writeln!(out, "Complexity not measured: {}\n", plain(why));
    }
}

/// "1 run", "3 runs": a count with its noun.
pub fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> InterviewReport {
        InterviewReport {
            id: 3,
            problems: vec![ProblemResult {
                id: "t-value".into(),
                score: 100,
                max_score: 100,
                solved: true,
                runs: 2,
                submissions: 1,
                first_ac_ms: Some(754_000),
                drafts: 1,
                final_code: Some("fn f() {}".into()),
                final_code_language: None,
                last_submission: None,
            }],
            score: 100,
            max_score: 200,
            minutes: 45.0,
            hide_hidden: false,
            seed: 1,
            started_ms: Some(0),
            deadline_ms: Some(2_700_000),
            remaining_ms: Some(0),
            over: true,
            timeline: vec![Moment {
                id: 1,
                at_ms: 1000,
                since_start_ms: Some(1000),
                kind: RecordKind::Run,
                problem: Some("t-value".into()),
                submission: Some(4),
                outcome: Some("samples-passed".into()),
            }],
            notes: vec![Note {
                at_ms: 2000,
                text: Some("clear naming".into()),
            }],
        }
    }

    #[test]
    fn the_markdown_report_names_scores_attempts_and_notes() {
        let md = markdown(&report());
        for part in [
            "Score: 100 of 200",
            "Length: 45.0 minutes\n",
            "after 12:34",
            "2 runs, 1 submission",
            "```rust\nfn f() {}",
            "0:01 run t-value: samples-passed",
            "- clear naming",
        ] {
            assert!(md.contains(part), "{part} missing in:\n{md}");
        }
    }

    #[test]
    fn the_last_submission_shows_every_case_and_the_complexity_finding() {
        let text = r#"{"schema":2,"problem":"t-value","mode":"submit","verdict":"WA","score":0,"max_score":100,
            "compile":{"ok":true,"time_ms":1,"cached":false,"stderr":""},
            "groups":[{"name":"basic","verdict":"WA","score":0,"max_score":100,"cases":[
                {"name":"basic-1","verdict":"WA","time_ms":3,"memory_kb":9,"message":"wrong answer: a wrong value at [2]","diff":null,"input":null,"output":null,"withheld":false}]}],
            "samples":[],"warnings":[],"cached":false,"complexity_unavailable":"the machine was too busy"}"#;
        let mut r = report();
        r.problems[0].last_submission = Some(LastSubmission {
            id: 4,
            status: Status::Done,
            verdict: Some(Verdict::WA),
            score: Some(0),
            language: "rust".into(),
            report: Some(Document::parse(text).unwrap()),
        });
        let md = markdown(&r);
        for part in [
            "- group basic: 0 / 100: basic-1 WA (`wrong answer: a wrong value at [2]`)",
            "Complexity not measured: the machine was too busy",
        ] {
            assert!(md.contains(part), "{part} missing in:\n{md}");
        }
    }
}
