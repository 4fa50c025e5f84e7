//! What every bench shares: where the repository and the bench's own judge cache are, how
//! many runs make a median, the baseline a run is compared with, and where a run is saved.
//! Each bench includes it with `mod common;` and uses what it needs.

// Each bench uses a part of it: the rest is unused there.
#![allow(dead_code, unused_imports)]

mod candidate;
mod figures;
mod places;
mod rng;

pub use candidate::add_candidate;
pub use figures::{baseline, cores, env_usize, median, percentile, runs, save};
pub use places::{bench_dir, cache, repo};
pub use rng::Rng;
