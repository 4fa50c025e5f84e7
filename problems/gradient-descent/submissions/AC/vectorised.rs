pub fn gradient_descent(x: Array1<f64>, y: Array1<f64>, learning_rate: f64, epochs: usize) -> (f64, f64) {
    let n = x.len() as f64;
    let mut m = 0.0;
    let mut b = 0.0;
    for _ in 0..epochs {
        let err = &y - &(&x * m + b);
        let dm = -2.0 / n * (&x * &err).sum();
        let db = -2.0 / n * err.sum();
        m -= learning_rate * dm;
        b -= learning_rate * db;
    }
    (m, b)
}
