// Large cases for kmeans: `size` points in 4 dimensions around 12 hidden centres, k = 16,
// up to 50 rounds.
fn generate(seed: u64, size: usize) -> (Array2<f64>, usize, usize) {
    // At least one point and k at most the points, at every size.
    let size = size.max(1);
    let mut rng = judge_rt::Rng::new(seed);
    let centres: Vec<f64> = (0..48).map(|_| rng.range(-50, 50) as f64).collect();
    let points = Array2::from_shape_fn((size, 4), |(i, j)| {
        centres[(i % 12) * 4 + j] + (rng.unit() - 0.5) * 30.0
    });
    (points, 16.min(size), 50)
}
