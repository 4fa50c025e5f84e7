// Approximates the fit with a fixed budget of gradient descent steps: close, but not within
// 1e-6 of the least squares solution.
pub fn linear_regression(x: Array2<f64>, y: Array1<f64>) -> Vec<f64> {
    let (n, d) = x.dim();
    let mut w = vec![0.0; d + 1];
    let lr = 0.01;
    for _ in 0..2000 {
        let mut grad = vec![0.0; d + 1];
        for i in 0..n {
            let pred = w[0] + (0..d).map(|j| w[j + 1] * x[[i, j]]).sum::<f64>();
            let err = pred - y[i];
            grad[0] += err;
            for j in 0..d {
                grad[j + 1] += err * x[[i, j]];
            }
        }
        for j in 0..=d {
            w[j] -= lr * grad[j] / n as f64;
        }
    }
    w
}
