// Fits through the origin: forgets the column of ones, then reports 0 as the intercept.
pub fn linear_regression(x: Array2<f64>, y: Array1<f64>) -> Vec<f64> {
    let d = x.ncols();
    let xtx = x.t().dot(&x);
    let xty = x.t().dot(&y);
    let mut a = vec![vec![0.0; d + 1]; d];
    for i in 0..d {
        for j in 0..d {
            a[i][j] = xtx[[i, j]];
        }
        a[i][d] = xty[i];
    }
    for c in 0..d {
        for r in 0..d {
            if r != c {
                let f = a[r][c] / a[c][c];
                for k in 0..=d {
                    a[r][k] -= f * a[c][k];
                }
            }
        }
    }
    let mut out = vec![0.0];
    out.extend((0..d).map(|i| a[i][d] / a[i][i]));
    out
}
