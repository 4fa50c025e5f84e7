pub fn logistic_regression(x: Array2<f64>, y: Vec<u8>, learning_rate: f64, iterations: usize) -> Vec<f64> {
    let (n, d) = x.dim();
    let mut w = vec![0.0; d + 1];
    for _ in 0..iterations {
        let mut g = vec![0.0; d + 1];
        for i in 0..n {
            let mut z = w[0];
            for j in 0..d {
                z += w[j + 1] * x[[i, j]];
            }
            let err = 1.0 / (1.0 + (-z).exp()) - y[i] as f64;
            g[0] += err;
            for j in 0..d {
                g[j + 1] += err * x[[i, j]];
            }
        }
        for j in 0..=d {
            w[j] -= learning_rate * g[j] / n as f64;
        }
    }
    w
}
