// Large cases for get-dummies: `size` values drawn from 12 categories (the answer grows as
// values x categories, so the categories stay few).
fn generate(seed: u64, size: usize) -> Vec<String> {
    let mut rng = judge_rt::Rng::new(seed);
    (0..size).map(|_| format!("category-{}", rng.range(0, 11))).collect()
}
