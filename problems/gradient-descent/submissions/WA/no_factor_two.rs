// Drops the 2 of the derivative (the gradient of MSE / 2): every step is half as long.
pub fn gradient_descent(x: Array1<f64>, y: Array1<f64>, learning_rate: f64, epochs: usize) -> (f64, f64) {
    let n = x.len() as f64;
    let (mut m, mut b) = (0.0, 0.0);
    for _ in 0..epochs {
        let mut dm = 0.0;
        let mut db = 0.0;
        for i in 0..x.len() {
            let e = y[i] - (m * x[i] + b);
            dm += -x[i] * e / n;
            db += -e / n;
        }
        m -= learning_rate * dm;
        b -= learning_rate * db;
    }
    (m, b)
}
