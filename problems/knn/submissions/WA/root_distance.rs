// Compares distances after the square root: two different squared distances with the same
// f64 root become a tie, and the lower row index wins it.
use std::collections::HashMap;

fn knn(k: usize, data: Array2<f64>, labels: Vec<i64>, new_point: Array1<f64>) -> i64 {
    let mut d: Vec<(f64, usize)> = (0..data.nrows())
        .map(|i| {
            let diff = &data.row(i) - &new_point;
            (diff.dot(&diff).sqrt(), i)
        })
        .collect();
    d.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let mut k = k;
    loop {
        let mut counts: HashMap<i64, usize> = HashMap::new();
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
