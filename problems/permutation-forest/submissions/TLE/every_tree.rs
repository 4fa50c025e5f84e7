// Builds every ordering and walks each tree over the rows: d! x rows work.
fn permutations(items: Vec<usize>) -> Vec<Vec<usize>> {
    if items.len() <= 1 {
        return vec![items];
    }
    let mut out = Vec::new();
    for i in 0..items.len() {
        let mut rest = items.clone();
        let first = rest.remove(i);
        for mut p in permutations(rest) {
            p.insert(0, first);
            out.push(p);
        }
    }
    out
}

pub fn permutation_forest(features: Vec<Vec<u8>>, target: Vec<u8>, new_point: Vec<u8>) -> u8 {
    let d = new_point.len();
    let mut ones = 0;
    let mut trees = 0;
    for perm in permutations((0..d).collect()) {
        let mut rows: Vec<usize> = (0..features.len()).collect();
        for c in perm {
            let keep: Vec<usize> = rows.iter().copied().filter(|&r| features[r][c] == new_point[c]).collect();
            if keep.is_empty() {
                break;
            }
            rows = keep;
        }
        let t1 = rows.iter().filter(|&&r| target[r] == 1).count();
        if 2 * t1 > rows.len() {
            ones += 1;
        }
        trees += 1;
    }
    if 2 * ones > trees { 1 } else { 0 }
}
