//! Measured complexity (`judge complexity`, and the opt-in section of a submission's report):
//! the solution and the reference run on generated inputs of growing size, each run's cost
//! measured, the growth fitted on a log-log scale (`fit.rs`) and compared.
//!
//! The sizes are the generator's `size` argument, halved down from the largest hidden case's
//! (`fit::ladder`), climbed from the smallest; each program climbs until one of its runs takes
//! about `Options::target_ms` of CPU time, a run fails, or it reaches the largest size. Every
//! size is run on each seed of the hidden generated cases and costs as much as its slowest
//! seed (a solution slow only on some inputs is slow). The smallest size's cost is start-up
//! (exec, reading the input), subtracted; only sizes that cost well above it are fitted, and
//! only the largest few (the asymptote, not the start). Costs are instructions retired where
//! the host has the counter (`sandbox::counter`), else CPU time by the kernel's task clock,
//! else the box's CPU account; CPU time is measured three times per size (five when those
//! disagree) and its median taken. Runs use the same box and limits as judging, every
//! program's runs side by side on the engine's slots. The whole climb is bounded by
//! `Options::budget`.

mod climb;
mod climber;
mod conclude;
pub mod fit;
mod options;
mod rung;
mod source;

pub use options::Options;
