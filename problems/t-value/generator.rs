// Large cases for t-value: `size` values spread uniformly over +-1 around an offset of up to a
// thousand, and a mu0 a quarter away from it: far enough that the t statistic is well
// conditioned even for a solution that sums naively.
fn generate(seed: u64, size: usize) -> (Vec<f64>, f64) {
    let mut rng = judge_rt::Rng::new(seed);
    let offset = rng.range(10, 1000) as f64;
    let var: Vec<f64> = (0..size).map(|_| offset + rng.unit() * 2.0 - 1.0).collect();
    (var, offset + 0.25)
}
