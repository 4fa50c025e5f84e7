// Centre the features and the target, solve the normal equations for the slopes by
// Gauss-Jordan elimination, then recover the intercept from the means.
pub fn linear_regression(x: Array2<f64>, y: Array1<f64>) -> Vec<f64> {
    let d = x.ncols();
    let x_mean = x.mean_axis(Axis(0)).unwrap();
    let y_mean = y.mean().unwrap();
    let xc = &x - &x_mean;
    let yc = &y - y_mean;
    let xtx = xc.t().dot(&xc);
    let xty = xc.t().dot(&yc);
    let mut a = vec![vec![0.0; d + 1]; d];
    for i in 0..d {
        for j in 0..d {
            a[i][j] = xtx[[i, j]];
        }
        a[i][d] = xty[i];
    }
    for c in 0..d {
        let p = (c..d).max_by(|&i, &j| a[i][c].abs().partial_cmp(&a[j][c].abs()).unwrap()).unwrap();
        a.swap(c, p);
        let div = a[c][c];
        for k in 0..=d {
            a[c][k] /= div;
        }
        for r in 0..d {
            if r != c {
                let f = a[r][c];
                for k in 0..=d {
                    a[r][k] -= f * a[c][k];
                }
            }
        }
    }
    let coef: Vec<f64> = (0..d).map(|i| a[i][d]).collect();
    let intercept = y_mean - coef.iter().zip(x_mean.iter()).map(|(c, m)| c * m).sum::<f64>();
    let mut out = vec![intercept];
    out.extend(coef);
    out
}
