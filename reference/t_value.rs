/// (mean - mu0) / (s / sqrt(n)) with s from the two-pass (centred) sum of squares, which
/// keeps its precision when the values sit far from zero, and compensated sums, so that the
/// reference stays exact to the last digits on half a million values.
pub fn t_value(var: Vec<f64>, mu0: f64) -> f64 {
    let n = var.len() as f64;
    let mean = compensated_sum(var.iter().copied()) / n;
    let squares = compensated_sum(var.iter().map(|x| (x - mean) * (x - mean)));
    let s = (squares / (n - 1.0)).sqrt();
    (mean - mu0) / (s / n.sqrt())
}

/// Neumaier's compensated summation: the rounding error of every addition is carried along.
fn compensated_sum(values: impl Iterator<Item = f64>) -> f64 {
    let (mut sum, mut carry) = (0.0f64, 0.0f64);
    for v in values {
        let t = sum + v;
        carry += if sum.abs() >= v.abs() { (sum - t) + v } else { (v - t) + sum };
        sum = t;
    }
    sum + carry
}
