// Large cases for impute-median-price: `size` cheeses, a third of them without a price, so
// that recomputing the median for every gap is far too slow.
fn generate(seed: u64, size: usize) -> Vec<Cheese> {
    let mut rng = judge_rt::Rng::new(seed);
    (0..size)
        .map(|i| Cheese {
            name: format!("cheese-{i}"),
            price: (!rng.chance(0.33)).then(|| rng.range(100, 10_000) as f64 / 100.0),
        })
        .collect()
}
