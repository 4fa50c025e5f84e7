use std::collections::BTreeMap;

// Accepts any split where train and test are ascending, together hold 0..n once each, and
// every class puts floor or ceil of test_size * count(c) rows in test. Where that product is
// within 1e-9 of a whole number, the whole number is accepted too: f64 cannot hold most
// decimal test sizes exactly (0.1 * 30 is 3.0000000000000004).
fn check(
    labels: Vec<i64>,
    test_size: f64,
    answer: (Vec<usize>, Vec<usize>),
    _reference: (Vec<usize>, Vec<usize>),
) -> Result<(), String> {
    let (train, test) = answer;
    let n = labels.len();
    ascending("train", &train)?;
    ascending("test", &test)?;
    let mut seen = vec![false; n];
    for (list, name) in [(&train, "train"), (&test, "test")] {
        for &i in list.iter() {
            if i >= n {
                return Err(format!("{name} holds index {i}, but there are only {n} rows"));
            }
            if seen[i] {
                return Err(format!("index {i} is in both train and test"));
            }
            seen[i] = true;
        }
    }
    if let Some(missing) = seen.iter().position(|s| !s) {
        return Err(format!("index {missing} is in neither train nor test"));
    }
    let mut counts: BTreeMap<i64, (usize, usize)> = BTreeMap::new();
    for &label in &labels {
        counts.entry(label).or_default().0 += 1;
    }
    for &i in &test {
        counts.entry(labels[i]).or_default().1 += 1;
    }
    for (class, (count, in_test)) in counts {
        let share = test_size * count as f64;
        let mut allowed = vec![share.floor() as usize, share.ceil() as usize];
        if (share - share.round()).abs() < 1e-9 {
            allowed.push(share.round() as usize);
        }
        if !allowed.contains(&in_test) {
            let want = if share.floor() == share.ceil() {
                format!("exactly {share}")
            } else {
                format!("{} or {}", share.floor(), share.ceil())
            };
            return Err(format!(
                "class {class} has {count} rows, so {want} of them belong in test ({test_size} x {count} = {share}), but test holds {in_test}"
            ));
        }
    }
    Ok(())
}

fn ascending(name: &str, list: &[usize]) -> Result<(), String> {
    match list.windows(2).position(|w| w[0] >= w[1]) {
        Some(at) => Err(format!(
            "{name} must be ascending, but {name}[{at}] = {} comes before {name}[{}] = {}",
            list[at],
            at + 1,
            list[at + 1]
        )),
        None => Ok(()),
    }
}
