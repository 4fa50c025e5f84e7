/// Column-wise (v - min) / (max - min), with constant columns mapped to 0.
pub fn min_max_normalize(x: Array2<f64>) -> Array2<f64> {
    let mut x = x;
    for mut column in x.columns_mut() {
        let min = column.iter().copied().fold(f64::INFINITY, f64::min);
        let max = column.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let range = max - min;
        // A constant column has nothing to scale by; scikit-learn maps it to 0 as well.
        column.mapv_inplace(|v| if range > 0.0 { (v - min) / range } else { 0.0 });
    }
    x
}
