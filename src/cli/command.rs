//! The second stage of the command line: clap's arguments (`args.rs`) become a `Command`
//! holding only what that command uses, settled. The flags given before the subcommand are
//! handed to it (its own, given after it, win); one it does not use is a usage error naming
//! the flag, so `judge --jobs 2 user add ...` is refused as `judge user add --jobs 2` is.

use std::path::PathBuf;

use clap::error::ErrorKind;

#[cfg(feature = "service")]
use super::args::UserCmd;
use super::args::{
    Args, BankArg, CacheCmd, Cmd, CompileArgs, EngineArgs, InterviewCmd, JobsArg, JudgingArgs,
    ProgressArg,
};
use super::authoring::{self, Stress};
use super::cache;
use super::doctor;
use super::flags::{default_jobs, no_flags, BankChoice, JudgingFlags};
use super::interview;
use super::judging::Judging;
use super::problems;
#[cfg(feature = "service")]
use super::service;
use crate::authoring::stress;
use crate::cache::Cache;
use crate::error::Error;
use crate::judge::Mode;

/// A command, settled: what it was asked, with every flag it takes.
pub(super) enum Command {
    /// `submit`, and `run` on the samples.
    Judge(Judging),
    /// `run --input`.
    TryInput(Judging, PathBuf),
    Problems(problems::Command),
    Authoring(authoring::Command),
    Interview(interview::Command),
    #[cfg(feature = "service")]
    Service(service::Command),
    Cache(cache::Command),
    Doctor {
        bank: BankChoice,
        selftest: bool,
    },
}

impl Command {
    /// Whether the command may compile or judge, filling the cache (and so enforces its cap).
    pub(super) fn fills_cache(&self) -> bool {
        match self {
            Command::Judge(_) | Command::TryInput(..) | Command::Interview(_) => true,
            Command::Problems(p) => p.fills_cache(),
            Command::Authoring(a) => a.fills_cache(),
            #[cfg(feature = "service")]
            Command::Service(s) => s.fills_cache(),
            Command::Cache(_) | Command::Doctor { .. } => false,
        }
    }

    pub(super) fn run(self, cache: &Cache) -> Result<i32, Error> {
        match self {
            Command::Judge(judging) => super::judging::judge(cache, judging),
            Command::TryInput(judging, input) => super::judging::try_input(cache, &judging, &input),
            Command::Problems(command) => command.run(cache),
            Command::Authoring(command) => command.run(cache),
            Command::Interview(command) => command.run(cache),
            #[cfg(feature = "service")]
            Command::Service(command) => command.run(cache),
            Command::Cache(command) => command.run(cache),
            // The self-test boxes a shell; it reads no bank.
            Command::Doctor { selftest: true, .. } => Ok(doctor::print_selftest(cache)),
            Command::Doctor {
                bank,
                selftest: false,
            } => Ok(doctor::print_report(cache, &bank.locate())),
        }
    }
}

/// The flags given before the subcommand that are not yet handed to it.
struct Before {
    bank: Option<PathBuf>,
    /// `judge interview --dir`, before an interview subcommand.
    dir: Option<PathBuf>,
    jobs: Option<usize>,
    progress: bool,
    fresh: bool,
    compile_seconds: Option<u64>,
}

impl Before {
    fn bank(&mut self, own: BankArg) -> BankChoice {
        BankChoice(own.bank.or(self.bank.take()))
    }

    fn workspace(&mut self, own: Option<PathBuf>) -> Option<PathBuf> {
        own.or(self.dir.take())
    }

    fn jobs(&mut self, own: JobsArg) -> usize {
        own.jobs.or(self.jobs.take()).unwrap_or_else(default_jobs)
    }

    fn progress(&mut self, own: ProgressArg) -> bool {
        own.progress | std::mem::take(&mut self.progress)
    }

    /// The flags of a judging; `progress` only for the commands that take `--progress`.
    fn flags(&mut self, own: CompileArgs, progress: bool) -> JudgingFlags {
        JudgingFlags {
            progress,
            fresh: own.fresh | std::mem::take(&mut self.fresh),
            compile_seconds: own
                .compile_seconds
                .or(self.compile_seconds.take())
                .unwrap_or(60),
        }
    }

    fn engine(&mut self, own: EngineArgs) -> (BankChoice, usize, JudgingFlags) {
        (
            self.bank(own.bank),
            self.jobs(own.jobs),
            self.flags(own.compile, false),
        )
    }

    fn judging(&mut self, own: JudgingArgs) -> (BankChoice, usize, JudgingFlags) {
        let progress = self.progress(own.progress);
        (
            self.bank(own.bank),
            self.jobs(own.jobs),
            self.flags(own.compile, progress),
        )
    }

    /// The first flag still here: one the command did not take.
    fn left_over(&self) -> Option<&'static str> {
        [
            (self.bank.is_some(), "--bank"),
            (self.jobs.is_some(), "--jobs"),
            (self.progress, "--progress"),
            (self.fresh, "--fresh"),
            (self.compile_seconds.is_some(), "--compile-seconds"),
            (self.dir.is_some(), "--dir"),
        ]
        .into_iter()
        .find_map(|(given, flag)| given.then_some(flag))
    }
}

/// Settles parsed arguments into a command, or says which flag given before the
/// subcommand it does not use: a usage error (exit code 2), with that subcommand's usage.
pub(super) fn settle(
    args: Args,
    clap_command: &mut clap::Command,
    path: &[String],
) -> Result<Command, clap::Error> {
    let mut before = Before {
        bank: args.bank.bank,
        dir: None,
        jobs: args.jobs.jobs,
        progress: args.progress.progress,
        fresh: args.compile.fresh,
        compile_seconds: args.compile.compile_seconds,
    };
    let command = command(args.command, &mut before);
    match before.left_over() {
        None => Ok(command),
        Some(flag) => Err(refused(clap_command, path, flag)),
    }
}

fn refused(clap_command: &mut clap::Command, path: &[String], flag: &str) -> clap::Error {
    let message = format!(
        "{flag} means nothing to `judge {}`: give it only to a command whose --help lists it",
        path.join(" ")
    );
    error_at(clap_command, path, message)
}

/// A usage error shown with the usage of the subcommand at `path`.
fn error_at(clap_command: &mut clap::Command, path: &[String], message: String) -> clap::Error {
    if let Some((name, rest)) = path.split_first() {
        if let Some(sub) = clap_command.find_subcommand_mut(name) {
            return error_at(sub, rest, message);
        }
    }
    clap_command.error(ErrorKind::UnknownArgument, message)
}

fn command(cmd: Cmd, before: &mut Before) -> Command {
    match cmd {
        Cmd::Submit {
            problem,
            solution,
            json,
            lang,
            complexity,
            bounds,
            judging,
        } => {
            let (bank, jobs, flags) = before.judging(judging);
            let mut judging = Judging::new(bank, (jobs, flags), problem, solution, Mode::Submit);
            judging.json = json;
            judging.lang = lang;
            judging.complexity = complexity.then_some(bounds);
            Command::Judge(judging)
        }
        Cmd::Run {
            problem,
            solution,
            json,
            lang,
            input,
            judging,
        } => {
            let (bank, jobs, flags) = before.judging(judging);
            let mut judging = Judging::new(bank, (jobs, flags), problem, solution, Mode::Run);
            judging.json = json;
            judging.lang = lang;
            match input {
                Some(input) => Command::TryInput(judging, input),
                None => Command::Judge(judging),
            }
        }
        Cmd::List {
            difficulty,
            tags,
            json,
            bank,
        } => Command::Problems(problems::Command::List {
            bank: before.bank(bank),
            difficulty,
            tags,
            json,
        }),
        Cmd::Show {
            problem,
            stub,
            lang,
            bank,
            jobs,
        } => Command::Problems(problems::Command::Show {
            bank: before.bank(bank),
            jobs: before.jobs(jobs),
            problem,
            stub,
            lang,
        }),
        Cmd::Cases {
            problem,
            bank,
            jobs,
        } => Command::Problems(problems::Command::Cases {
            bank: before.bank(bank),
            jobs: before.jobs(jobs),
            problem,
        }),
        Cmd::Complexity { args, engine } => {
            let (bank, jobs, flags) = before.engine(engine);
            Command::Problems(problems::Command::Complexity {
                bank,
                jobs,
                flags,
                args,
            })
        }
        Cmd::Similarity { args, bank } => Command::Problems(problems::Command::Similarity {
            bank: before.bank(bank),
            args,
        }),
        Cmd::Verify {
            problems,
            calibrate,
            repeats,
            engine,
        } => {
            let (bank, jobs, flags) = before.engine(engine);
            Command::Authoring(if calibrate {
                authoring::Command::Calibrate {
                    bank,
                    flags,
                    problems,
                    repeats,
                }
            } else {
                authoring::Command::Verify {
                    bank,
                    jobs,
                    flags,
                    problems,
                }
            })
        }
        Cmd::New { id, kattis, bank } => Command::Authoring(authoring::Command::New {
            bank: before.bank(bank),
            id,
            kattis,
        }),
        Cmd::Stress {
            problem,
            solution,
            seed,
            iterations,
            max_size,
            budget,
            engine,
        } => {
            let (bank, jobs, flags) = before.engine(engine);
            Command::Authoring(authoring::Command::Stress(Stress {
                bank,
                jobs,
                flags,
                problem,
                solution,
                options: stress::Options {
                    seed,
                    iterations,
                    max_size,
                    budget,
                },
            }))
        }
        Cmd::Doctor { selftest, bank } => Command::Doctor {
            bank: before.bank(bank),
            selftest,
        },
        Cmd::Cache { json, command } => Command::Cache(match command {
            None => cache::Command::Usage { json },
            Some(CacheCmd::Prune { max_size }) => cache::Command::Prune { max_size },
        }),
        Cmd::Interview { dir, command } => {
            before.dir = dir;
            Command::Interview(interview_command(command, before))
        }
        #[cfg(feature = "service")]
        Cmd::Serve { args, engine } => {
            let (bank, jobs, flags) = before.engine(engine);
            Command::Service(service::Command::Serve {
                args,
                bank,
                jobs,
                flags,
            })
        }
        #[cfg(feature = "service")]
        Cmd::Worker {
            db,
            allow_partial_isolation,
            listen,
            log_format,
            engine,
        } => {
            let (bank, jobs, flags) = before.engine(engine);
            Command::Service(service::Command::Worker {
                options: crate::service::WorkerOptions {
                    db,
                    jobs,
                    allow_partial_isolation,
                    listen,
                },
                log_format,
                bank,
                flags,
            })
        }
        #[cfg(feature = "service")]
        Cmd::Workers { db, json } => Command::Service(service::Command::Workers { db, json }),
        #[cfg(feature = "service")]
        Cmd::Backup { data, to } => Command::Service(service::Command::Backup { data, to }),
        #[cfg(feature = "service")]
        Cmd::User { command } => Command::Service(user_command(command)),
    }
}

#[cfg(feature = "service")]
fn user_command(command: UserCmd) -> service::Command {
    match command {
        UserCmd::Add {
            name,
            role,
            store,
            password_stdin,
        } => service::Command::AddUser {
            name,
            role,
            store,
            password_stdin,
        },
        UserCmd::SignOut { name, store } => service::Command::SignOut { name, store },
        UserCmd::Password { name, store } => service::Command::Password { name, store },
    }
}

/// An interview command, settled.
fn interview_command(command: InterviewCmd, before: &mut Before) -> interview::Command {
    use interview::{Action, Command as C};
    // The commands in a workspace locate the default bank, as every interview command
    // always has; only `start` reads it (and takes --bank).
    let session = |bank, (jobs, flags), dir, action| C::Session {
        bank,
        jobs,
        flags,
        dir,
        action,
    };
    let plain = || (default_jobs(), no_flags());
    match command {
        #[cfg(feature = "service")]
        InterviewCmd::Create {
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
        } => C::Create {
            serve,
            token,
            body: serde_json::json!({
                "pick": pick, "count": count, "difficulty": difficulty, "tags": tags,
                "seed": seed, "minutes": minutes, "hide_hidden": hide_hidden,
                "complexity": complexity,
            }),
        },
        InterviewCmd::Start {
            pick,
            count,
            difficulty,
            tags,
            minutes,
            dir,
            seed,
            hide_hidden,
            verdicts_only,
            bank,
            jobs,
        } => {
            let dir = before.workspace(dir);
            let plan = crate::interview::Plan {
                choice: crate::interview::Choice {
                    pick,
                    count,
                    difficulty,
                    tags,
                    seed,
                },
                minutes,
                dir: dir.clone().unwrap_or_else(|| PathBuf::from("interview")),
                withholding: crate::interview::Withholding {
                    hide_hidden,
                    verdicts_only,
                },
            };
            let (bank, jobs) = (before.bank(bank), before.jobs(jobs));
            session(bank, (jobs, no_flags()), dir, Action::Start(plan))
        }
        InterviewCmd::Status { watch, workspace } => {
            let dir = before.workspace(workspace.dir);
            session(BankChoice(None), plain(), dir, Action::Status { watch })
        }
        InterviewCmd::End { workspace } => {
            let dir = before.workspace(workspace.dir);
            session(BankChoice(None), plain(), dir, Action::End)
        }
        InterviewCmd::Run {
            problem,
            workspace,
            jobs,
            progress,
            compile,
        } => {
            let dir = before.workspace(workspace.dir);
            let progress = before.progress(progress);
            let settings = (before.jobs(jobs), before.flags(compile, progress));
            session(BankChoice(None), settings, dir, Action::Run { problem })
        }
        InterviewCmd::Submit {
            problem,
            workspace,
            jobs,
            progress,
            compile,
        } => {
            let dir = before.workspace(workspace.dir);
            let progress = before.progress(progress);
            let settings = (before.jobs(jobs), before.flags(compile, progress));
            session(BankChoice(None), settings, dir, Action::Submit { problem })
        }
        InterviewCmd::Report {
            out,
            complexity,
            bounds,
            workspace,
            jobs,
            compile,
        } => {
            let dir = before.workspace(workspace.dir);
            let settings = (before.jobs(jobs), before.flags(compile, false));
            let action = Action::Report {
                out,
                measure: complexity.then(|| bounds.options()),
            };
            session(BankChoice(None), settings, dir, action)
        }
    }
}
