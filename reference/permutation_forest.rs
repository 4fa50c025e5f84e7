/// A tree's rows depend only on the set of columns it has kept, so the forest is counted over
/// column subsets (2^d of them) instead of walking d! trees over the rows.
pub fn permutation_forest(features: Vec<Vec<u8>>, target: Vec<u8>, new_point: Vec<u8>) -> u8 {
    let d = new_point.len();
    let subsets = 1usize << d;
    // rows[m] / ones[m]: rows agreeing with new_point on every column of m, and how many of
    // them have target 1. Filled for each row's own agreement set, then summed over supersets.
    let mut rows = vec![0u64; subsets];
    let mut ones = vec![0u64; subsets];
    for (row, &t) in features.iter().zip(&target) {
        let agree = (0..d).filter(|&j| row[j] == new_point[j]).fold(0, |m, j| m | 1 << j);
        rows[agree] += 1;
        ones[agree] += u64::from(t);
    }
    for j in 0..d {
        for m in 0..subsets {
            if m & 1 << j == 0 {
                rows[m] += rows[m | 1 << j];
                ones[m] += ones[m | 1 << j];
            }
        }
    }
    let mut memo = vec![None; subsets];
    let votes_for_one = trees_voting_one(0, d, &rows, &ones, &mut memo);
    let trees: u64 = (1..=d as u64).product();
    u8::from(2 * votes_for_one > trees)
}

/// Among the orderings of the columns not in `kept` (applied after the columns of `kept`, all
/// of which left rows), how many trees vote 1.
fn trees_voting_one(kept: usize, d: usize, rows: &[u64], ones: &[u64], memo: &mut [Option<u64>]) -> u64 {
    if let Some(v) = memo[kept] {
        return v;
    }
    let free: Vec<usize> = (0..d).filter(|&j| kept & 1 << j == 0).collect();
    let vote = u64::from(2 * ones[kept] > rows[kept]);
    let mut total = 0;
    for &c in &free {
        let next = kept | 1 << c;
        total += if rows[next] == 0 {
            // The tree stops before c: every ordering of the other free columns votes alike.
            vote * (1..free.len() as u64).product::<u64>()
        } else {
            trees_voting_one(next, d, rows, ones, memo)
        };
    }
    if free.is_empty() {
        total = vote;
    }
    memo[kept] = Some(total);
    total
}
