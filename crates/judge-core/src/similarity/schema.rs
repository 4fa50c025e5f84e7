//! The report of a comparison: its own versioned `--json` schema (docs/similarity.md),
//! owned data for any front end.

use serde::{Deserialize, Serialize};

/// The `--json` schema of a comparison (docs/similarity.md).
pub const SIMILARITY_SCHEMA: u32 = 1;

/// What a comparison found.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Report {
    pub schema: u32,
    pub k: usize,
    pub window: usize,
    pub submissions: Vec<Summary>,
    /// Files passed over (folders' files of no known language, files too large).
    pub skipped: Vec<Skipped>,
    /// Every pair of submissions was scored.
    pub pairs_compared: u64,
    pub ignored: Ignored,
    /// The best pairs, best first (at most `Options::top`, none scoring 0).
    pub pairs: Vec<Pair>,
}

/// One submission as compared.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Summary {
    pub name: String,
    pub language: String,
    pub tokens: usize,
    /// Its distinct fingerprints that count (not in the base code, not common).
    pub fingerprints: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Skipped {
    pub name: String,
    pub why: String,
}

/// Fingerprints that do not count.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Ignored {
    /// Fingerprints of submissions made mostly of the base code (summed over submissions).
    pub base: usize,
    /// Distinct fingerprints in at least `common_at_least` submissions.
    pub common: usize,
    pub common_at_least: usize,
}

/// Two submissions and what they share.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Pair {
    pub a: String,
    pub b: String,
    /// Shared fingerprints over the mean of both counts (the Dice coefficient), 0 to 1.
    pub score: f64,
    /// The share of `a`'s fingerprints found in `b`, and the other way.
    pub a_share: f64,
    pub b_share: f64,
    pub shared: usize,
    /// The stretches they share, as line ranges, in `a`'s order.
    pub regions: Vec<Region>,
}

/// A stretch of `a` (lines `a_from..=a_to`) matching one of `b`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Region {
    pub a_from: u32,
    pub a_to: u32,
    pub b_from: u32,
    pub b_to: u32,
    /// Tokens of `a` it spans.
    pub tokens: u32,
}
