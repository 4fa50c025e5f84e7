//! `judge cache` and `judge cache prune`, and the cap every command that fills the cache
//! keeps it under.

use crate::cache::prune;
use crate::cache::Cache;
use crate::error::Error;

pub(super) enum Command {
    Usage { json: bool },
    Prune { max_size: u64 },
}

impl Command {
    pub(super) fn run(self, cache: &Cache) -> Result<i32, Error> {
        match self {
            Command::Usage { json } => usage(cache, json),
            Command::Prune { max_size } => {
                print!("{}", prune::render_pruned(&prune::prune(cache, max_size)?));
                Ok(0)
            }
        }
    }
}

fn usage(cache: &Cache, json: bool) -> Result<i32, Error> {
    let usage = prune::scan(cache)?;
    let cap = prune::cap_from_env()?;
    if json {
        println!("{}", prune::usage_json(&usage, cap));
    } else {
        print!("{}", prune::render_usage(&usage, cap));
    }
    Ok(0)
}

/// The automatic cap after a command that may have filled the cache. It never fails the
/// command: the judging is done and its result stands.
pub(super) fn enforce_cap(cache: &Cache, cap: u64) {
    match prune::enforce_cap(cache, cap) {
        Ok(Some(p)) if p.removed > 0 => eprintln!(
            "note: the cache was over its cap of {} (JUDGE_CACHE_MAX): removed {} least recently used entries ({})",
            prune::format_size(cap),
            p.removed,
            prune::format_size(p.removed_bytes)
        ),
        Ok(_) => {}
        Err(e) => eprintln!("warning: could not keep the cache under its cap: {e}"),
    }
}
