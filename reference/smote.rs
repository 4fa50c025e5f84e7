/// SMOTE with a SplitMix64 stream from `seed`: a random row p, a random one of its k nearest
/// other rows q (by distance, then row index), a random t in [0, 1).
pub fn smote(minority: Array2<f64>, k: usize, n_synthetic: usize, seed: u64) -> Array2<f64> {
    let rows = minority.nrows();
    // The problem's rules, asserted: a case outside them is refused (RE) rather than
    // answered, so `judge verify` and `judge stress` never take it for a valid case.
    assert!(rows >= 2 && (1..rows).contains(&k), "2 <= rows, 1 <= k <= rows - 1");
    // Neighbour lists are made only for the rows that get picked.
    let mut neighbours: Vec<Option<Vec<usize>>> = vec![None; rows];
    let mut rng = SplitMix64(seed);
    let mut out = Array2::zeros((n_synthetic, minority.ncols()));
    for mut s in out.rows_mut() {
        let p = rng.below(rows);
        let near = neighbours[p].get_or_insert_with(|| nearest(&minority, p, k));
        let q = near[rng.below(near.len())];
        let t = rng.unit();
        let (p, q) = (minority.row(p), minority.row(q));
        s.assign(&(&p + &((&q - &p) * t)));
    }
    out
}

fn nearest(minority: &Array2<f64>, p: usize, k: usize) -> Vec<usize> {
    let row = minority.row(p);
    let mut others: Vec<(f64, usize)> = (0..minority.nrows())
        .filter(|&q| q != p)
        .map(|q| {
            let d: f64 = row.iter().zip(minority.row(q)).map(|(a, b)| (a - b) * (a - b)).sum();
            (d, q)
        })
        .collect();
    let by_distance = |a: &(f64, usize), b: &(f64, usize)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
    // Only the k nearest matter: select them in linear time, then order just those.
    if k < others.len() {
        others.select_nth_unstable_by(k - 1, by_distance);
        others.truncate(k);
    }
    others.sort_by(by_distance);
    others.into_iter().map(|(_, q)| q).collect()
}

struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Uniform in [0, 1) from the top 53 bits.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}
