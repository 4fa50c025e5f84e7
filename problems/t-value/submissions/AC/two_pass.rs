pub fn t_value(var: Vec<f64>, mu0: f64) -> f64 {
    let n = var.len() as f64;
    let mean: f64 = var.iter().sum::<f64>() / n;
    let mut ss = 0.0;
    for x in &var {
        ss += (x - mean).powi(2);
    }
    let sd = (ss / (n - 1.0)).sqrt();
    (mean - mu0) / (sd / n.sqrt())
}
