// A candidate's CART: f64 Gini with a 1e-12 tolerance for ties, sorted sweeps per feature.
const EPS: f64 = 1e-12;

enum Tree {
    Leaf(i64),
    Node(usize, f64, Box<Tree>, Box<Tree>),
}

fn gini(counts: &[(i64, usize)], n: usize) -> f64 {
    1.0 - counts.iter().map(|&(_, c)| (c as f64 / n as f64).powi(2)).sum::<f64>()
}

fn count(y: &[i64], idx: &[usize]) -> Vec<(i64, usize)> {
    let mut labels: Vec<i64> = idx.iter().map(|&i| y[i]).collect();
    labels.sort();
    let mut out: Vec<(i64, usize)> = Vec::new();
    for l in labels {
        match out.last_mut() {
            Some((last, c)) if *last == l => *c += 1,
            _ => out.push((l, 1)),
        }
    }
    out
}

fn majority(counts: &[(i64, usize)]) -> i64 {
    let mut best = counts[0];
    for &(l, c) in counts {
        if c > best.1 {
            best = (l, c);
        }
    }
    best.0
}

fn build(x: &Array2<f64>, y: &[i64], idx: Vec<usize>, depth: usize, max_depth: usize) -> Tree {
    let counts = count(y, &idx);
    let n = idx.len();
    if depth == max_depth || counts.len() == 1 {
        return Tree::Leaf(majority(&counts));
    }
    let labels: Vec<i64> = counts.iter().map(|c| c.0).collect();
    let parent = gini(&counts, n);
    let mut best: Option<(f64, usize, f64)> = None;
    for f in 0..x.ncols() {
        let mut order = idx.clone();
        order.sort_by(|&a, &b| x[[a, f]].partial_cmp(&x[[b, f]]).unwrap());
        let mut left: Vec<(i64, usize)> = labels.iter().map(|&l| (l, 0)).collect();
        for i in 0..n - 1 {
            let k = labels.binary_search(&y[order[i]]).unwrap();
            left[k].1 += 1;
            let (a, b) = (x[[order[i], f]], x[[order[i + 1], f]]);
            if a == b {
                continue;
            }
            let right: Vec<(i64, usize)> = counts.iter().zip(&left).map(|(t, l)| (t.0, t.1 - l.1)).collect();
            let (nl, nr) = (i + 1, n - i - 1);
            let score = (nl as f64 * gini(&left, nl) + nr as f64 * gini(&right, nr)) / n as f64;
            if best.map_or(true, |(s, _, _)| score < s - EPS) {
                best = Some((score, f, (a + b) / 2.0));
            }
        }
    }
    match best {
        Some((score, f, t)) if score < parent - EPS => {
            let (l, r): (Vec<usize>, Vec<usize>) = idx.iter().partition(|&&i| x[[i, f]] <= t);
            Tree::Node(f, t, Box::new(build(x, y, l, depth + 1, max_depth)), Box::new(build(x, y, r, depth + 1, max_depth)))
        }
        _ => Tree::Leaf(majority(&counts)),
    }
}

fn predict(t: &Tree, row: ArrayView1<f64>) -> i64 {
    match t {
        Tree::Leaf(l) => *l,
        Tree::Node(f, th, l, r) => if row[*f] <= *th { predict(l, row) } else { predict(r, row) },
    }
}

pub fn decision_tree(x_train: Array2<f64>, y_train: Vec<i64>, max_depth: usize, x_test: Array2<f64>) -> Vec<i64> {
    let tree = build(&x_train, &y_train, (0..x_train.nrows()).collect(), 0, max_depth);
    x_test.rows().into_iter().map(|r| predict(&tree, r)).collect()
}
