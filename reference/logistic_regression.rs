/// Batch gradient descent on mean log-loss from zero; every step uses the gradient at the
/// current point for all parameters.
pub fn logistic_regression(x: Array2<f64>, y: Vec<u8>, learning_rate: f64, iterations: usize) -> Vec<f64> {
    let n = x.nrows() as f64;
    let y = Array1::from_iter(y.iter().map(|&v| f64::from(v)));
    let mut w = Array1::<f64>::zeros(x.ncols());
    let mut b = 0.0;
    for _ in 0..iterations {
        let residual = (x.dot(&w) + b).mapv(sigmoid) - &y;
        let grad_w = x.t().dot(&residual) / n;
        let grad_b = residual.sum() / n;
        w.scaled_add(-learning_rate, &grad_w);
        b -= learning_rate * grad_b;
    }
    std::iter::once(b).chain(w).collect()
}

fn sigmoid(z: f64) -> f64 {
    // exp(-z) overflows to inf for very negative z, which still gives the right limit, 0.
    1.0 / (1.0 + (-z).exp())
}
