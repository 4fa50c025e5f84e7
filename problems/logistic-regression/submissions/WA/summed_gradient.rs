// Uses the summed gradient instead of the mean: steps n times too large.
pub fn logistic_regression(x: Array2<f64>, y: Vec<u8>, learning_rate: f64, iterations: usize) -> Vec<f64> {
    let (n, d) = x.dim();
    let mut w = vec![0.0; d + 1];
    for _ in 0..iterations {
        let mut g = vec![0.0; d + 1];
        for i in 0..n {
            let z = w[0] + (0..d).map(|j| w[j + 1] * x[[i, j]]).sum::<f64>();
            let err = 1.0 / (1.0 + (-z).exp()) - y[i] as f64;
            g[0] += err;
            for j in 0..d {
                g[j + 1] += err * x[[i, j]];
            }
        }
        for j in 0..=d {
            w[j] -= learning_rate * g[j];
        }
    }
    w
}
