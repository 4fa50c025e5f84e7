// Large cases for iqr-outliers: `size` normally distributed values with a sprinkling of wild
// ones, so that a quadratic sort is too slow.
fn generate(seed: u64, size: usize) -> Vec<f64> {
    let mut rng = judge_rt::Rng::new(seed);
    (0..size)
        .map(|_| {
            // A sum of uniforms is close enough to normal for this purpose.
            let bell: f64 = (0..4).map(|_| rng.unit()).sum::<f64>() - 2.0;
            if rng.chance(0.001) {
                bell * 1000.0
            } else {
                (bell * 100.0).round() / 10.0
            }
        })
        .collect()
}
