//! Mock interviews: a timed session over a few problems of the bank, in a workspace folder.
//!
//! `start` makes the workspace (`workspace.rs`) and the session's journal (`journal.rs`);
//! every later command rebuilds the session from the journal (`session.rs`), so the
//! journal is the only state, and a judge killed at any moment loses at most the command
//! it was running. `report` renders it (`render.rs`).

mod journal;
mod render;
mod session;
mod workspace;

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::Subcommand;

use crate::cache::Cache;
use crate::error::Error;
use crate::judge::{Engine, Mode};
use crate::problem::bank::Bank;
use crate::problem::spec::{self, Problem};
use crate::report::{Report, Verdict};

use session::{clock, span, Attempt, Event, Picked, Session, Start};

#[derive(Subcommand)]
pub enum Command {
    /// Start a session: pick problems, make the workspace, start the clock
    Start {
        /// These problems (ids or folders), in this order
        #[arg(long, value_delimiter = ',', conflicts_with_all = ["count", "difficulty", "tags"])]
        pick: Vec<String>,
        /// How many problems to draw from the bank
        #[arg(long, default_value_t = 2)]
        count: usize,
        /// Draw only problems of this difficulty (easy, medium, hard)
        #[arg(long)]
        difficulty: Option<String>,
        /// Draw only problems carrying every one of these tags
        #[arg(long, value_delimiter = ',')]
        tags: Vec<String>,
        /// Length of the session (fractions allowed)
        #[arg(long, default_value_t = 60.0)]
        minutes: f64,
        /// The workspace folder to create (must be new or empty)
        #[arg(long, default_value = "interview")]
        dir: PathBuf,
        /// Seed for drawing problems (default: the clock); the same seed draws the same problems
        #[arg(long)]
        seed: Option<u64>,
        /// Interviewer's setting: hidden cases' details stay hidden until the session ends
        #[arg(long)]
        hide_hidden: bool,
        /// Interviewer's setting: hidden cases show their verdicts only (no time, memory or
        /// message), for the whole session and in the report
        #[arg(long)]
        verdicts_only: bool,
    },
    /// Time left, and each problem's state and score
    Status {
        /// Keep redrawing the countdown until the session closes
        #[arg(long)]
        watch: bool,
    },
    /// Judge your solution to a problem on its samples (practice, as often as you like)
    Run { problem: String },
    /// Judge your solution on the hidden cases; scored and recorded
    Submit { problem: String },
    /// Close the session before its deadline
    End,
    /// Write report.md and report.html (into the workspace, or --out)
    Report {
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

/// What every interview command needs from the command line.
pub struct Context<'a> {
    pub bank: &'a Bank,
    pub cache: &'a Cache,
    pub jobs: usize,
    /// The workspace, when given; else found from the current folder.
    pub dir: Option<PathBuf>,
    /// The global flags that shape a judging (progress, --fresh, compile limit).
    pub(crate) flags: crate::cli::JudgingFlags,
}

pub fn run(ctx: &Context, command: Command) -> Result<i32, Error> {
    match command {
        Command::Start {
            pick,
            count,
            difficulty,
            tags,
            minutes,
            dir,
            seed,
            hide_hidden,
            verdicts_only,
        } => {
            let choice = Choice {
                pick,
                count,
                difficulty,
                tags,
                seed,
            };
            start(
                ctx,
                choice,
                minutes,
                ctx.dir.clone().unwrap_or(dir),
                Withholding {
                    hide_hidden,
                    verdicts_only,
                },
            )
        }
        Command::Status { watch } => status(ctx, watch),
        Command::Run { problem } => judge(ctx, &problem, Mode::Run),
        Command::Submit { problem } => judge(ctx, &problem, Mode::Submit),
        Command::End => end(ctx),
        Command::Report { out } => report(ctx, out),
    }
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

struct Choice {
    pick: Vec<String>,
    count: usize,
    difficulty: Option<String>,
    tags: Vec<String>,
    seed: Option<u64>,
}

/// The problems of a new session, loaded, and the seed that drew them.
fn choose(bank: &Bank, choice: Choice) -> Result<(Vec<(PathBuf, Problem)>, u64), Error> {
    let seed = choice.seed.unwrap_or_else(now_ms);
    let mut dirs = Vec::new();
    if !choice.pick.is_empty() {
        for p in &choice.pick {
            dirs.push(bank.resolve(p)?);
        }
    } else {
        let mut matching = Vec::new();
        for id in bank.ids() {
            let dir = bank.problems_dir().join(&id);
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
            return Err(Error::Input(format!(
                "asked for {} problem(s), but {} in the bank match the filters",
                choice.count,
                matching.len()
            )));
        }
        let picked = session::pick(&matching, choice.count, seed);
        dirs = picked
            .iter()
            .map(|id| bank.problems_dir().join(id))
            .collect();
    }
    let mut problems = Vec::new();
    for dir in dirs {
        let dir = dir.canonicalize().unwrap_or(dir);
        let p = spec::load(&dir)?;
        if problems
            .iter()
            .any(|(_, q): &(PathBuf, Problem)| q.id == p.id)
        {
            return Err(Error::Input(format!("{} is picked twice", p.id)));
        }
        problems.push((dir, p));
    }
    Ok((problems, seed))
}

fn start(
    ctx: &Context,
    choice: Choice,
    minutes: f64,
    dir: PathBuf,
    withholding: Withholding,
) -> Result<i32, Error> {
    let Withholding {
        hide_hidden,
        verdicts_only,
    } = withholding;
    if !(minutes > 0.0 && minutes <= 24.0 * 60.0) {
        return Err(Error::Input(format!(
            "--minutes must be more than 0 and at most a day, not {minutes}"
        )));
    }
    workspace::check_empty(&dir)?;
    let (problems, seed) = choose(ctx.bank, choice)?;
    let mut engine = None;
    let mut statements = Vec::new();
    for (_, p) in &problems {
        let answers = crate::judge::sample_answers(p, || {
            engine
                .take()
                .map_or_else(|| Engine::new(ctx.cache.clone(), ctx.jobs), Ok)
        })?;
        statements.push(crate::problem::statement::markdown(p, &answers));
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
    println!(
        "Mock interview started: {} problem(s), {} minute(s), closes at {}.",
        problems.len(),
        minutes,
        clock(deadline_ms)
    );
    if hide_hidden {
        println!("Hidden cases' details are withheld until the session ends.");
    }
    if verdicts_only {
        println!("Hidden cases show their verdicts only.");
    }
    println!("Workspace: {} (seed {seed})", dir.display());
    for (_, p) in &problems {
        println!(
            "  {:<24} {:<6} statements/{id}.md  solutions/{id}.rs",
            p.id,
            p.difficulty.to_string(),
            id = p.id
        );
    }
    println!(
        "\nIn the workspace: `judge interview status`, `run <id>`, `submit <id>`, `end`, `report`."
    );
    Ok(0)
}

fn json_error(e: serde_json::Error) -> Error {
    Error::Judge(crate::judge::JudgeError::Encode {
        what: "a session event",
        source: e,
    })
}

/// The workspace and its session, rebuilt from the journal.
fn open(ctx: &Context) -> Result<(PathBuf, Session), Error> {
    let dir = match &ctx.dir {
        Some(d) => d.clone(),
        None => {
            let here = std::env::current_dir().map_err(|e| Error::Input(e.to_string()))?;
            workspace::find(&here).ok_or_else(|| {
                Error::Input(
                    "no interview here: run this in a workspace made by `judge interview start` (or pass --dir)".into(),
                )
            })?
        }
    };
    let path = workspace::journal_path(&dir);
    if !path.is_file() {
        return Err(Error::Input(format!(
            "{} is not an interview workspace (no {})",
            dir.display(),
            workspace::JOURNAL
        )));
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
        .map_err(|e| Error::Input(format!("session record {}: {e}", path.display())))?;
    Ok((dir, session))
}

fn append(dir: &Path, event: Event) -> Result<(), Error> {
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

fn status(ctx: &Context, watch: bool) -> Result<i32, Error> {
    let (_, session) = open(ctx)?;
    if !watch {
        print!("{}", status_text(&session, now_ms()));
        return Ok(0);
    }
    // A countdown: redrawn every second on a terminal, a line a minute into a log.
    let terminal = std::io::stdout().is_terminal();
    loop {
        let (_, session) = open(ctx)?;
        let now = now_ms();
        if terminal {
            print!("\x1b[H\x1b[2J");
        }
        print!("{}", status_text(&session, now));
        if session.is_over(now) {
            return Ok(0);
        }
        let pause = if terminal { 1000 } else { 60_000 };
        let left = session.closes_ms() - now;
        std::thread::sleep(Duration::from_millis(pause.min(left.max(1))));
    }
}

fn problem_of<'s>(session: &'s Session, id: &str) -> Result<&'s Picked, Error> {
    session.picked(id).ok_or_else(|| {
        let ids: Vec<&str> = session
            .start
            .problems
            .iter()
            .map(|p| p.id.as_str())
            .collect();
        Error::Input(format!(
            "{id} is not in this session (its problems: {})",
            ids.join(", ")
        ))
    })
}

/// The interviewer's two settings for hidden cases.
struct Withholding {
    hide_hidden: bool,
    verdicts_only: bool,
}

/// The session's override of what hidden cases show, if the interviewer set one.
fn verdicts_only(session: &Session) -> Option<crate::problem::spec::HiddenDetails> {
    session
        .start
        .verdicts_only
        .then_some(crate::problem::spec::HiddenDetails::Verdict)
}

fn engine(ctx: &Context) -> Result<Engine, Error> {
    ctx.flags.engine(ctx.cache, ctx.jobs, true)
}

fn judge(ctx: &Context, id: &str, mode: Mode) -> Result<i32, Error> {
    let (dir, session) = open(ctx)?;
    let picked = problem_of(&session, id)?;
    let submitted_ms = now_ms();
    if session.is_over(submitted_ms) {
        return Err(Error::Input(format!(
            "the session closed at {}: {} is refused. `judge interview report` writes the report; `judge run {} <file>` still practises outside the session",
            clock(session.closes_ms()),
            if mode == Mode::Submit { "submitting" } else { "running" },
            picked.dir.display()
        )));
    }
    let file = workspace::solution_path(&dir, id);
    let code = std::fs::read_to_string(&file)
        .map_err(|e| Error::Input(format!("cannot read {}: {e}", file.display())))?;
    let problem = spec::load(&picked.dir)?;
    let mut report = engine(ctx)?
        .hidden_details(verdicts_only(&session))
        .judge_source(&problem, &problem.reference_path(), &code, &file, mode)?;
    if report.verdict == Verdict::JE {
        // Never recorded against the candidate.
        print!("{}", report.to_text(&problem.title));
        return Ok(2);
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
    print!("{}", report.to_text(&problem.title));
    if withheld {
        println!("(hidden cases' details are withheld until the session ends)");
    }
    // Read back rather than updated in memory: another terminal may have submitted meanwhile.
    let (_, session) = open(ctx)?;
    let st = session.standing(problem_of(&session, id)?);
    let now = now_ms();
    println!(
        "\n{id}: {}, best {}/{}; {}",
        st.state.word(),
        st.best_score,
        st.picked.max_score,
        if session.is_over(now) {
            "the session is over".to_string()
        } else {
            format!("{} left", span(session.closes_ms() - now))
        }
    );
    Ok(if report.verdict == Verdict::AC { 0 } else { 1 })
}

/// Keeps a report's verdicts and scores but not which hidden case failed or how.
fn withhold_hidden(report: &mut Report) {
    for g in &mut report.groups {
        g.cases.clear();
    }
}

fn end(ctx: &Context) -> Result<i32, Error> {
    let (dir, session) = open(ctx)?;
    let now = now_ms();
    if session.is_over(now) {
        println!("The session closed at {}.", clock(session.closes_ms()));
    } else {
        append(&dir, Event::End { at_ms: now })?;
        println!("Session ended at {}.", clock(now));
    }
    let (_, session) = open(ctx)?;
    print!("{}", status_text(&session, now_ms()));
    Ok(0)
}

fn report(ctx: &Context, out: Option<PathBuf>) -> Result<i32, Error> {
    let (dir, session) = open(ctx)?;
    let now = now_ms();
    let revealed = if session.is_over(now) {
        reveal(ctx, &session)?
    } else {
        HashMap::new()
    };
    let view = render::View {
        now_ms: now,
        revealed: &revealed,
    };
    let out = out.unwrap_or(dir);
    std::fs::create_dir_all(&out)
        .map_err(|e| Error::Input(format!("cannot create {}: {e}", out.display())))?;
    for (name, text) in [
        ("report.md", render::markdown(&session, &view)),
        ("report.html", render::html(&session, &view)),
    ] {
        let path = out.join(name);
        std::fs::write(&path, text)
            .map_err(|e| Error::Input(format!("cannot write {}: {e}", path.display())))?;
        println!("wrote {}", path.display());
    }
    Ok(0)
}

/// Once the session is over, each problem's final attempt whose hidden cases were withheld
/// is judged again (its build is cached) so the report can show them; keyed by attempt index.
fn reveal(ctx: &Context, session: &Session) -> Result<HashMap<usize, Report>, Error> {
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
            engine = Some(
                ctx.flags
                    .engine(ctx.cache, ctx.jobs, false)?
                    .hidden_details(verdicts_only(session)),
            );
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
