//! `judge interview ...`: the subcommands' arguments, turned into calls of the interview
//! module, whose text goes to the pipe-safe stdout and whose outcomes become exit codes.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Subcommand;

use crate::cache::Cache;
use crate::error::Error;
use crate::interview::{self, Choice, Context, InterviewError, Plan, Show, Withholding};
use crate::problem::bank::Bank;

use super::{verdict_code, JudgingFlags, Stdout};

#[derive(Subcommand)]
pub(super) enum Command {
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
    /// Create a session on a judge service for a candidate to take in the browser; prints
    /// the candidate's link and the interviewer's (each holds its secret)
    Create {
        /// The service's address (http://host:port)
        #[arg(long, value_name = "URL")]
        serve: String,
        /// An interviewer's, author's or admin's bearer token
        #[arg(long)]
        token: String,
        /// These problems, in this order
        #[arg(long, value_delimiter = ',', conflicts_with_all = ["count", "difficulty", "tags"])]
        pick: Vec<String>,
        /// How many problems to draw from the service's bank
        #[arg(long, default_value_t = 2)]
        count: usize,
        /// Draw only problems of this difficulty (easy, medium, hard)
        #[arg(long)]
        difficulty: Option<String>,
        /// Draw only problems carrying every one of these tags
        #[arg(long, value_delimiter = ',')]
        tags: Vec<String>,
        /// Seed for drawing problems
        #[arg(long)]
        seed: Option<u64>,
        /// Length of the session (its clock starts when the candidate opens the link)
        #[arg(long, default_value_t = 60.0)]
        minutes: f64,
        /// Hidden cases' details stay hidden from the candidate until the session ends
        #[arg(long)]
        hide_hidden: bool,
        /// Measure every submission's complexity against the reference (about 20 s more
        /// each), for the interviewer's report
        #[arg(long)]
        complexity: bool,
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
        /// Also measure how each problem's final submission grows with the input's size,
        /// against the reference (as `judge complexity`), once the session is over
        #[arg(long)]
        complexity: bool,
        #[command(flatten)]
        bounds: super::complexity::Bounds,
    },
}

/// Runs one interview command; `dir` is the global `--dir`, the workspace (for `start` it
/// overrides start's own `--dir`).
pub(super) fn run(
    bank: &Bank,
    cache: &Cache,
    jobs: usize,
    flags: JudgingFlags,
    dir: Option<PathBuf>,
    command: Command,
) -> Result<i32, Error> {
    if let Command::Create {
        serve,
        token,
        pick,
        count,
        difficulty,
        tags,
        seed,
        minutes,
        hide_hidden,
        complexity,
    } = command
    {
        let body = serde_json::json!({
            "pick": pick, "count": count, "difficulty": difficulty, "tags": tags,
            "seed": seed, "minutes": minutes, "hide_hidden": hide_hidden,
            "complexity": complexity,
        });
        return create_remote(&serve, &token, &body);
    }
    let engine = |progress_line| flags.engine(cache, jobs, progress_line);
    let ctx = Context {
        bank,
        cache,
        jobs,
        dir,
        engine: &engine,
    };
    let out = &mut Stdout;
    let result: Result<i32, InterviewError> = match command {
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
            let plan = Plan {
                choice: Choice {
                    pick,
                    count,
                    difficulty,
                    tags,
                    seed,
                },
                minutes,
                dir: ctx.dir.clone().unwrap_or(dir),
                withholding: Withholding {
                    hide_hidden,
                    verdicts_only,
                },
            };
            interview::start(&ctx, out, plan).map(|()| 0)
        }
        Command::Status { watch } => {
            // A countdown redraws in place on a terminal; into a log it appends.
            let show = if watch {
                Show::Countdown {
                    terminal: std::io::stdout().is_terminal(),
                }
            } else {
                Show::Once
            };
            interview::status(&ctx, out, show).map(|()| 0)
        }
        Command::Run { problem } => interview::run(&ctx, out, &problem).map(verdict_code),
        Command::Submit { problem } => interview::submit(&ctx, out, &problem).map(verdict_code),
        Command::End => interview::end(&ctx, out).map(|()| 0),
        Command::Report {
            out: folder,
            complexity,
            bounds,
        } => {
            let measure = complexity.then(|| bounds.options());
            interview::report(&ctx, out, folder, measure).map(|()| 0)
        }
        Command::Create { .. } => unreachable!("handled before the workspace is opened"),
    };
    Ok(result?)
}

/// `judge interview create`: asks the service for a session and prints its two links.
fn create_remote(serve: &str, token: &str, body: &serde_json::Value) -> Result<i32, Error> {
    let url = format!("{}/api/v1/interviews", serve.trim_end_matches('/'));
    let failed = |why: String| {
        Error::Usage(crate::error::UsageError::Service {
            url: url.clone(),
            why,
        })
    };
    let answer = match ureq::post(&url)
        .set("Authorization", &format!("Bearer {token}"))
        .send_json(body)
    {
        Ok(r) => r,
        Err(ureq::Error::Status(code, r)) => {
            let said: serde_json::Value = r.into_json().unwrap_or_default();
            let why = said["error"]
                .as_str()
                .unwrap_or("no reason given")
                .to_string();
            return Err(failed(format!("{code}: {why}")));
        }
        Err(e) => return Err(failed(e.to_string())),
    };
    let made: serde_json::Value = answer.into_json().map_err(|e| failed(e.to_string()))?;
    println!(
        "interview {} over {}",
        made["id"],
        made["problems"]
            .as_array()
            .map(|p| p
                .iter()
                .filter_map(|x| x.as_str())
                .collect::<Vec<_>>()
                .join(", "))
            .unwrap_or_default()
    );
    // Without a public URL the service gives paths: on the address this command reached it
    // at, which is the one the caller chose.
    let link = |name: &str| {
        made[format!("{name}_url")].as_str().map_or_else(
            || {
                format!(
                    "{}{}",
                    serve.trim_end_matches('/'),
                    made[format!("{name}_path")].as_str().unwrap_or("")
                )
            },
            str::to_string,
        )
    };
    println!("candidate: {}", link("candidate"));
    println!("interviewer: {}", link("interviewer"));
    Ok(0)
}
