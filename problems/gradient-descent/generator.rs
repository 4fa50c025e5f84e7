// Large cases for gradient-descent: `size` points near a random line, 1000 epochs.
fn generate(seed: u64, size: usize) -> (Array1<f64>, Array1<f64>, f64, usize) {
    let mut rng = judge_rt::Rng::new(seed);
    let slope = rng.range(-30, 30) as f64 / 10.0;
    let intercept = rng.range(-50, 50) as f64 / 10.0;
    let x = Array1::from_shape_fn(size, |_| rng.unit() * 4.0 - 2.0);
    let y = x.mapv(|v| slope * v + intercept) + Array1::from_shape_fn(size, |_| rng.unit() - 0.5);
    (x, y, 0.05, 1000)
}
