//! How many runs make a median, the statistics quoted, and the figures of a run: saved,
//! and compared with a baseline kept in `benches/`.

use std::collections::BTreeMap;

use super::places::{bench_dir, repo};

/// Runs per measurement (`BENCH_RUNS`, default 5): the median of them is quoted.
pub fn runs() -> usize {
    std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5)
}

pub fn median(mut xs: Vec<f64>) -> f64 {
    if xs.is_empty() {
        return f64::NAN;
    }
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// `name` from the environment as a positive number, else `default`.
pub fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&v| v > 0)
        .unwrap_or(default)
}

pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

/// The nearest-rank percentile `p` (0..=100).
pub fn percentile(mut xs: Vec<f64>, p: f64) -> f64 {
    if xs.is_empty() {
        return f64::NAN;
    }
    xs.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * xs.len() as f64).ceil().max(1.0) as usize;
    xs[rank.min(xs.len()) - 1]
}

/// The figures of an earlier run kept in `benches/<file>` (empty when there is none).
pub fn baseline(file: &str) -> BTreeMap<String, f64> {
    std::fs::read_to_string(repo().join("benches").join(file))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

/// Writes this run's figures to `target/bench/<latest>` and says how to keep them as the
/// baseline `benches/<baseline_file>`.
pub fn save<'a>(
    figures: impl IntoIterator<Item = (&'a str, f64)>,
    latest: &str,
    baseline_file: &str,
) {
    let map: BTreeMap<&str, f64> = figures.into_iter().collect();
    let dir = bench_dir();
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(latest);
    let _ = std::fs::write(
        &path,
        serde_json::to_string_pretty(&map).unwrap_or_default(),
    );
    println!(
        "\nwritten to {} (copy it to benches/{baseline_file} to compare later runs with it)",
        path.display()
    );
}
