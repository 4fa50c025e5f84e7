//! Mock interviews: a timed session over a few problems of the bank, in a workspace folder.
//!
//! `start` makes the workspace (`workspace.rs`) and the session's journal (`journal.rs`);
//! every later command rebuilds the session from the journal (`session.rs`), so the
//! journal is the only state, and a judge killed at any moment loses at most the command
//! it was running. `report` renders it (`render.rs`).
//!
//! Each command is a function for any front end: it takes a `Context` (the bank, the cache,
//! and the caller's own way of making an engine, so the caller's settings shape every
//! judging) and a writer for its text. Nothing here prints to stdout or parses arguments,
//! and exit codes are the caller's to decide: a closed pipe, a terminal or a log is the
//! front end's business.

mod error;
mod journal;
mod layout;
mod render;
mod session;
mod workspace;

pub use error::InterviewError;
pub use render::Measured;

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::cache::Cache;
pub use crate::judge::complexity::Options as ComplexityOptions;
use crate::judge::{Engine, JudgeError, Mode};
use crate::problem::bank::Bank;
use crate::problem::spec::{self, Problem};
use crate::report::{Report, Verdict};

use session::{clock, span, Attempt, Event, Picked, Session, Start};

/// What every interview command needs from its caller.
pub struct Context<'a> {
    pub bank: &'a Bank,
    pub cache: &'a Cache,
    pub jobs: usize,
    /// The workspace, when given; else found from the current folder.
    pub dir: Option<PathBuf>,
    /// Makes the engine of a judging as the caller's settings ask (compile limit, a fresh
    /// judging, ...); called with `true` where a progress line may be shown, which is where
    /// one judging at a time has the terminal.
    pub engine: &'a dyn Fn(bool) -> Result<Engine, JudgeError>,
}

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

/// How `status` shows the session.
#[derive(Clone, Copy)]
pub enum Show {
    Once,
    /// Shown again until the session closes: every second over a cleared screen on a
    /// terminal, else once a minute, one after another (a log).
    Countdown {
        terminal: bool,
    },
}

/// Text for the caller cannot be written: the reader's failure, not the session's.
fn output_error(e: std::io::Error) -> InterviewError {
    InterviewError::Output(e)
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
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

fn json_error(e: serde_json::Error) -> InterviewError {
    InterviewError::Judge(JudgeError::Encode {
        what: "a session event",
        source: e,
    })
}

/// The workspace and its session, rebuilt from the journal.
fn open(ctx: &Context) -> Result<(PathBuf, Session), InterviewError> {
    let dir = if let Some(d) = &ctx.dir {
        d.clone()
    } else {
        let here = std::env::current_dir().map_err(InterviewError::CurrentDir)?;
        workspace::find(&here).ok_or(InterviewError::NoWorkspace { from: here })?
    };
    let path = workspace::journal_path(&dir);
    if !path.is_file() {
        return Err(InterviewError::NotAWorkspace(dir));
    }
    let loaded = journal::load(&path)?;
    if !loaded.dropped.is_empty() {
        eprintln!(
            "note: the session record {} had unreadable line(s) {:?} (an interrupted write); they were left out",
            path.display(),
            loaded.dropped
        );
    }
    let session = Session::from_events(loaded.events)
        .map_err(|source| InterviewError::Record { path, source })?;
    Ok((dir, session))
}

fn append(dir: &Path, event: Event) -> Result<(), InterviewError> {
    let value = serde_json::to_value(event).map_err(json_error)?;
    journal::append(&workspace::journal_path(dir), &value)
}

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

fn problem_of<'s>(session: &'s Session, id: &str) -> Result<&'s Picked, InterviewError> {
    session.picked(id).ok_or_else(|| {
        let problems = session
            .start
            .problems
            .iter()
            .map(|p| p.id.clone())
            .collect();
        InterviewError::NotInSession {
            id: id.to_string(),
            problems,
        }
    })
}

/// The most hidden cases show in this session: their verdicts alone under `--verdicts-only`;
/// never a hidden case's data (`first-failure`) when the interviewer hides hidden details
/// (`--hide-hidden`), not even in the report once the session is over; else what each
/// problem says.
fn hidden_cap(session: &Session) -> Option<crate::problem::spec::HiddenDetails> {
    hidden_cap_of(session.start.hide_hidden, session.start.verdicts_only)
}

fn hidden_cap_of(
    hide_hidden: bool,
    verdicts_only: bool,
) -> Option<crate::problem::spec::HiddenDetails> {
    use crate::problem::spec::HiddenDetails;
    if verdicts_only {
        Some(HiddenDetails::Verdict)
    } else if hide_hidden {
        Some(HiddenDetails::Kind)
    } else {
        None
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
