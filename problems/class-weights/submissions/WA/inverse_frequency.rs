// Uses plain inverse frequency, 1 / count, without the n_samples / n_classes scale.
use std::collections::BTreeMap;

pub fn class_weights(labels: Vec<i64>) -> Vec<(i64, f64)> {
    let mut counts = BTreeMap::new();
    for l in labels {
        *counts.entry(l).or_insert(0) += 1;
    }
    counts.into_iter().map(|(c, m)| (c, 1.0 / m as f64)).collect()
}
