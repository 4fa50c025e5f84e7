//! Where two submissions match: their shared fingerprints chained into stretches that run
//! forward in both texts together (a copied function, wherever it was moved to), as line
//! ranges of each.
//!
//! Invariant: pure.

use super::winnow::Fingerprint;
use super::Region;

/// Occurrences of one fingerprint paired at most (a line repeated many times would pair
/// every copy with every other).
const MOST_OCCURRENCES: usize = 4;

/// The stretches `a` and `b` share (each a text's fingerprints and its tokens' lines),
/// counting only fingerprints for which `counts` holds; the largest first chosen, none
/// overlapping another in either text, returned in `a`'s order.
pub fn find(
    (a, a_lines): (&[Fingerprint], &[u32]),
    (b, b_lines): (&[Fingerprint], &[u32]),
    counts: &dyn Fn(u64) -> bool,
    k: usize,
    window: usize,
) -> Vec<Region> {
    let mut in_b: std::collections::HashMap<u64, Vec<u32>> = std::collections::HashMap::new();
    for f in b.iter().filter(|f| counts(f.hash)) {
        let at = in_b.entry(f.hash).or_default();
        if at.len() < MOST_OCCURRENCES {
            at.push(f.at);
        }
    }
    let mut matches: Vec<(u32, u32)> = Vec::new();
    let mut seen_in_a: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
    for f in a {
        let Some(bs) = in_b.get(&f.hash) else {
            continue;
        };
        let seen = seen_in_a.entry(f.hash).or_insert(0);
        if *seen >= MOST_OCCURRENCES {
            continue;
        }
        *seen += 1;
        matches.extend(bs.iter().map(|&pb| (f.at, pb)));
    }
    matches.sort_unstable();
    let stretches = chain(&matches, (window + k) as u32);
    pick(stretches, k as u32, (a_lines, b_lines))
}

/// A run of matches: token ranges [start, end] of k-gram starts in each text.
#[derive(Debug, Clone, Copy)]
struct Stretch {
    a: (u32, u32),
    b: (u32, u32),
}

/// Matches (sorted by `a`) chained while both texts move forward by at most `gap` tokens.
fn chain(matches: &[(u32, u32)], gap: u32) -> Vec<Stretch> {
    let mut open: Vec<Stretch> = Vec::new();
    for &(pa, pb) in matches {
        let extends = open
            .iter_mut()
            .rev()
            .take(8)
            .find(|s| pa > s.a.1 && pa - s.a.1 <= gap && pb > s.b.1 && pb - s.b.1 <= gap);
        match extends {
            Some(s) => {
                s.a.1 = pa;
                s.b.1 = pb;
            }
            None => open.push(Stretch {
                a: (pa, pa),
                b: (pb, pb),
            }),
        }
    }
    open
}

/// The largest stretches first, each kept unless it overlaps one kept in either text.
fn pick(mut stretches: Vec<Stretch>, k: u32, (a_lines, b_lines): (&[u32], &[u32])) -> Vec<Region> {
    stretches.sort_by_key(|s| std::cmp::Reverse(s.a.1 - s.a.0));
    // Each covers its k-gram starts and k - 1 tokens more: two stretches side by side share
    // up to that many tokens, and overlap only beyond it.
    let overlaps = |x: (u32, u32), y: (u32, u32)| {
        let shared = i64::from(x.1.min(y.1)) + i64::from(k) - i64::from(x.0.max(y.0));
        shared >= i64::from(k)
    };
    let mut kept: Vec<Stretch> = Vec::new();
    for s in stretches {
        if kept
            .iter()
            .all(|t| !overlaps(s.a, t.a) && !overlaps(s.b, t.b))
        {
            kept.push(s);
        }
    }
    kept.sort_by_key(|s| s.a.0);
    let line = |lines: &[u32], token: u32| {
        lines
            .get((token as usize).min(lines.len().saturating_sub(1)))
            .copied()
            .unwrap_or(1)
    };
    kept.iter()
        .map(|s| Region {
            a_from: line(a_lines, s.a.0),
            a_to: line(a_lines, s.a.1 + k - 1),
            b_from: line(b_lines, s.b.0),
            b_to: line(b_lines, s.b.1 + k - 1),
            tokens: s.a.1 - s.a.0 + k,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp(hash: u64, at: u32) -> Fingerprint {
        Fingerprint { hash, at }
    }

    #[test]
    fn a_moved_block_is_one_region_in_each_text() {
        // a: block X at tokens 0..30 then block Y at 40..70; b: Y first, then X.
        let a = [
            fp(1, 0),
            fp(2, 10),
            fp(3, 20),
            fp(4, 40),
            fp(5, 50),
            fp(6, 60),
        ];
        let b = [
            fp(4, 0),
            fp(5, 10),
            fp(6, 20),
            fp(1, 40),
            fp(2, 50),
            fp(3, 60),
        ];
        let lines: Vec<u32> = (0..100).map(|t| t / 10 + 1).collect();
        // Windows of 8 keep a fingerprint at least every 8 tokens; these are 10 apart, which
        // windows of 10 allow.
        let r = find((&a, &lines), (&b, &lines), &|_| true, 5, 10);
        assert_eq!(
            r,
            vec![
                Region {
                    a_from: 1,
                    a_to: 3,
                    b_from: 5,
                    b_to: 7,
                    tokens: 25
                },
                Region {
                    a_from: 5,
                    a_to: 7,
                    b_from: 1,
                    b_to: 3,
                    tokens: 25
                },
            ]
        );
    }

    #[test]
    fn fingerprints_that_do_not_count_make_no_region() {
        let a = [fp(1, 0), fp(2, 10)];
        let b = [fp(1, 0), fp(2, 10)];
        let lines: Vec<u32> = (0..30).map(|t| t + 1).collect();
        assert!(find((&a, &lines), (&b, &lines), &|_| false, 5, 4).is_empty());
        assert_eq!(find((&a, &lines), (&b, &lines), &|h| h == 2, 5, 4).len(), 1);
    }
}
