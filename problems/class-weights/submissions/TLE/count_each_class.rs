// Counts each distinct class with its own pass over the labels: classes x labels.
pub fn class_weights(labels: Vec<i64>) -> Vec<(i64, f64)> {
    let mut classes = labels.clone();
    classes.sort();
    classes.dedup();
    let n = labels.len() as f64;
    let k = classes.len() as f64;
    classes
        .iter()
        .map(|&c| {
            let count = labels.iter().filter(|&&l| l == c).count();
            (c, n / (k * count as f64))
        })
        .collect()
}
