// Forgets the constant column: 0 / 0 gives NaN where the rules ask for 0.0.
pub fn min_max_normalize(x: Array2<f64>) -> Array2<f64> {
    let mut x = x;
    for mut column in x.columns_mut() {
        let min = column.iter().copied().fold(f64::INFINITY, f64::min);
        let max = column.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        column.mapv_inplace(|v| (v - min) / (max - min));
    }
    x
}
