use std::collections::BTreeMap;

/// CART with Gini impurity. Impurities are compared exactly, as fractions of integer counts,
/// so that ties (which the rules break by feature, then threshold) are real ties.
pub fn decision_tree(
    x_train: Array2<f64>,
    y_train: Vec<i64>,
    max_depth: usize,
    x_test: Array2<f64>,
) -> Vec<i64> {
    let rows: Vec<usize> = (0..x_train.nrows()).collect();
    let tree = grow(&x_train, &y_train, rows, 0, max_depth);
    x_test.rows().into_iter().map(|r| tree.predict(r)).collect()
}

enum Node {
    Leaf(i64),
    Split {
        feature: usize,
        threshold: f64,
        left: Box<Node>,
        right: Box<Node>,
    },
}

impl Node {
    fn predict(&self, row: ArrayView1<f64>) -> i64 {
        match self {
            Node::Leaf(label) => *label,
            Node::Split { feature, threshold, left, right } => {
                if row[*feature] <= *threshold {
                    left.predict(row)
                } else {
                    right.predict(row)
                }
            }
        }
    }
}

fn grow(x: &Array2<f64>, y: &[i64], rows: Vec<usize>, depth: usize, max_depth: usize) -> Node {
    let counts = label_counts(y, &rows);
    if depth == max_depth || counts.len() <= 1 {
        return Node::Leaf(majority(&counts));
    }
    let Some(best) = best_split(x, y, &rows, &counts) else {
        return Node::Leaf(majority(&counts));
    };
    let (left, right): (Vec<usize>, Vec<usize>) =
        rows.iter().partition(|&&r| x[[r, best.feature]] <= best.threshold);
    Node::Split {
        feature: best.feature,
        threshold: best.threshold,
        left: Box::new(grow(x, y, left, depth + 1, max_depth)),
        right: Box::new(grow(x, y, right, depth + 1, max_depth)),
    }
}

fn label_counts(y: &[i64], rows: &[usize]) -> BTreeMap<i64, u64> {
    let mut counts = BTreeMap::new();
    for &r in rows {
        *counts.entry(y[r]).or_insert(0) += 1;
    }
    counts
}

/// The most frequent label; a BTreeMap iterates labels ascending and only a strictly larger
/// count replaces the leader, so ties go to the smallest label.
fn majority(counts: &BTreeMap<i64, u64>) -> i64 {
    let mut best = (0, i64::MIN);
    for (&label, &count) in counts {
        if count > best.0 {
            best = (count, label);
        }
    }
    best.1
}

struct Split {
    feature: usize,
    threshold: f64,
    /// The split's purity score S = sum(cL^2)/nL + sum(cR^2)/nR as the fraction num/den.
    /// Weighted child impurity is (n - S) / n, so a higher S is a better split.
    num: u128,
    den: u128,
}

/// The split with the lowest weighted child impurity (ties to the lower feature, then the
/// lower threshold), if it is strictly lower than the node's own impurity.
fn best_split(x: &Array2<f64>, y: &[i64], rows: &[usize], counts: &BTreeMap<i64, u64>) -> Option<Split> {
    let n = rows.len() as u128;
    let labels: Vec<i64> = counts.keys().copied().collect();
    let class_of = |label: i64| labels.binary_search(&label).expect("counted label");
    let total: Vec<u64> = counts.values().copied().collect();
    let mut best: Option<Split> = None;
    for feature in 0..x.ncols() {
        let mut order: Vec<usize> = rows.to_vec();
        order.sort_by(|&a, &b| x[[a, feature]].total_cmp(&x[[b, feature]]));
        let mut left = vec![0u64; labels.len()];
        for i in 0..order.len() - 1 {
            left[class_of(y[order[i]])] += 1;
            let (here, next) = (x[[order[i], feature]], x[[order[i + 1], feature]]);
            if here == next {
                continue;
            }
            let n_left = (i + 1) as u128;
            let n_right = n - n_left;
            let sq_left: u128 = left.iter().map(|&c| u128::from(c) * u128::from(c)).sum();
            let sq_right: u128 = left
                .iter()
                .zip(&total)
                .map(|(&l, &t)| u128::from(t - l) * u128::from(t - l))
                .sum();
            let candidate = Split {
                feature,
                threshold: (here + next) / 2.0,
                num: sq_left * n_right + sq_right * n_left,
                den: n_left * n_right,
            };
            // Strictly better only: earlier features and lower thresholds keep ties.
            if best.as_ref().is_none_or(|b| candidate.num * b.den > b.num * candidate.den) {
                best = Some(candidate);
            }
        }
    }
    // The node's own impurity is lowered iff S > sum(c^2) / n.
    let sq_total: u128 = total.iter().map(|&c| u128::from(c) * u128::from(c)).sum();
    best.filter(|b| b.num * n > sq_total * b.den)
}
