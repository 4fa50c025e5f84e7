// Large cases for class-weights: `size` labels over about size / 10 classes with skewed
// frequencies, so that counting each class by a separate scan is quadratic.
fn generate(seed: u64, size: usize) -> Vec<i64> {
    let mut rng = judge_rt::Rng::new(seed);
    let classes = (size / 10).max(1) as i64;
    (0..size)
        .map(|_| {
            // The minimum of two draws favours small class numbers: an imbalanced set.
            let a = rng.range(0, classes - 1);
            let b = rng.range(0, classes - 1);
            a.min(b) * 7 - 1000
        })
        .collect()
}
