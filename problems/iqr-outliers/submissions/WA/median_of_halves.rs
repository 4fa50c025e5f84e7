// Takes the quartiles as the medians of the lower and upper halves (the textbook method),
// not numpy's interpolation.
fn median(v: &[f64]) -> f64 {
    let n = v.len();
    if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 }
}

pub fn iqr_outliers(values: Vec<f64>) -> Vec<usize> {
    let mut s = values.clone();
    s.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = s.len();
    let (q1, q3) = if n < 2 {
        (s[0], s[0])
    } else {
        (median(&s[..n / 2]), median(&s[(n + 1) / 2..]))
    };
    let iqr = q3 - q1;
    (0..n).filter(|&i| values[i] < q1 - 1.5 * iqr || values[i] > q3 + 1.5 * iqr).collect()
}
