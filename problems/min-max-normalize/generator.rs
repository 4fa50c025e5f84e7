// Large cases for min-max-normalize: `size` rows of 6 columns, one of them constant, so that a
// solution that rescans its column for every cell does quadratic work.
fn generate(seed: u64, size: usize) -> Array2<f64> {
    let mut rng = judge_rt::Rng::new(seed);
    Array2::from_shape_fn((size, 6), |(_, j)| match j {
        0 => 42.0,
        1 => rng.range(-1000, 1000) as f64,
        _ => (rng.unit() - 0.5) * 10f64.powi(j as i32),
    })
}
