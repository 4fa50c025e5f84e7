use std::collections::BTreeMap;

/// Cross-validated kNN accuracy for every k at once: each held-out row's neighbours are sorted
/// once and every k reads a prefix. Fold means are compared exactly as fractions.
pub fn grid_search_knn(x: Array2<f64>, y: Vec<i64>, ks: Vec<usize>, folds: usize) -> usize {
    let n = x.nrows();
    // The problem's rules, asserted: a case outside them is refused (RE) rather than
    // answered, so `judge verify` and `judge stress` never take it for a valid case.
    assert_eq!(y.len(), n, "one label per row");
    assert!((2..=n).contains(&folds), "2 <= folds <= n");
    let largest_fold = n.div_ceil(folds);
    assert!(ks.iter().all(|&k| (1..=n - largest_fold).contains(&k)), "1 <= k <= rows outside the largest fold");
    let bounds: Vec<(usize, usize)> = (0..folds).map(|i| (i * n / folds, (i + 1) * n / folds)).collect();
    // correct[k index][fold]
    let mut correct = vec![vec![0u128; folds]; ks.len()];
    for (fold, &(start, end)) in bounds.iter().enumerate() {
        for row in start..end {
            let order = neighbours(&x, row, start, end);
            for (ki, &k) in ks.iter().enumerate() {
                if vote(&order, &y, k) == y[row] {
                    correct[ki][fold] += 1;
                }
            }
        }
    }
    // Each fold's accuracy c / m scaled by the lcm of the fold sizes is a whole number.
    let lcm = bounds.iter().fold(1u128, |l, &(s, e)| lcm(l, (e - s) as u128));
    let mut best: Option<(u128, usize)> = None;
    for (ki, &k) in ks.iter().enumerate() {
        let score: u128 = bounds
            .iter()
            .enumerate()
            .map(|(f, &(s, e))| correct[ki][f] * (lcm / (e - s) as u128))
            .sum();
        let better = match best {
            None => true,
            Some((b, bk)) => score > b || (score == b && k < bk),
        };
        if better {
            best = Some((score, k));
        }
    }
    best.map_or(0, |(_, k)| k)
}

/// Rows outside [start, end) ordered by (squared distance to `row`, row index).
fn neighbours(x: &Array2<f64>, row: usize, start: usize, end: usize) -> Vec<usize> {
    let point = x.row(row);
    let mut order: Vec<(f64, usize)> = (0..x.nrows())
        .filter(|&j| j < start || j >= end)
        .map(|j| {
            let d = x.row(j).iter().zip(point).map(|(a, b)| (a - b) * (a - b)).sum();
            (d, j)
        })
        .collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    order.into_iter().map(|(_, j)| j).collect()
}

/// The knn problem's vote: majority of the first k, shrinking k while labels tie.
fn vote(order: &[usize], y: &[i64], k: usize) -> i64 {
    let mut k = k;
    loop {
        let mut votes: BTreeMap<i64, usize> = BTreeMap::new();
        for &j in &order[..k] {
            *votes.entry(y[j]).or_default() += 1;
        }
        let top = votes.values().copied().max().unwrap_or(0);
        let mut winners = votes.iter().filter(|(_, &c)| c == top);
        let first = winners.next().map_or(0, |(&label, _)| label);
        if winners.next().is_none() {
            return first;
        }
        k -= 1;
    }
}

fn gcd(a: u128, b: u128) -> u128 {
    if b == 0 { a } else { gcd(b, a % b) }
}

fn lcm(a: u128, b: u128) -> u128 {
    a / gcd(a, b) * b
}
