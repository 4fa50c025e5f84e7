// Large cases for logistic-regression: `size` rows of 5 features, labels drawn from a hidden
// logistic model, a few hundred iterations.
fn generate(seed: u64, size: usize) -> (Array2<f64>, Vec<u8>, f64, usize) {
    let mut rng = judge_rt::Rng::new(seed);
    let true_w: Vec<f64> = (0..5).map(|_| rng.range(-20, 20) as f64 / 10.0).collect();
    let x = Array2::from_shape_fn((size, 5), |_| rng.unit() * 4.0 - 2.0);
    let y = (0..size)
        .map(|i| {
            let z: f64 = x.row(i).iter().zip(&true_w).map(|(a, b)| a * b).sum::<f64>() + 0.3;
            rng.chance(1.0 / (1.0 + (-z).exp())) as u8
        })
        .collect();
    (x, y, 0.1, 300)
}
