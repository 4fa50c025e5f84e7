use std::collections::HashMap;

// Compares distances after the square root: two different squared distances with the same f64
// root become a tie, and the lower row index wins it. Otherwise right (sort_once.rs).
fn predict(order: &[usize], y: &[i64], mut k: usize) -> i64 {
    loop {
        let mut votes: HashMap<i64, usize> = HashMap::new();
        for &j in &order[..k] {
            *votes.entry(y[j]).or_insert(0) += 1;
        }
        let top = *votes.values().max().unwrap();
        let winners: Vec<i64> = votes.iter().filter(|(_, &c)| c == top).map(|(&l, _)| l).collect();
        if winners.len() == 1 {
            return winners[0];
        }
        k -= 1;
    }
}

pub fn grid_search_knn(x: Array2<f64>, y: Vec<i64>, ks: Vec<usize>, folds: usize) -> usize {
    let n = x.nrows();
    let mut acc = vec![0.0; ks.len()];
    for f in 0..folds {
        let (lo, hi) = (f * n / folds, (f + 1) * n / folds);
        let mut right = vec![0usize; ks.len()];
        for r in lo..hi {
            let mut order: Vec<(f64, usize)> = (0..n)
                .filter(|&j| j < lo || j >= hi)
                .map(|j| {
                    let d = &x.row(j) - &x.row(r);
                    (d.dot(&d).sqrt(), j)
                })
                .collect();
            order.sort_by(|a, b| a.partial_cmp(b).unwrap());
            let order: Vec<usize> = order.into_iter().map(|p| p.1).collect();
            for (i, &k) in ks.iter().enumerate() {
                if predict(&order, &y, k) == y[r] {
                    right[i] += 1;
                }
            }
        }
        for i in 0..ks.len() {
            acc[i] += right[i] as f64 / (hi - lo) as f64 / folds as f64;
        }
    }
    let mut best = 0;
    for i in 1..ks.len() {
        if acc[i] > acc[best] + 1e-12 || ((acc[i] - acc[best]).abs() <= 1e-12 && ks[i] < ks[best]) {
            best = i;
        }
    }
    ks[best]
}
