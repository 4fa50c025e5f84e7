// A candidate's SMOTE with an xorshift generator and t exactly on the segment.
pub fn smote(minority: Array2<f64>, k: usize, n_synthetic: usize, seed: u64) -> Array2<f64> {
    let n = minority.nrows();
    let d = minority.ncols();
    let mut state = seed | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut out = Array2::zeros((n_synthetic, d));
    for i in 0..n_synthetic {
        let p = (next() % n as u64) as usize;
        let mut dists: Vec<(f64, usize)> = (0..n)
            .filter(|&j| j != p)
            .map(|j| {
                let diff = &minority.row(j) - &minority.row(p);
                (diff.dot(&diff), j)
            })
            .collect();
        dists.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let q = dists[(next() % k as u64) as usize].1;
        let t = (next() % 1_000_001) as f64 / 1_000_000.0;
        for j in 0..d {
            out[[i, j]] = minority[[p, j]] + t * (minority[[q, j]] - minority[[p, j]]);
        }
    }
    out
}
