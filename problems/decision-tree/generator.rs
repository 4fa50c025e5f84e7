// Large cases for decision-tree: `size` training rows of 5 features with many distinct values
// (so that recounting both sides for every candidate threshold is quadratic), labels from a
// hidden rule plus noise, depth 8, and size / 5 test rows.
fn generate(seed: u64, size: usize) -> (Array2<f64>, Vec<i64>, usize, Array2<f64>) {
    let mut rng = judge_rt::Rng::new(seed);
    let mut point = |rng: &mut judge_rt::Rng| -> Vec<f64> {
        (0..5).map(|_| rng.range(0, 100_000) as f64 / 1000.0).collect()
    };
    let mut train = Vec::with_capacity(size * 5);
    let mut labels = Vec::with_capacity(size);
    for _ in 0..size {
        let p = point(&mut rng);
        let rule = if p[0] + p[1] > 100.0 { 1 } else if p[2] > 70.0 { 2 } else { 0 };
        labels.push(if rng.chance(0.1) { rng.range(0, 2) } else { rule });
        train.extend(p);
    }
    let tests = size / 5;
    let test: Vec<f64> = (0..tests).flat_map(|_| point(&mut rng)).collect();
    (
        Array2::from_shape_vec((size, 5), train).expect("shape"),
        labels,
        8,
        Array2::from_shape_vec((tests, 5), test).expect("shape"),
    )
}
