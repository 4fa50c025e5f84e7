// Lists classes in order of first appearance instead of ascending.
pub fn class_weights(labels: Vec<i64>) -> Vec<(i64, f64)> {
    let mut classes: Vec<(i64, usize)> = Vec::new();
    for &l in &labels {
        match classes.iter_mut().find(|(c, _)| *c == l) {
            Some(entry) => entry.1 += 1,
            None => classes.push((l, 1)),
        }
    }
    let n = labels.len() as f64;
    let k = classes.len() as f64;
    classes.into_iter().map(|(c, m)| (c, n / (k * m as f64))).collect()
}
