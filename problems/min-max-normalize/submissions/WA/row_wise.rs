// Normalises each row (sample) instead of each column (feature).
pub fn min_max_normalize(x: Array2<f64>) -> Array2<f64> {
    let mut x = x;
    for mut row in x.rows_mut() {
        let min = row.iter().copied().fold(f64::INFINITY, f64::min);
        let max = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        row.mapv_inplace(|v| if max > min { (v - min) / (max - min) } else { 0.0 });
    }
    x
}
