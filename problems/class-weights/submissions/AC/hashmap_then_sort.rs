use std::collections::HashMap;

pub fn class_weights(labels: Vec<i64>) -> Vec<(i64, f64)> {
    let mut counts = HashMap::new();
    for l in &labels {
        *counts.entry(*l).or_insert(0usize) += 1;
    }
    let n = labels.len() as f64;
    let k = counts.len() as f64;
    let mut out: Vec<(i64, f64)> = counts.into_iter().map(|(c, m)| (c, n / (k * m as f64))).collect();
    out.sort_by_key(|p| p.0);
    out
}
