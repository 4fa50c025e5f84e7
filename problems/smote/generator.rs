// Large cases for smote: `size` minority rows in 5 dimensions, clustered, k up to 10, and
// `size` synthetic rows to make.
fn generate(seed: u64, size: usize) -> (Array2<f64>, usize, usize, u64) {
    // 2 <= rows and k <= rows - 1 at every size.
    let size = size.max(2);
    let mut rng = judge_rt::Rng::new(seed);
    let centres: Vec<f64> = (0..20).map(|_| rng.range(-100, 100) as f64).collect();
    let minority = Array2::from_shape_fn((size, 5), |(i, j)| {
        centres[(i * 7 + j) % centres.len()] + (rng.unit() - 0.5) * 10.0
    });
    let k = (rng.range(1, 10) as usize).min(size - 1);
    (minority, k, size, rng.next_u64())
}
