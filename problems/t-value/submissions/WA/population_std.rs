// Uses the population standard deviation (n denominator), numpy's np.std default.
pub fn t_value(var: Vec<f64>, mu0: f64) -> f64 {
    let n = var.len() as f64;
    let mean: f64 = var.iter().sum::<f64>() / n;
    let sd = (var.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt();
    (mean - mu0) / (sd / n.sqrt())
}
