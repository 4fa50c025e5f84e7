//! What every bench shares: where the repository and the bench's own judge cache are, how
//! many runs make a median, the baseline a run is compared with, and where a run is saved.
//! Each bench includes it with `mod common;` and uses what it needs.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::PathBuf;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The judge cache the benches judge with, apart from the tests' and the user's.
pub fn cache() -> PathBuf {
    bench_dir().join("cache")
}

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

/// Where the benches write their figures and keep their own caches.
pub fn bench_dir() -> PathBuf {
    repo().join("target/bench")
}

/// Xorshift64*: the same inputs on every run.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
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

/// A new candidate added by `judge` (a `judge` command with the bench's environment) to the
/// store `place` names (`--data DIR` or `--db URL`); its token, the last word printed.
pub fn add_candidate(mut judge: std::process::Command, place: &[String], name: &str) -> String {
    let out = judge
        .args(["user", "add", name, "--role", "candidate"])
        .args(place)
        .output()
        .expect("judge user add runs");
    assert!(
        out.status.success(),
        "judge user add: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .last()
        .expect("a token")
        .to_string()
}
