use std::collections::HashMap;

// Builds the training list by asking, for every row, whether the test list contains it.
pub fn stratified_split(labels: Vec<i64>, test_size: f64) -> (Vec<usize>, Vec<usize>) {
    let mut counts: HashMap<i64, usize> = HashMap::new();
    for l in &labels {
        *counts.entry(*l).or_insert(0) += 1;
    }
    let mut taken: HashMap<i64, usize> = HashMap::new();
    let mut test = Vec::new();
    for (i, l) in labels.iter().enumerate() {
        let want = (test_size * counts[l] as f64).round() as usize;
        let t = taken.entry(*l).or_insert(0);
        if *t < want {
            test.push(i);
            *t += 1;
        }
    }
    let train = (0..labels.len()).filter(|i| !test.contains(i)).collect();
    (train, test)
}
