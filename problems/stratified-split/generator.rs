// Large cases for stratified-split: `size` labels over 20 imbalanced classes and a test share
// between 0.1 and 0.5, so that building the training list with a membership scan of the test
// list is quadratic.
fn generate(seed: u64, size: usize) -> (Vec<i64>, f64) {
    let mut rng = judge_rt::Rng::new(seed);
    let labels = (0..size)
        .map(|_| rng.range(0, 19).min(rng.range(0, 19)))
        .collect();
    let test_size = rng.range(10, 50) as f64 / 100.0;
    (labels, test_size)
}
