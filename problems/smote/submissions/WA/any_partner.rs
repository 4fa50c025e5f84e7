// Interpolates towards any other minority row, not only the k nearest.
pub fn smote(minority: Array2<f64>, k: usize, n_synthetic: usize, seed: u64) -> Array2<f64> {
    let _ = k;
    let n = minority.nrows();
    let mut state = seed ^ 0x9E3779B97F4A7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut out = Array2::zeros((n_synthetic, minority.ncols()));
    for i in 0..n_synthetic {
        let p = (next() % n as u64) as usize;
        let mut q = (next() % n as u64) as usize;
        if q == p {
            q = (p + 1) % n;
        }
        let t = (next() % 1000) as f64 / 1000.0;
        let row = &minority.row(p) + &((&minority.row(q) - &minority.row(p)) * t);
        out.row_mut(i).assign(&row);
    }
    out
}
