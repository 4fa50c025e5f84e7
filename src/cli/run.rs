//! The command line run once: the arguments parsed in both stages, the command dispatched
//! (the cache's cap kept around those that fill it), and the exit code.

use clap::{CommandFactory, FromArgMatches};

use super::{args, cache, command, without_service};
use crate::cache::prune;
use crate::cache::Cache;
use crate::error::Error;
use crate::report::text::escape_controls;

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
