use std::collections::BTreeMap;

/// k nearest by (squared distance, row index), then majority vote, shrinking k on ties.
pub fn knn(k: usize, data: Array2<f64>, labels: Vec<i64>, new_point: Array1<f64>) -> i64 {
    // The problem's rules, asserted: a case outside them is refused (RE) rather than
    // answered, so `judge verify` and `judge stress` never take it for a valid case.
    assert_eq!(labels.len(), data.nrows(), "one label per row");
    assert_eq!(new_point.len(), data.ncols(), "the point has one value per column");
    assert!((1..=data.nrows()).contains(&k), "1 <= k <= rows");
    // Squared distances order rows exactly as distances do, without rounding from sqrt.
    let mut order: Vec<(f64, usize)> = data
        .rows()
        .into_iter()
        .enumerate()
        .map(|(i, row)| (row.iter().zip(&new_point).map(|(a, b)| (a - b) * (a - b)).sum(), i))
        .collect();
    let by_distance = |a: &(f64, usize), b: &(f64, usize)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
    // Only the k nearest need sorting: select them in O(n), then sort those.
    if k < order.len() {
        order.select_nth_unstable_by(k - 1, by_distance);
        order.truncate(k);
    }
    order.sort_by(by_distance);
    let mut k = k;
    loop {
        let mut votes: BTreeMap<i64, usize> = BTreeMap::new();
        for &(_, i) in &order[..k] {
            *votes.entry(labels[i]).or_default() += 1;
        }
        let best = votes.values().copied().max().unwrap_or(0);
        let mut winners = votes.iter().filter(|(_, &c)| c == best).map(|(&label, _)| label);
        let first = winners.next().unwrap_or_default();
        if winners.next().is_none() {
            return first;
        }
        k -= 1;
    }
}
