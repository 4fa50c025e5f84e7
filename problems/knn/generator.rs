// Large cases for knn: `size` rows of 8 integer-valued coordinates (so that distance ties
// happen), five labels, k between 1 and 50.
fn generate(seed: u64, size: usize) -> (usize, Array2<f64>, Vec<i64>, Array1<f64>) {
    let mut rng = judge_rt::Rng::new(seed);
    let dims = 8;
    let data = Array2::from_shape_fn((size, dims), |_| rng.range(-20, 20) as f64);
    let labels = (0..size).map(|_| rng.range(0, 4)).collect();
    let new_point = Array1::from_shape_fn(dims, |_| rng.range(-20, 20) as f64);
    // Never more neighbours than rows, so small sizes (for `judge stress`) are valid too.
    let k = rng.range(1, 50.min(size as i64)) as usize;
    (k, data, labels, new_point)
}
