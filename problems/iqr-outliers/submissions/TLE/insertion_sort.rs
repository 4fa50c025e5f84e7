// Keeps a sorted copy by inserting each value at its place: quadratic in the sample size.
pub fn iqr_outliers(values: Vec<f64>) -> Vec<usize> {
    let mut s: Vec<f64> = Vec::new();
    for &v in &values {
        let at = s.iter().position(|&x| x > v).unwrap_or(s.len());
        s.insert(at, v);
    }
    let q = |p: f64| {
        let h = (s.len() - 1) as f64 * p;
        let lo = h.floor() as usize;
        let hi = (lo + 1).min(s.len() - 1);
        s[lo] + (h - lo as f64) * (s[hi] - s[lo])
    };
    let (q1, q3) = (q(0.25), q(0.75));
    let iqr = q3 - q1;
    (0..values.len()).filter(|&i| values[i] < q1 - 1.5 * iqr || values[i] > q3 + 1.5 * iqr).collect()
}
