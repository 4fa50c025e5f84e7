// Normal equations with a column of ones, solved by Gauss-Jordan elimination. Far from the
// origin X^T X is ill-conditioned and the answer loses its last six digits.
pub fn linear_regression(x: Array2<f64>, y: Array1<f64>) -> Vec<f64> {
    let (n, d) = x.dim();
    let mut design = Array2::ones((n, d + 1));
    design.slice_mut(s![.., 1..]).assign(&x);
    let xtx = design.t().dot(&design);
    let xty = design.t().dot(&y);
    let m = d + 1;
    let mut a = vec![vec![0.0; m + 1]; m];
    for i in 0..m {
        for j in 0..m {
            a[i][j] = xtx[[i, j]];
        }
        a[i][m] = xty[i];
    }
    for c in 0..m {
        let p = (c..m).max_by(|&i, &j| a[i][c].abs().partial_cmp(&a[j][c].abs()).unwrap()).unwrap();
        a.swap(c, p);
        let div = a[c][c];
        for k in 0..=m {
            a[c][k] /= div;
        }
        for r in 0..m {
            if r != c {
                let f = a[r][c];
                for k in 0..=m {
                    a[r][k] -= f * a[c][k];
                }
            }
        }
    }
    (0..m).map(|i| a[i][m]).collect()
}
