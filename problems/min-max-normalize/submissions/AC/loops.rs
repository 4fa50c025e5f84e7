// A plain two-pass solution with index loops.
pub fn min_max_normalize(x: Array2<f64>) -> Array2<f64> {
    let (rows, cols) = x.dim();
    let mut out = Array2::zeros((rows, cols));
    for j in 0..cols {
        let mut lo = f64::MAX;
        let mut hi = f64::MIN;
        for i in 0..rows {
            lo = lo.min(x[[i, j]]);
            hi = hi.max(x[[i, j]]);
        }
        for i in 0..rows {
            out[[i, j]] = if hi == lo { 0.0 } else { (x[[i, j]] - lo) / (hi - lo) };
        }
    }
    out
}
