//! `judge interview ...`: the settled subcommands, turned into calls of the interview
//! module, whose text goes to the pipe-safe stdout and whose outcomes become exit codes.

use std::io::IsTerminal;
use std::path::PathBuf;

use super::flags::{verdict_code, BankChoice, JudgingFlags};
use super::Stdout;
use crate::cache::Cache;
use crate::error::Error;
use crate::interview::{self, Context, InterviewError, Plan, Show};
use crate::judge::complexity::Options;

/// An interview command, settled.
pub(super) enum Command {
    /// `create`: a session on a service; nothing local.
    #[cfg(feature = "service")]
    Create {
        serve: String,
        token: String,
        body: serde_json::Value,
    },
    /// A command on a workspace (`start` makes one).
    Session {
        bank: BankChoice,
        jobs: usize,
        flags: JudgingFlags,
        /// The workspace, when given; else found from the current folder.
        dir: Option<PathBuf>,
        action: Action,
    },
}

pub(super) enum Action {
    Start(Plan),
    Status {
        watch: bool,
    },
    Run {
        problem: String,
    },
    Submit {
        problem: String,
    },
    End,
    Report {
        out: Option<PathBuf>,
        measure: Option<Options>,
    },
}

impl Command {
    pub(super) fn run(self, cache: &Cache) -> Result<i32, Error> {
        match self {
            #[cfg(feature = "service")]
            Command::Create { serve, token, body } => create_remote(&serve, &token, &body),
            Command::Session {
                bank,
                jobs,
                flags,
                dir,
                action,
            } => {
                let bank = bank.locate()?;
                let engine = |progress_line| flags.engine(cache, jobs, progress_line);
                let ctx = Context {
                    bank: &bank,
                    cache,
                    jobs,
                    dir,
                    engine: &engine,
                };
                Ok(act(&ctx, action)?)
            }
        }
    }
}

fn act(ctx: &Context, action: Action) -> Result<i32, InterviewError> {
    let out = &mut Stdout;
    match action {
        Action::Start(plan) => interview::start(ctx, out, plan).map(|()| 0),
        Action::Status { watch } => {
            // A countdown redraws in place on a terminal; into a log it appends.
            let show = if watch {
                Show::Countdown {
                    terminal: std::io::stdout().is_terminal(),
                }
            } else {
                Show::Once
            };
            interview::status(ctx, out, show).map(|()| 0)
        }
        Action::Run { problem } => interview::run(ctx, out, &problem).map(verdict_code),
        Action::Submit { problem } => interview::submit(ctx, out, &problem).map(verdict_code),
        Action::End => interview::end(ctx, out).map(|()| 0),
        Action::Report {
            out: folder,
            measure,
        } => interview::report(ctx, out, folder, measure).map(|()| 0),
    }
}

/// `judge interview create`: asks the service for a session and prints its two links.
#[cfg(feature = "service")]
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
