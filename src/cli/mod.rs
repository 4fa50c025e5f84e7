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

use output::{emit, Stdout};
pub use run::run;

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
mod output;
mod problems;
mod progress;
mod run;
#[cfg(feature = "service")]
mod service;
mod similarity;
mod without_service;
