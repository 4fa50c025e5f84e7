// Breaks distance ties towards the higher centroid index (`<=`).
pub fn kmeans(points: Array2<f64>, k: usize, max_iter: usize) -> Vec<usize> {
    let (n, d) = points.dim();
    let mut cent: Vec<Vec<f64>> = (0..k).map(|c| points.row(c).to_vec()).collect();
    let mut assign = vec![usize::MAX; n];
    for _ in 0..max_iter {
        let mut changed = false;
        for i in 0..n {
            let mut best = 0;
            let mut best_d = f64::MAX;
            for c in 0..k {
                let dist: f64 = (0..d).map(|j| (points[[i, j]] - cent[c][j]).powi(2)).sum();
                if dist <= best_d {
                    best_d = dist;
                    best = c;
                }
            }
            if assign[i] != best {
                assign[i] = best;
                changed = true;
            }
        }
        if !changed {
            break;
        }
        let mut sum = vec![vec![0.0; d]; k];
        let mut cnt = vec![0; k];
        for i in 0..n {
            cnt[assign[i]] += 1;
            for j in 0..d {
                sum[assign[i]][j] += points[[i, j]];
            }
        }
        for c in 0..k {
            if cnt[c] > 0 {
                for j in 0..d {
                    cent[c][j] = sum[c][j] / cnt[c] as f64;
                }
            }
        }
    }
    assign
}
