/// Tukey's fences around numpy-style (linearly interpolated) quartiles.
pub fn iqr_outliers(values: Vec<f64>) -> Vec<usize> {
    let mut sorted = values.clone();
    sorted.sort_by(f64::total_cmp);
    let q1 = quantile(&sorted, 0.25);
    let q3 = quantile(&sorted, 0.75);
    let iqr = q3 - q1;
    let (low, high) = (q1 - 1.5 * iqr, q3 + 1.5 * iqr);
    (0..values.len())
        .filter(|&i| values[i] < low || values[i] > high)
        .collect()
}

/// numpy.percentile's default ("linear") method on sorted data.
fn quantile(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let frac = h - lo as f64;
    match sorted.get(lo + 1) {
        Some(&next) if frac > 0.0 => sorted[lo] + frac * (next - sorted[lo]),
        _ => sorted[lo],
    }
}
