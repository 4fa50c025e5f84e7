use std::collections::HashMap;

// Walks the orderings column by column, memoising on the set of columns kept so far: the
// rows left depend only on that set.
fn count(mask: usize, rows: Vec<usize>, f: &Vec<Vec<u8>>, t: &Vec<u8>, p: &Vec<u8>, memo: &mut HashMap<usize, (u64, u64)>) -> (u64, u64) {
    if let Some(&r) = memo.get(&mask) {
        return r;
    }
    let d = p.len();
    let ones = rows.iter().filter(|&&r| t[r] == 1).count();
    let vote = if 2 * ones > rows.len() { 1 } else { 0 };
    let free: Vec<usize> = (0..d).filter(|c| mask & (1 << c) == 0).collect();
    let mut result = (0u64, 0u64);
    if free.is_empty() {
        result = (vote, 1);
    }
    for &c in &free {
        let keep: Vec<usize> = rows.iter().copied().filter(|&r| f[r][c] == p[c]).collect();
        if keep.is_empty() {
            let n: u64 = (1..free.len() as u64).product();
            result.0 += vote * n;
            result.1 += n;
        } else {
            let (a, b) = count(mask | (1 << c), keep, f, t, p, memo);
            result.0 += a;
            result.1 += b;
        }
    }
    memo.insert(mask, result);
    result
}

pub fn permutation_forest(features: Vec<Vec<u8>>, target: Vec<u8>, new_point: Vec<u8>) -> u8 {
    let mut memo = HashMap::new();
    let all: Vec<usize> = (0..features.len()).collect();
    let (ones, trees) = count(0, all, &features, &target, &new_point, &mut memo);
    if 2 * ones > trees { 1 } else { 0 }
}
