use std::collections::BTreeMap;

/// n_samples / (n_classes * count(c)) per class, classes ascending (a BTreeMap's order).
pub fn class_weights(labels: Vec<i64>) -> Vec<(i64, f64)> {
    let mut counts: BTreeMap<i64, usize> = BTreeMap::new();
    for &label in &labels {
        *counts.entry(label).or_default() += 1;
    }
    let n_samples = labels.len() as f64;
    let n_classes = counts.len() as f64;
    counts
        .into_iter()
        .map(|(class, count)| (class, n_samples / (n_classes * count as f64)))
        .collect()
}
