// Large cases for median-rainfall: `size` days, about 60% rainy, amounts with two decimals.
fn generate(seed: u64, size: usize) -> Vec<RainDay> {
    let mut rng = judge_rt::Rng::new(seed);
    (0..size)
        .map(|i| {
            let rainfall = if rng.chance(0.4) { 0.0 } else { rng.range(1, 50_000) as f64 / 100.0 };
            RainDay { day: format!("day{i}"), rainfall }
        })
        .collect()
}
