/// Batch gradient descent on MSE from (0, 0); both derivatives at the same point per step.
pub fn gradient_descent(x: Array1<f64>, y: Array1<f64>, learning_rate: f64, epochs: usize) -> (f64, f64) {
    let n = x.len() as f64;
    let (mut slope, mut intercept) = (0.0, 0.0);
    for _ in 0..epochs {
        let (mut d_slope, mut d_intercept) = (0.0, 0.0);
        for (&xi, &yi) in x.iter().zip(&y) {
            let error = yi - (slope * xi + intercept);
            d_slope += xi * error;
            d_intercept += error;
        }
        slope -= learning_rate * (-2.0 / n) * d_slope;
        intercept -= learning_rate * (-2.0 / n) * d_intercept;
    }
    (slope, intercept)
}
