// Counts values sitting exactly on a fence as outliers.
pub fn iqr_outliers(values: Vec<f64>) -> Vec<usize> {
    let mut s = values.clone();
    s.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let q = |p: f64| {
        let h = (s.len() - 1) as f64 * p;
        let lo = h.floor() as usize;
        let hi = (lo + 1).min(s.len() - 1);
        s[lo] + (h - lo as f64) * (s[hi] - s[lo])
    };
    let (q1, q3) = (q(0.25), q(0.75));
    let iqr = q3 - q1;
    (0..values.len())
        .filter(|&i| values[i] <= q1 - 1.5 * iqr || values[i] >= q3 + 1.5 * iqr)
        .collect()
}
