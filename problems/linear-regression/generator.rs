// Large cases for linear-regression: `size` rows of 6 features, y a fixed linear function of
// them plus noise.
fn generate(seed: u64, size: usize) -> (Array2<f64>, Array1<f64>) {
    // More rows than the 6 features (+ intercept), so X has full column rank at every size.
    let size = size.max(8);
    let mut rng = judge_rt::Rng::new(seed);
    let coef: Vec<f64> = (0..7).map(|_| rng.range(-50, 50) as f64 / 10.0).collect();
    let x = Array2::from_shape_fn((size, 6), |(_, j)| (rng.unit() - 0.5) * (j + 1) as f64 * 10.0);
    let y = Array1::from_shape_fn(size, |i| {
        let row = x.row(i);
        coef[0] + row.iter().zip(&coef[1..]).map(|(a, b)| a * b).sum::<f64>() + rng.unit() - 0.5
    });
    (x, y)
}
