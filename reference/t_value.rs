/// (mean - mu0) / (s / sqrt(n)) with s from the two-pass (centred) sum of squares, which
/// keeps its precision when the values sit far from zero.
pub fn t_value(var: Vec<f64>, mu0: f64) -> f64 {
    let n = var.len() as f64;
    let mean = var.iter().sum::<f64>() / n;
    let squares: f64 = var.iter().map(|x| (x - mean) * (x - mean)).sum();
    let s = (squares / (n - 1.0)).sqrt();
    (mean - mu0) / (s / n.sqrt())
}
