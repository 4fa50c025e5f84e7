/// Least squares through the normal equations of the centred data (centring removes the
/// intercept column and keeps the system well conditioned far from the origin), solved by
/// Gaussian elimination with partial pivoting.
pub fn linear_regression(x: Array2<f64>, y: Array1<f64>) -> Vec<f64> {
    // The problem's rules, asserted: a case outside them is refused (RE) rather than
    // answered, so `judge verify` and `judge stress` never take it for a valid case.
    assert_eq!(y.len(), x.nrows(), "one target per row");
    assert!(x.nrows() > x.ncols(), "more rows than features");
    let n = x.nrows() as f64;
    let d = x.ncols();
    let x_mean: Vec<f64> = (0..d).map(|j| x.column(j).sum() / n).collect();
    let y_mean = y.sum() / n;
    // a = Xc^T Xc, b = Xc^T yc, with c meaning centred.
    let mut a = vec![vec![0.0; d + 1]; d];
    for (row, &yi) in x.rows().into_iter().zip(&y) {
        let centred: Vec<f64> = row.iter().zip(&x_mean).map(|(v, m)| v - m).collect();
        for j in 0..d {
            for k in 0..d {
                a[j][k] += centred[j] * centred[k];
            }
            a[j][d] += centred[j] * (yi - y_mean);
        }
    }
    let coef = solve(a);
    let intercept = y_mean - coef.iter().zip(&x_mean).map(|(c, m)| c * m).sum::<f64>();
    std::iter::once(intercept).chain(coef).collect()
}

/// Solves the augmented system `a` (d rows of d + 1 values).
fn solve(mut a: Vec<Vec<f64>>) -> Vec<f64> {
    let d = a.len();
    // A pivot this small against the largest diagonal entry means a rank-deficient X,
    // which the rules exclude.
    let scale = (0..d).map(|i| a[i][i].abs()).fold(0.0, f64::max);
    for col in 0..d {
        let pivot = (col..d)
            .max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))
            .expect("at least one row");
        a.swap(col, pivot);
        assert!(a[col][col].abs() > 1e-9 * scale, "X with a column of ones must have full column rank");
        for row in col + 1..d {
            let factor = a[row][col] / a[col][col];
            for k in col..=d {
                a[row][k] -= factor * a[col][k];
            }
        }
    }
    let mut coef = vec![0.0; d];
    for row in (0..d).rev() {
        let known: f64 = (row + 1..d).map(|k| a[row][k] * coef[k]).sum();
        coef[row] = (a[row][d] - known) / a[row][row];
    }
    coef
}
