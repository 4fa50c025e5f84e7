// Large cases for t-value: `size` values around a large offset with a small spread, and a mu0
// near their mean.
fn generate(seed: u64, size: usize) -> (Vec<f64>, f64) {
    let mut rng = judge_rt::Rng::new(seed);
    let offset = rng.range(1_000, 1_000_000) as f64;
    let var: Vec<f64> = (0..size).map(|_| offset + rng.unit() * 2.0 - 1.0).collect();
    (var, offset + 0.001)
}
