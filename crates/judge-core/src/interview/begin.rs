//! A new session: its problems drawn or picked, the workspace made, the clock started.

use std::io::Write;
use std::path::PathBuf;

use super::context::{hidden_cap_of, json_error, now_ms, output_error, Context};
use super::session::{self, clock, Event, Picked, Start};
use super::{journal, workspace, InterviewError};
use crate::judge::Engine;
use crate::problem::bank::Bank;
use crate::problem::spec::{self, Problem};

/// Which problems a new session draws: `pick` names them; otherwise `count` are drawn by
/// `seed` (default: the clock) among those of `difficulty` carrying every one of `tags`.
pub struct Choice {
    pub pick: Vec<String>,
    pub count: usize,
    pub difficulty: Option<String>,
    pub tags: Vec<String>,
    pub seed: Option<u64>,
}

/// The interviewer's two settings for hidden cases: their details hidden until the session
/// ends (`hide_hidden`), or their verdicts alone shown, for good (`verdicts_only`).
pub struct Withholding {
    pub hide_hidden: bool,
    pub verdicts_only: bool,
}

/// A new session.
pub struct Plan {
    pub choice: Choice,
    /// Its length (more than 0, at most a day).
    pub minutes: f64,
    /// The workspace folder to create (new or empty).
    pub dir: PathBuf,
    pub withholding: Withholding,
}

/// The problems of a new session, loaded, and the seed that drew them.
/// The problems `choice` names or draws from the bank, with the seed drawn by.
pub fn choose(
    bank: &Bank,
    choice: &Choice,
) -> Result<(Vec<(PathBuf, Problem)>, u64), InterviewError> {
    let seed = choice.seed.unwrap_or_else(now_ms);
    let mut dirs = Vec::new();
    if choice.pick.is_empty() {
        let mut matching = Vec::new();
        for id in bank.ids() {
            let dir = bank.problems_dir().join(&id);
            // Interviews are of function problems: a bank's Kattis packages are not drawn.
            if crate::problem::package::is_package(&dir) {
                continue;
            }
            let p = spec::load(&dir)?;
            let level_ok = choice
                .difficulty
                .as_deref()
                .is_none_or(|d| p.difficulty.to_string().eq_ignore_ascii_case(d));
            if level_ok && choice.tags.iter().all(|t| p.tags.contains(t)) {
                matching.push(id);
            }
        }
        if matching.len() < choice.count || choice.count == 0 {
            return Err(InterviewError::NotEnoughProblems {
                asked: choice.count,
                matching: matching.len(),
            });
        }
        let picked = session::pick(&matching, choice.count, seed);
        dirs = picked
            .iter()
            .map(|id| bank.problems_dir().join(id))
            .collect();
    } else {
        for p in &choice.pick {
            dirs.push(bank.resolve(p)?);
        }
    }
    let mut problems = Vec::new();
    for dir in dirs {
        let dir = dir.canonicalize().unwrap_or(dir);
        let p = spec::load(&dir)?;
        if problems
            .iter()
            .any(|(_, q): &(PathBuf, Problem)| q.id == p.id)
        {
            return Err(InterviewError::PickedTwice(p.id));
        }
        problems.push((dir, p));
    }
    Ok((problems, seed))
}

/// Starts a session: draws its problems, makes the workspace and starts the clock.
pub fn start(ctx: &Context, out: &mut dyn Write, plan: Plan) -> Result<(), InterviewError> {
    let Plan {
        choice,
        minutes,
        dir,
        withholding: Withholding {
            hide_hidden,
            verdicts_only,
        },
    } = plan;
    if !(minutes > 0.0 && minutes <= 24.0 * 60.0) {
        return Err(InterviewError::BadLength(minutes));
    }
    workspace::check_empty(&dir)?;
    let (problems, seed) = choose(ctx.bank, &choice)?;
    let mut engine = None;
    let mut statements = Vec::new();
    for (_, p) in &problems {
        let answers = crate::judge::sample_answers(p, || {
            engine
                .take()
                .map_or_else(|| Engine::new(ctx.cache.clone(), ctx.jobs), Ok)
        })?;
        // The statement says what hidden cases show in this session.
        let mut shown = p.clone();
        if let Some(cap) = hidden_cap_of(hide_hidden, verdicts_only) {
            shown.hidden_details = shown.hidden_details.min(cap);
        }
        statements.push(crate::problem::statement::markdown(&shown, &answers));
    }
    let loaded: Vec<Problem> = problems.iter().map(|(_, p)| p.clone()).collect();
    workspace::create(&dir, &loaded, &statements)?;
    let started_ms = now_ms();
    let deadline_ms = started_ms + (minutes * 60_000.0).round() as u64;
    let start = Start {
        version: session::SESSION_VERSION,
        problems: problems
            .iter()
            .map(|(d, p)| Picked {
                id: p.id.clone(),
                title: p.title.clone(),
                max_score: p.max_score(),
                dir: d.clone(),
            })
            .collect(),
        started_ms,
        deadline_ms,
        seed,
        hide_hidden,
        verdicts_only,
    };
    let event = serde_json::to_value(Event::Start(start)).map_err(json_error)?;
    journal::create(&workspace::journal_path(&dir), &event)?;
    writeln!(
        out,
        "Mock interview started: {} problem(s), {} minute(s), closes at {}.",
        problems.len(),
        minutes,
        clock(deadline_ms)
    )
    .map_err(output_error)?;
    if hide_hidden {
        writeln!(
            out,
            "Hidden cases' details are withheld until the session ends."
        )
        .map_err(output_error)?;
    }
    if verdicts_only {
        writeln!(out, "Hidden cases show their verdicts only.").map_err(output_error)?;
    }
    writeln!(out, "Workspace: {} (seed {seed})", dir.display()).map_err(output_error)?;
    for (_, p) in &problems {
        writeln!(
            out,
            "  {:<24} {:<6} statements/{id}.md  solutions/{id}.rs",
            p.id,
            p.difficulty.to_string(),
            id = p.id
        )
        .map_err(output_error)?;
    }
    writeln!(
        out,
        "\nIn the workspace: `judge interview status`, `run <id>`, `submit <id>`, `end`, `report`."
    )
    .map_err(output_error)
}
