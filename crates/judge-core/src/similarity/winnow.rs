//! Winnowing (Schleimer, Wilkerson and Aiken, "Winnowing: local algorithms for document
//! fingerprinting", SIGMOD 2003; the method behind MOSS): hash every k-gram of tokens, and
//! of every window of `w` consecutive hashes keep the minimum (the rightmost on ties),
//! recording it once while it stays the window's minimum. Any match of at least `w + k - 1`
//! tokens shares a fingerprint; none shorter than `k` does.
//!
//! Invariant: pure.

/// A kept k-gram hash and where its k-gram starts (a token index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    pub hash: u64,
    pub at: u32,
}

/// The hashes of every k-gram of `codes`, in order (none when there are fewer than `k`).
pub fn kgram_hashes(codes: &[u32], k: usize) -> Vec<u64> {
    if k == 0 || codes.len() < k {
        return Vec::new();
    }
    // A polynomial rolling hash, then mixed: close k-grams get unrelated hashes, so the
    // window's minimum is as good as a random pick.
    let top = (1..k).fold(1u64, |p, _| p.wrapping_mul(BASE));
    let mut h = codes[..k].iter().fold(0u64, |h, &c| {
        h.wrapping_mul(BASE).wrapping_add(u64::from(c))
    });
    let mut out = Vec::with_capacity(codes.len() - k + 1);
    out.push(mix(h));
    for i in k..codes.len() {
        h = h
            .wrapping_sub(u64::from(codes[i - k]).wrapping_mul(top))
            .wrapping_mul(BASE)
            .wrapping_add(u64::from(codes[i]));
        out.push(mix(h));
    }
    out
}

/// The rolling hash's base (FNV's 64-bit prime).
const BASE: u64 = 0x0000_0100_0000_01b3;

/// SplitMix64's finaliser.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The fingerprints of `codes`: robust winnowing of its k-gram hashes with windows of `w`.
/// A text shorter than a window keeps its smallest hash.
#[cfg(test)]
pub fn fingerprints(codes: &[u32], k: usize, w: usize) -> Vec<Fingerprint> {
    winnow(&kgram_hashes(codes, k), w)
}

/// Robust winnowing of k-gram `hashes` with windows of `w` (a text shorter than a window
/// keeps its smallest hash).
pub fn winnow(hashes: &[u64], w: usize) -> Vec<Fingerprint> {
    let w = w.max(1);
    let mut out: Vec<Fingerprint> = Vec::new();
    if hashes.is_empty() {
        return out;
    }
    // Indices of candidate minima, their hashes increasing from front to back.
    let mut window: std::collections::VecDeque<usize> = std::collections::VecDeque::new();
    for (i, &h) in hashes.iter().enumerate() {
        // Rightmost minimum on ties: an equal hash later replaces an earlier one.
        while window.back().is_some_and(|&j| hashes[j] >= h) {
            window.pop_back();
        }
        window.push_back(i);
        if i + 1 < w.min(hashes.len()) {
            continue;
        }
        let start = (i + 1).saturating_sub(w);
        while window.front().is_some_and(|&j| j < start) {
            window.pop_front();
        }
        let Some(&m) = window.front() else { continue };
        if out.last().is_none_or(|f| f.at as usize != m) {
            out.push(Fingerprint {
                hash: hashes[m],
                at: m as u32,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fingerprints by brute force: each window's rightmost minimum, recorded once.
    fn brute(codes: &[u32], k: usize, w: usize) -> Vec<Fingerprint> {
        let hashes = kgram_hashes(codes, k);
        let mut out: Vec<Fingerprint> = Vec::new();
        let w = w.min(hashes.len());
        for start in 0..=hashes.len().saturating_sub(w) {
            if hashes.is_empty() {
                break;
            }
            let window = &hashes[start..start + w];
            let min = *window.iter().min().unwrap();
            let at = start + window.iter().rposition(|&h| h == min).unwrap();
            if out.last().is_none_or(|f| f.at as usize != at) {
                out.push(Fingerprint {
                    hash: min,
                    at: at as u32,
                });
            }
        }
        out
    }

    #[test]
    fn rolling_hashes_equal_hashing_each_kgram() {
        let codes: Vec<u32> = (0..40).map(|i| (i * 7919) % 13).collect();
        let rolled = kgram_hashes(&codes, 5);
        for (i, h) in rolled.iter().enumerate() {
            assert_eq!(*h, kgram_hashes(&codes[i..i + 5], 5)[0]);
        }
        assert!(kgram_hashes(&codes[..4], 5).is_empty());
    }

    #[test]
    fn winnowing_keeps_each_windows_rightmost_minimum() {
        let mut seed = 7u64;
        for len in [0, 1, 5, 9, 30, 200] {
            let codes: Vec<u32> = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    (seed >> 60) as u32
                })
                .collect();
            for (k, w) in [(1, 1), (3, 4), (5, 8), (8, 3)] {
                assert_eq!(
                    fingerprints(&codes, k, w),
                    brute(&codes, k, w),
                    "len {len} k {k} w {w}"
                );
            }
        }
    }

    #[test]
    fn a_long_enough_shared_run_always_shares_a_fingerprint() {
        let shared: Vec<u32> = (0..20).map(|i| 100 + i).collect();
        let a: Vec<u32> = [vec![1, 2, 3, 4, 5, 6], shared.clone(), vec![7, 8]].concat();
        let b: Vec<u32> = [vec![9, 9], shared, vec![10, 11, 12]].concat();
        let (k, w) = (5, 8);
        let fa: std::collections::HashSet<u64> =
            fingerprints(&a, k, w).iter().map(|f| f.hash).collect();
        let fb: std::collections::HashSet<u64> =
            fingerprints(&b, k, w).iter().map(|f| f.hash).collect();
        assert!(fa.intersection(&fb).count() >= 1);
    }
}
