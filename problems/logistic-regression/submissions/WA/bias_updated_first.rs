// Updates the bias first and then computes the weights' gradient with the new bias.
pub fn logistic_regression(x: Array2<f64>, y: Vec<u8>, learning_rate: f64, iterations: usize) -> Vec<f64> {
    let (n, d) = x.dim();
    let mut b = 0.0;
    let mut w = vec![0.0; d];
    let p = |b: f64, w: &Vec<f64>, i: usize| {
        let z = b + (0..d).map(|j| w[j] * x[[i, j]]).sum::<f64>();
        1.0 / (1.0 + (-z).exp())
    };
    for _ in 0..iterations {
        let gb: f64 = (0..n).map(|i| p(b, &w, i) - y[i] as f64).sum::<f64>() / n as f64;
        b -= learning_rate * gb;
        let mut gw = vec![0.0; d];
        for i in 0..n {
            let err = p(b, &w, i) - y[i] as f64;
            for j in 0..d {
                gw[j] += err * x[[i, j]] / n as f64;
            }
        }
        for j in 0..d {
            w[j] -= learning_rate * gw[j];
        }
    }
    let mut out = vec![b];
    out.extend(w);
    out
}
