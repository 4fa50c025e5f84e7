// Looks up its column's minimum and maximum again for every cell: quadratic in the rows.
pub fn min_max_normalize(x: Array2<f64>) -> Array2<f64> {
    let (rows, cols) = x.dim();
    let mut out = Array2::zeros((rows, cols));
    for i in 0..rows {
        for j in 0..cols {
            let column = x.column(j);
            let lo = column.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = column.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            out[[i, j]] = if hi > lo { (x[[i, j]] - lo) / (hi - lo) } else { 0.0 };
        }
    }
    out
}
