//! The command line, in two stages: clap parses the arguments of one subcommand
//! (`args.rs`, where each subcommand declares only the flags it uses), then `command.rs`
//! settles them into a `Command` (flags given before the subcommand handed to it, or
//! refused when it does not use them), which the module of its family runs: `judging.rs`
//! (`submit`, `run`), `problems.rs` (`list`, `show`, `cases`, `complexity`, `similarity`),
//! `authoring.rs` (`verify`, `new`, `stress`), `interview.rs`, `service.rs` (`serve`,
//! `worker`, `workers`, `backup`, `user`), `cache.rs` and `doctor.rs`, each getting its
//! bank and engine through `flags.rs`. Their text reaches stdout only through `emit`; exit
//! codes are decided in this module and its children only (0 accepted or all fine, 1 judged
//! but not accepted, 2 the judge could not judge).

use clap::{CommandFactory, FromArgMatches};

use crate::cache::prune;
use crate::cache::Cache;
use crate::error::Error;
use crate::report::text::escape_controls;

/// Writes to stdout; a reader that went away (`judge verify | head`) ends the judge quietly
/// instead of a panic. SIGPIPE itself stays ignored: the judge writes into boxes' pipes.
fn emit(args: std::fmt::Arguments) {
    use std::io::Write;
    let _ = quiet_on_broken_pipe(std::io::stdout().lock().write_fmt(args));
}

/// Stdout for code that writes its text to a writer it is given (the interview commands):
/// a broken pipe ends the judge quietly, as in `emit`; other failures are the writer's
/// caller's to report.
struct Stdout;

impl std::io::Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        quiet_on_broken_pipe(std::io::stdout().lock().write(buf))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        quiet_on_broken_pipe(std::io::stdout().lock().flush())
    }
}

/// Exits with 0 if the reader of stdout went away: whatever the judge had left to say, no
/// one is reading it.
fn quiet_on_broken_pipe<T>(result: std::io::Result<T>) -> std::io::Result<T> {
    if let Err(e) = &result {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
    }
    result
}

// Every print in this module and its children goes through `emit`.
macro_rules! print {
    ($($t:tt)*) => { $crate::cli::emit(format_args!($($t)*)) };
}
macro_rules! println {
    () => { $crate::cli::emit(format_args!("\n")) };
    ($($t:tt)*) => {{
        $crate::cli::emit(format_args!($($t)*));
        $crate::cli::emit(format_args!("\n"));
    }};
}

mod args;
mod authoring;
mod cache;
mod command;
mod complexity;
mod doctor;
mod flags;
mod interview;
mod judging;
mod kattis;
mod problems;
mod progress;
#[cfg(feature = "service")]
mod service;
mod similarity;
mod without_service;

pub fn run(argv: Vec<std::ffi::OsString>) -> i32 {
    let command = match parse(argv) {
        Ok(c) => c,
        Err(e) => {
            if let Some(refusal) = without_service::refusal(&e) {
                eprintln!("error: {refusal}");
                return 2;
            }
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    match dispatch(command) {
        Ok(code) => code,
        Err(e) => {
            // Errors carry boxes' output (a reference's panic, a generator's or checker's
            // compile errors), which is the candidate's or author's text.
            eprintln!("error: {}", escape_controls(&e.to_string()));
            e.exit_code()
        }
    }
}

/// Both stages: clap's arguments, then the settled command (or a usage error, `--help` or
/// `--version`, which clap prints).
fn parse(argv: Vec<std::ffi::OsString>) -> Result<command::Command, clap::Error> {
    let mut clap_command = args::Args::command();
    let matches = clap_command.try_get_matches_from_mut(argv)?;
    let args = args::Args::from_arg_matches(&matches).map_err(|e| e.format(&mut clap_command))?;
    let mut path = Vec::new();
    let mut at = &matches;
    while let Some((name, sub)) = at.subcommand() {
        path.push(name.to_string());
        at = sub;
    }
    command::settle(args, &mut clap_command, &path)
}

fn dispatch(command: command::Command) -> Result<i32, Error> {
    let cache = Cache::from_env();
    // Read before judging: a bad JUDGE_CACHE_MAX should fail now, not after a long verify.
    let cap = if command.fills_cache() {
        prune::cap_from_env()?
    } else {
        None
    };
    let result = command.run(&cache);
    if let Some(cap) = cap {
        cache::enforce_cap(&cache, cap);
    }
    result
}
