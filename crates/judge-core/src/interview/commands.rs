//! The commands of a running session: `status`, `run`, `submit` and `end`.

use std::io::Write;
use std::time::Duration;

use super::context::{append, hidden_cap, now_ms, open, output_error, problem_of, Context, Show};
use super::session::{clock, span, Attempt, Event, Session};
use super::{workspace, InterviewError};
use crate::judge::Mode;
use crate::problem::spec;
use crate::report::{Report, Verdict};

fn status_text(session: &Session, now: u64) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let closes = session.closes_ms();
    let _ = if session.is_over(now) {
        writeln!(out, "Session over (closed at {}).", clock(closes))
    } else {
        writeln!(
            out,
            "Time left: {} (closes at {}).",
            span(closes - now),
            clock(closes)
        )
    };
    for st in session.standings() {
        let first = st
            .first_ac_ms
            .map_or(String::new(), |ms| format!("  first AC at {}", span(ms)));
        let _ = writeln!(
            out,
            "  {:<24} {:<11} {:>4}/{:<4} {} submission(s), {} run(s){first}",
            st.picked.id,
            st.state.word(),
            st.best_score,
            st.picked.max_score,
            st.attempts.len(),
            st.runs
        );
    }
    let (score, max) = session.total();
    let _ = writeln!(out, "Score: {score}/{max}");
    out
}

/// Time left, and each problem's state and score.
pub fn status(ctx: &Context, out: &mut dyn Write, show: Show) -> Result<(), InterviewError> {
    let (_, session) = open(ctx)?;
    let terminal = match show {
        Show::Once => {
            return write!(out, "{}", status_text(&session, now_ms())).map_err(output_error)
        }
        Show::Countdown { terminal } => terminal,
    };
    loop {
        let (_, session) = open(ctx)?;
        let now = now_ms();
        if terminal {
            write!(out, "\x1b[H\x1b[2J").map_err(output_error)?;
        }
        write!(out, "{}", status_text(&session, now)).map_err(output_error)?;
        if session.is_over(now) {
            return Ok(());
        }
        let pause = if terminal { 1000 } else { 60_000 };
        let left = session.closes_ms() - now;
        std::thread::sleep(Duration::from_millis(pause.min(left.max(1))));
    }
}

/// Judges the workspace's solution to `id` on the samples (practice), recorded; returns the
/// verdict.
pub fn run(ctx: &Context, out: &mut dyn Write, id: &str) -> Result<Verdict, InterviewError> {
    judge(ctx, out, id, Mode::Run)
}

/// Judges the workspace's solution to `id` on every case, scored and recorded; returns the
/// verdict. A judge error (JE) is shown but never recorded against the candidate.
pub fn submit(ctx: &Context, out: &mut dyn Write, id: &str) -> Result<Verdict, InterviewError> {
    judge(ctx, out, id, Mode::Submit)
}

fn judge(
    ctx: &Context,
    out: &mut dyn Write,
    id: &str,
    mode: Mode,
) -> Result<Verdict, InterviewError> {
    let (dir, session) = open(ctx)?;
    let picked = problem_of(&session, id)?;
    let submitted_ms = now_ms();
    if session.is_over(submitted_ms) {
        return Err(InterviewError::Closed {
            closed_ms: session.closes_ms(),
            mode,
            problem: picked.dir.clone(),
        });
    }
    let file = workspace::solution_path(&dir, id);
    let code = match std::fs::read_to_string(&file) {
        Ok(code) => code,
        Err(source) => return Err(InterviewError::Read { path: file, source }),
    };
    let problem = spec::load(&picked.dir)?;
    let mut report = (ctx.engine)(true)?
        .hidden_details_at_most(hidden_cap(&session))
        .judge_source(&problem, &problem.reference_path(), &code, &file, mode)?;
    if report.verdict == Verdict::JE {
        // Never recorded against the candidate.
        write!(out, "{}", report.to_text(&problem.title)).map_err(output_error)?;
        return Ok(report.verdict);
    }
    let withheld = mode == Mode::Submit && session.start.hide_hidden;
    if withheld {
        withhold_hidden(&mut report);
    }
    let event = match mode {
        Mode::Run => Event::Run {
            problem: id.to_string(),
            at_ms: submitted_ms,
            verdict: report.verdict,
            passed: report
                .samples
                .iter()
                .filter(|c| c.verdict == Verdict::AC)
                .count(),
            samples: problem.samples.len(),
        },
        Mode::Submit => Event::Submit(Box::new(Attempt {
            problem: id.to_string(),
            at_ms: submitted_ms,
            verdict: report.verdict,
            score: report.score,
            max_score: report.max_score,
            code,
            report: report.clone(),
            withheld,
        })),
    };
    append(&dir, event)?;
    write!(out, "{}", report.to_text(&problem.title)).map_err(output_error)?;
    if withheld {
        writeln!(
            out,
            "(hidden cases' details are withheld until the session ends)"
        )
        .map_err(output_error)?;
    }
    // Read back rather than updated in memory: another terminal may have submitted meanwhile.
    let (_, session) = open(ctx)?;
    let st = session.standing(problem_of(&session, id)?);
    let now = now_ms();
    writeln!(
        out,
        "\n{id}: {}, best {}/{}; {}",
        st.state.word(),
        st.best_score,
        st.picked.max_score,
        if session.is_over(now) {
            "the session is over".to_string()
        } else {
            format!("{} left", span(session.closes_ms() - now))
        }
    )
    .map_err(output_error)?;
    Ok(report.verdict)
}

/// Keeps a report's verdicts and scores but not which hidden case failed or how.
fn withhold_hidden(report: &mut Report) {
    for g in &mut report.groups {
        g.cases.clear();
    }
}

/// Closes the session before its deadline.
pub fn end(ctx: &Context, out: &mut dyn Write) -> Result<(), InterviewError> {
    let (dir, session) = open(ctx)?;
    let now = now_ms();
    if session.is_over(now) {
        writeln!(out, "The session closed at {}.", clock(session.closes_ms()))
            .map_err(output_error)?;
    } else {
        append(&dir, Event::End { at_ms: now })?;
        writeln!(out, "Session ended at {}.", clock(now)).map_err(output_error)?;
    }
    let (_, session) = open(ctx)?;
    write!(out, "{}", status_text(&session, now_ms())).map_err(output_error)
}
