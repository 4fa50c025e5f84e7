// Large cases for fill-none: `size` readings, mostly gaps with rare values, so that a
// solution that scans backwards from each gap does quadratic work.
fn generate(seed: u64, size: usize) -> Vec<Option<i64>> {
    let mut rng = judge_rt::Rng::new(seed);
    let gap_rate = if seed % 2 == 0 { 0.9999 } else { 0.5 };
    (0..size)
        .map(|_| (!rng.chance(gap_rate)).then(|| rng.range(-1_000_000_000, 1_000_000_000)))
        .collect()
}
