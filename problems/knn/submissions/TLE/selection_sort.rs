use std::collections::BTreeMap;

// Right answers, but orders all rows with a selection sort: quadratic in the rows.
fn knn(k: usize, data: Array2<f64>, labels: Vec<i64>, new_point: Array1<f64>) -> i64 {
    let mut d: Vec<(f64, usize)> = (0..data.nrows())
        .map(|i| ((&data.row(i) - &new_point).mapv(|x| x * x).sum(), i))
        .collect();
    for i in 0..d.len() {
        let mut best = i;
        for j in i + 1..d.len() {
            if d[j] < d[best] {
                best = j;
            }
        }
        d.swap(i, best);
    }
    let mut k = k;
    loop {
        let mut counts: BTreeMap<i64, usize> = BTreeMap::new();
        for &(_, i) in &d[..k] {
            *counts.entry(labels[i]).or_insert(0) += 1;
        }
        let max = *counts.values().max().unwrap();
        let tied: Vec<i64> = counts.iter().filter(|(_, c)| **c == max).map(|(l, _)| *l).collect();
        if tied.len() == 1 {
            return tied[0];
        }
        k -= 1;
    }
}
