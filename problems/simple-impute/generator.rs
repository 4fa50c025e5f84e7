// Large cases for simple-impute: `size` rows of 4 columns with a fifth of the cells missing,
// many distinct values per column (so counting each value by a scan is quadratic). The seed
// picks the strategy: 1 most_frequent, 2 median, 3 mean, then round again.
fn generate(seed: u64, size: usize) -> (Vec<Vec<Option<f64>>>, String) {
    let mut rng = judge_rt::Rng::new(seed);
    let strategy = ["most_frequent", "median", "mean", "constant"][((seed - 1) % 4) as usize];
    let x = (0..size)
        .map(|_| {
            (0..4)
                .map(|j| {
                    let spread = 10i64.pow(j + 2);
                    (!rng.chance(0.2)).then(|| rng.range(-spread, spread) as f64 / 4.0)
                })
                .collect()
        })
        .collect();
    (x, strategy.to_string())
}
