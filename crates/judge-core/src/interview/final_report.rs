//! `report`: the session written as report.md and report.html, with the hidden cases of
//! withheld final attempts revealed and, when asked for, each final attempt's growth
//! measured, once the session is over.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

use super::context::{hidden_cap, now_ms, open, output_error, Context};
use super::render::{self, Measured};
use super::session::{Attempt, Session};
use super::{ComplexityOptions, InterviewError};
use crate::judge::{JudgeError, Mode};
use crate::problem::spec;
use crate::report::Report;

/// Writes report.md and report.html into `folder` (default: the workspace). With
/// `complexity`, once the session is over, each problem's final submission is also measured
/// against the reference (`judge complexity`) within those bounds, for the interviewer.
pub fn report(
    ctx: &Context,
    out: &mut dyn Write,
    folder: Option<PathBuf>,
    complexity: Option<ComplexityOptions>,
) -> Result<(), InterviewError> {
    let (dir, session) = open(ctx)?;
    let now = now_ms();
    let revealed = if session.is_over(now) {
        reveal(ctx, &session)?
    } else {
        HashMap::new()
    };
    let measured = match complexity {
        Some(options) if session.is_over(now) => measure(ctx, out, &session, &options)?,
        Some(_) => {
            writeln!(
                out,
                "note: growth is measured once the session is over; the report has none yet"
            )
            .map_err(output_error)?;
            HashMap::new()
        }
        None => HashMap::new(),
    };
    let view = render::View {
        now_ms: now,
        revealed: &revealed,
        measured: &measured,
    };
    let folder = folder.unwrap_or(dir);
    if let Err(source) = std::fs::create_dir_all(&folder) {
        return Err(InterviewError::CreateDir {
            path: folder,
            source,
        });
    }
    // Both files are written before either is announced: a reader that stops early (`| head`)
    // may end the judge at the first line, which must not cost the report its second file.
    let mut written = Vec::new();
    let mut result = Ok(());
    for (name, text) in [
        ("report.md", render::markdown(&session, &view)),
        ("report.html", render::html(&session, &view)),
    ] {
        let path = folder.join(name);
        if let Err(source) = std::fs::write(&path, text) {
            result = Err(InterviewError::Write { path, source });
            break;
        }
        written.push(path);
    }
    for path in written {
        writeln!(out, "wrote {}", path.display()).map_err(output_error)?;
    }
    result
}

/// Each problem's final attempt, measured against the reference (a problem without a
/// generator has nothing to measure on, and is said to have none); keyed by problem id.
fn measure(
    ctx: &Context,
    out: &mut dyn Write,
    session: &Session,
    options: &ComplexityOptions,
) -> Result<HashMap<String, Measured>, InterviewError> {
    let attempts: Vec<&Attempt> = session.attempts().collect();
    let mut measured = HashMap::new();
    let mut engine = None;
    for picked in &session.start.problems {
        let Some(last) = attempts.iter().rev().find(|a| a.problem == picked.id) else {
            continue;
        };
        let problem = spec::load(&picked.dir)?;
        if engine.is_none() {
            engine = Some((ctx.engine)(false)?);
        }
        let engine = engine.as_ref().expect("made above");
        writeln!(
            out,
            "measuring {} (up to {} s)...",
            picked.id,
            options.budget.as_secs()
        )
        .map_err(output_error)?;
        let file = PathBuf::from(format!("{}.rs", picked.id));
        let result = engine.complexity(
            &problem,
            &problem.reference_path(),
            &last.code,
            &file,
            options,
        );
        let entry = match result {
            Ok(c) => Measured::Found(Box::new(c)),
            Err(e @ JudgeError::NoGenerator { .. }) => Measured::Unavailable(e.to_string()),
            Err(e) => return Err(e.into()),
        };
        measured.insert(picked.id.clone(), entry);
    }
    Ok(measured)
}

/// Once the session is over, each problem's final attempt whose hidden cases were withheld
/// is judged again (its build is cached) so the report can show them; keyed by attempt index.
fn reveal(ctx: &Context, session: &Session) -> Result<HashMap<usize, Report>, InterviewError> {
    let attempts: Vec<&Attempt> = session.attempts().collect();
    let mut revealed = HashMap::new();
    let mut engine = None;
    for picked in &session.start.problems {
        let Some(i) = attempts.iter().rposition(|a| a.problem == picked.id) else {
            continue;
        };
        if !attempts[i].withheld {
            continue;
        }
        let problem = spec::load(&picked.dir)?;
        if engine.is_none() {
            engine = Some((ctx.engine)(false)?.hidden_details_at_most(hidden_cap(session)));
        }
        let engine = engine.as_ref().expect("made above");
        let file = PathBuf::from(format!("{}.rs", picked.id));
        let report = engine.judge_source(
            &problem,
            &problem.reference_path(),
            &attempts[i].code,
            &file,
            Mode::Submit,
        )?;
        revealed.insert(i, report);
    }
    Ok(revealed)
}
