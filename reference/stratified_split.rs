use std::collections::HashMap;

/// Puts the last round(test_size * count) rows of every class in test, the rest in train;
/// one pass in index order keeps both lists ascending.
pub fn stratified_split(labels: Vec<i64>, test_size: f64) -> (Vec<usize>, Vec<usize>) {
    let mut remaining: HashMap<i64, usize> = HashMap::new();
    for &label in &labels {
        *remaining.entry(label).or_default() += 1;
    }
    let mut test_quota: HashMap<i64, usize> = remaining
        .iter()
        .map(|(&c, &count)| (c, (test_size * count as f64).round() as usize))
        .collect();
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for (i, label) in labels.iter().enumerate() {
        let left = remaining.get_mut(label).expect("counted above");
        let quota = test_quota.get_mut(label).expect("counted above");
        // A row goes to test once the rows left of its class are no more than its quota.
        if *left <= *quota {
            test.push(i);
            *quota -= 1;
        } else {
            train.push(i);
        }
        *left -= 1;
    }
    (train, test)
}
