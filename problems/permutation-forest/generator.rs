// Large cases for permutation-forest: `size` rows of 8 columns, the target a noisy function of
// a few columns, so that walking all 40320 trees over the rows is too slow.
fn generate(seed: u64, size: usize) -> (Vec<Vec<u8>>, Vec<u8>, Vec<u8>) {
    let mut rng = judge_rt::Rng::new(seed);
    let mut features = Vec::with_capacity(size);
    let mut target = Vec::with_capacity(size);
    for _ in 0..size {
        let row: Vec<u8> = (0..8).map(|j| rng.chance(0.3 + 0.05 * j as f64) as u8).collect();
        let rule = (row[0] ^ row[3]) | (row[5] & row[6]);
        target.push(if rng.chance(0.2) { 1 - rule } else { rule });
        features.push(row);
    }
    let new_point = (0..8).map(|_| rng.chance(0.5) as u8).collect();
    (features, target, new_point)
}
