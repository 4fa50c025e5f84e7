//! The comparison: every submission fingerprinted (its base code's fingerprints left out),
//! fingerprints in most submissions dropped, shared fingerprints counted per pair through
//! an index (split over the cores), pairs scored and ranked, the best ones' regions found.

use std::collections::{HashMap, HashSet};

use super::lexer::Language;
use super::schema::{Ignored, Pair, Report, Summary, SIMILARITY_SCHEMA};
use super::{regions, winnow};

/// One text to compare.
#[derive(Debug, Clone)]
pub struct Submission {
    /// As the report names it (its path as given).
    pub name: String,
    pub language: &'static Language,
    pub text: String,
}

/// How the comparison is made.
#[derive(Debug, Clone)]
pub struct Options {
    /// Tokens in a k-gram: no match shorter is seen (the noise threshold).
    pub k: usize,
    /// Hashes in a winnowing window: every match of `window + k - 1` tokens is seen.
    pub window: usize,
    /// Code every submission was given (the problem's stub, base files): none of its
    /// k-grams counts.
    pub base: Vec<Submission>,
    /// A fingerprint in more than this share of the submissions (and in at least three)
    /// is code everyone writes, and does not count.
    pub common: f64,
    /// Pairs listed, best first.
    pub top: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            k: usize::from(DEFAULT_K),
            window: usize::from(DEFAULT_WINDOW),
            base: Vec::new(),
            common: 0.5,
            top: 20,
        }
    }
}

/// The noise threshold in tokens: more than a statement (`let x = a[i] + b;` is 10), so
/// that the idioms everyone writes alike are not taken for copying.
pub const DEFAULT_K: u16 = 15;
/// So that any shared run of 15 + 8 - 1 = 22 tokens (about two statements) is found.
pub const DEFAULT_WINDOW: u16 = 8;

/// A submission tokenised and fingerprinted.
struct Printed {
    lines: Vec<u32>,
    fingerprints: Vec<winnow::Fingerprint>,
    /// Its distinct fingerprint hashes, sorted.
    distinct: Vec<u64>,
    /// Fingerprints dropped as the base code's.
    base: usize,
}

/// Compares every pair of `submissions`.
pub fn compare(submissions: &[Submission], options: &Options) -> Report {
    let (k, window) = (options.k.max(1), options.window.max(1));
    let base: HashSet<u64> = options
        .base
        .iter()
        .flat_map(|b| {
            let codes: Vec<u32> = b.language.tokens(&b.text).iter().map(|t| t.code).collect();
            winnow::kgram_hashes(&codes, k)
        })
        .collect();
    let printed = print_all(submissions, k, window, &base);
    let n = submissions.len();
    let mut frequency: HashMap<u64, u32> = HashMap::new();
    for p in &printed {
        for &h in &p.distinct {
            *frequency.entry(h).or_insert(0) += 1;
        }
    }
    // "Most" submissions, and never fewer than three: two alike are what is looked for.
    let common_at_least = ((options.common * n as f64).floor() as usize + 1).max(3);
    let is_common = |h: &u64| frequency[h] as usize >= common_at_least;
    let ignored = Ignored {
        base: printed.iter().map(|p| p.base).sum(),
        common: frequency.keys().filter(|h| is_common(h)).count(),
        common_at_least,
    };
    let counted: Vec<Vec<u64>> = printed
        .iter()
        .map(|p| {
            p.distinct
                .iter()
                .copied()
                .filter(|h| !is_common(h))
                .collect()
        })
        .collect();
    let mut ranked = shared_counts(&counted);
    let score = |(a, b, s): &(usize, usize, u32)| {
        2.0 * f64::from(*s) / (counted[*a].len() + counted[*b].len()).max(1) as f64
    };
    ranked.sort_by(|x, y| {
        score(y).total_cmp(&score(x)).then_with(|| {
            (&submissions[x.0].name, &submissions[x.1].name)
                .cmp(&(&submissions[y.0].name, &submissions[y.1].name))
        })
    });
    let pairs = ranked
        .iter()
        .take(options.top)
        .map(|&(a, b, s)| {
            let (ca, cb) = (
                counted[a].len().max(1) as f64,
                counted[b].len().max(1) as f64,
            );
            let counted_b: HashSet<u64> = counted[b].iter().copied().collect();
            Pair {
                a: submissions[a].name.clone(),
                b: submissions[b].name.clone(),
                score: round(score(&(a, b, s))),
                a_share: round(f64::from(s) / ca),
                b_share: round(f64::from(s) / cb),
                shared: s as usize,
                regions: regions::find(
                    (&printed[a].fingerprints, &printed[a].lines),
                    (&printed[b].fingerprints, &printed[b].lines),
                    &|h| counted_b.contains(&h),
                    k,
                    window,
                ),
            }
        })
        .collect();
    Report {
        schema: SIMILARITY_SCHEMA,
        k,
        window,
        submissions: submissions
            .iter()
            .zip(&printed)
            .zip(&counted)
            .map(|((s, p), c)| Summary {
                name: s.name.clone(),
                language: s.language.name.to_string(),
                tokens: p.lines.len(),
                fingerprints: c.len(),
            })
            .collect(),
        skipped: Vec::new(),
        pairs_compared: (n as u64 * n.saturating_sub(1) as u64) / 2,
        ignored,
        pairs,
    }
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Every submission tokenised and fingerprinted, side by side on the machine's cores.
fn print_all(
    submissions: &[Submission],
    k: usize,
    window: usize,
    base: &HashSet<u64>,
) -> Vec<Printed> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(submissions.len().max(1));
    let chunk = submissions.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = submissions
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|s| print(s, k, window, base))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// A submission's fingerprints, less those of code it was given: a k-gram of the base
/// code, and any k-gram mostly made of such code (the stub's signature and the first
/// tokens after it are in every submission alike).
fn print(s: &Submission, k: usize, window: usize, base: &HashSet<u64>) -> Printed {
    let tokens = s.language.tokens(&s.text);
    let codes: Vec<u32> = tokens.iter().map(|t| t.code).collect();
    let hashes = winnow::kgram_hashes(&codes, k);
    let mut given = vec![false; codes.len()];
    for (i, h) in hashes.iter().enumerate() {
        if base.contains(h) {
            given[i..i + k].fill(true);
        }
    }
    let (fingerprints, dropped): (Vec<_>, Vec<_>) =
        winnow::winnow(&hashes, window).into_iter().partition(|f| {
            let at = f.at as usize;
            given[at..at + k].iter().filter(|g| **g).count() * 2 <= k
        });
    let mut distinct: Vec<u64> = fingerprints.iter().map(|f| f.hash).collect();
    distinct.sort_unstable();
    distinct.dedup();
    Printed {
        lines: tokens.iter().map(|t| t.line).collect(),
        fingerprints,
        distinct,
        base: dropped.len(),
    }
}

/// For every pair of submissions sharing a counted fingerprint, how many they share:
/// through an index from each fingerprint to the submissions holding it, so pairs that
/// share nothing cost nothing. The index's entries are split over the cores, each counting
/// into a table of its own (a triangle of every pair, up to `DENSE_UP_TO` submissions; else
/// a map of the pairs met), added up at the end.
fn shared_counts(counted: &[Vec<u64>]) -> Vec<(usize, usize, u32)> {
    let mut holders: HashMap<u64, Vec<u32>> = HashMap::new();
    for (i, hashes) in counted.iter().enumerate() {
        for &h in hashes {
            holders.entry(h).or_default().push(i as u32);
        }
    }
    let lists: Vec<Vec<u32>> = holders.into_values().filter(|f| f.len() > 1).collect();
    let n = counted.len();
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(lists.len().max(1));
    let chunk = lists.len().div_ceil(threads).max(1);
    let tables: Vec<PairTable> = std::thread::scope(|scope| {
        let handles: Vec<_> = lists
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    let mut table = PairTable::new(n);
                    for files in part {
                        for (x, &a) in files.iter().enumerate() {
                            for &b in &files[x + 1..] {
                                table.add(a as usize, b as usize);
                            }
                        }
                    }
                    table
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    let mut total = PairTable::new(n);
    for t in tables {
        total.merge(t);
    }
    total.pairs()
}

/// Submissions up to which pair counts are kept in a triangle of every pair (4 bytes a
/// pair: 8 MiB at this size, per core counting).
const DENSE_UP_TO: usize = 2048;

/// Shared-fingerprint counts by pair (a < b).
enum PairTable {
    Dense { n: usize, counts: Vec<u32> },
    Sparse(HashMap<(u32, u32), u32>),
}

impl PairTable {
    fn new(n: usize) -> PairTable {
        if n <= DENSE_UP_TO {
            PairTable::Dense {
                n,
                counts: vec![0; n * n.saturating_sub(1) / 2],
            }
        } else {
            PairTable::Sparse(HashMap::new())
        }
    }

    /// Row a of the triangle starts after the rows above it: a (2n - a - 1) / 2.
    fn index(n: usize, a: usize, b: usize) -> usize {
        a * (2 * n - a - 1) / 2 + (b - a - 1)
    }

    fn add(&mut self, a: usize, b: usize) {
        match self {
            PairTable::Dense { n, counts } => counts[Self::index(*n, a, b)] += 1,
            PairTable::Sparse(map) => *map.entry((a as u32, b as u32)).or_insert(0) += 1,
        }
    }

    fn merge(&mut self, other: PairTable) {
        match (self, other) {
            (PairTable::Dense { counts, .. }, PairTable::Dense { counts: more, .. }) => {
                for (c, m) in counts.iter_mut().zip(more) {
                    *c += m;
                }
            }
            (PairTable::Sparse(map), PairTable::Sparse(more)) => {
                for (k, v) in more {
                    *map.entry(k).or_insert(0) += v;
                }
            }
            // Tables of one comparison are all of one kind.
            _ => {}
        }
    }

    fn pairs(self) -> Vec<(usize, usize, u32)> {
        match self {
            PairTable::Dense { n, counts } => {
                let mut out = Vec::new();
                for a in 0..n {
                    for b in a + 1..n {
                        let c = counts[Self::index(n, a, b)];
                        if c > 0 {
                            out.push((a, b, c));
                        }
                    }
                }
                out
            }
            PairTable::Sparse(map) => map
                .into_iter()
                .map(|((a, b), c)| (a as usize, b as usize, c))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::similarity::lexer;

    #[test]
    fn pair_tables_count_alike_dense_or_sparse() {
        let counted = vec![vec![1, 2, 3], vec![2, 3, 4], vec![3, 4, 5], vec![9]];
        let mut dense = shared_counts(&counted);
        dense.sort_unstable();
        assert_eq!(dense, vec![(0, 1, 2), (0, 2, 1), (1, 2, 2)]);
        let mut sparse = PairTable::Sparse(HashMap::new());
        sparse.add(0, 1);
        sparse.add(0, 1);
        sparse.add(1, 2);
        let mut pairs = sparse.pairs();
        pairs.sort_unstable();
        assert_eq!(pairs, vec![(0, 1, 2), (1, 2, 1)]);
        // Every pair of a triangle has its own place.
        let n = 7;
        let mut seen = std::collections::HashSet::new();
        for a in 0..n {
            for b in a + 1..n {
                assert!(seen.insert(PairTable::index(n, a, b)));
            }
        }
        assert_eq!(seen.len(), n * (n - 1) / 2);
        assert_eq!(seen.iter().max(), Some(&(n * (n - 1) / 2 - 1)));
    }

    fn rust(name: &str, text: &str) -> Submission {
        Submission {
            name: name.into(),
            language: &lexer::RUST,
            text: text.into(),
        }
    }

    #[test]
    fn a_renamed_reordered_copy_matches_and_the_base_does_not_count() {
        let a = "fn helper(values: &[i64]) -> i64 {\n    let mut total = 0;\n    for v in values { if *v > 0 { total += v * 2; } else { total -= 1; } }\n    total\n}\n\npub fn solve(xs: Vec<i64>) -> i64 {\n    let doubled: Vec<i64> = xs.iter().map(|x| x * 2).collect();\n    helper(&doubled) + doubled.len() as i64\n}\n";
        let b = "// solution\npub fn solve(input: Vec<i64>) -> i64 {\n    let twice: Vec<i64> = input.iter().map(|y| y * 2).collect();\n    sum_up(&twice) + twice.len() as i64\n}\n\n/* sums */\nfn sum_up(items: &[i64]) -> i64 {\n    let mut acc = 0;\n    for it in items { if *it > 0 { acc += it * 2; } else { acc -= 1; } }\n    acc\n}\n";
        let options = Options {
            k: 8,
            window: 4,
            ..Options::default()
        };
        let report = compare(&[rust("a.rs", a), rust("b.rs", b)], &options);
        assert_eq!(report.pairs.len(), 1);
        assert!(report.pairs[0].score > 0.7, "{report:#?}");
        assert!(!report.pairs[0].regions.is_empty());
        let based = Options {
            base: vec![rust("base.rs", a)],
            ..options
        };
        let report = compare(&[rust("a.rs", a), rust("b.rs", b)], &based);
        assert!(report.pairs.iter().all(|p| p.score < 0.2), "{report:#?}");
        assert!(report.ignored.base > 0);
    }
}
