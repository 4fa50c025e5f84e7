use std::collections::BTreeMap;

// Breaks a vote tie by taking the smallest label instead of shrinking k.
fn knn(k: usize, data: Array2<f64>, labels: Vec<i64>, new_point: Array1<f64>) -> i64 {
    let mut d: Vec<(f64, usize)> = (0..data.nrows())
        .map(|i| ((&data.row(i) - &new_point).mapv(|x| x * x).sum(), i))
        .collect();
    d.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let mut counts: BTreeMap<i64, usize> = BTreeMap::new();
    for &(_, i) in &d[..k] {
        *counts.entry(labels[i]).or_insert(0) += 1;
    }
    let max = *counts.values().max().unwrap();
    *counts.iter().find(|(_, c)| **c == max).unwrap().0
}
