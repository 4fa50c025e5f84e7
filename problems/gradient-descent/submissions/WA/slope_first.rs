// Updates the slope first, then computes the intercept's derivative with the new slope.
pub fn gradient_descent(x: Array1<f64>, y: Array1<f64>, learning_rate: f64, epochs: usize) -> (f64, f64) {
    let n = x.len() as f64;
    let (mut m, mut b) = (0.0, 0.0);
    for _ in 0..epochs {
        let dm: f64 = (0..x.len()).map(|i| -2.0 * x[i] * (y[i] - (m * x[i] + b))).sum::<f64>() / n;
        m -= learning_rate * dm;
        let db: f64 = (0..x.len()).map(|i| -2.0 * (y[i] - (m * x[i] + b))).sum::<f64>() / n;
        b -= learning_rate * db;
    }
    (m, b)
}
