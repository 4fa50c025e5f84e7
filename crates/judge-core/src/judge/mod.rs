//! The judging engine: compile a solution, get each case's expected answer (stored, or the
//! reference's, computed once per problem version and cached), run the cases, check them,
//! score the groups, and fill a `Report`, telling each step as an `Event` on the way.
//!
//! One `Engine` serves many judgings at once (it is cheap to clone, and Send + Sync): they
//! share its box slots (`runner::Slots`), so side by side they take turns for the cores.
//! A judging is either called and waited for (`judge`, `judge_source`, `judge_request`) or
//! started in the background (`start`), with a stream of events and a cancel.
//!
//! Files: `verdict` (a run's verdict, pure), `grade` (a case's report, pure), `checker`
//! (the built-in comparisons), `runner` (boxes side by side), `compile`, `answers`,
//! `generate`, `custom` (the problem's checker), `report_cache`, `trial` (stress inputs),
//! `events`, `error`, `history` (the user's own record per problem, for `judge list`).
//!
//! Invariant: the engine never prints; the CLI (or any other front end) renders its reports.

pub use crate::report::Mode;

mod answers;
mod case_judging;
pub mod checker;
mod compile;
pub mod complexity;
mod custom;
pub mod default_validator;
mod engine;
mod error;
mod events;
mod generate;
pub mod grade;
pub mod history;
mod judging;
pub mod package;
pub mod package_grade;
pub mod package_programs;
pub mod package_scripts;
pub mod package_time;
mod report_cache;
pub mod runner;
mod streamed;
mod trial;
pub mod verdict;

pub use answers::{sample_answers, Answers};
pub use compile::GENERATOR_FILE;
pub use engine::{Engine, Request, Submission};
pub use error::{JudgeError, MeasureError};
pub use events::{Event, Judging, Observer, Signals};
pub use generate::NotReproducible;
pub use trial::{Contestants, Trial};

use engine::REFERENCE_TIME_SCALE;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_engine_is_shared_across_threads() {
        fn shared<T: Send + Sync + Clone>() {}
        fn sendable<T: Send>() {}
        shared::<Engine>();
        sendable::<Judging>();
    }
}
