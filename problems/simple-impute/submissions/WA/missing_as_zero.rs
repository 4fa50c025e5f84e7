// Treats missing cells as 0 when computing the statistics (fillna(0) first, then impute).
pub fn simple_impute(x: Vec<Vec<Option<f64>>>, strategy: String) -> Vec<Vec<f64>> {
    let cols = x[0].len();
    let mut fill = vec![0.0; cols];
    for j in 0..cols {
        let mut vals: Vec<f64> = x.iter().map(|r| r[j].unwrap_or(0.0)).collect();
        vals.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let m = vals.len() / 2;
        fill[j] = match strategy.as_str() {
            "mean" => vals.iter().sum::<f64>() / vals.len() as f64,
            "median" => if vals.len() % 2 == 0 { (vals[m - 1] + vals[m]) / 2.0 } else { vals[m] },
            "most_frequent" => {
                let mut best = (0, vals[0]);
                let mut i = 0;
                while i < vals.len() {
                    let mut k = i;
                    while k < vals.len() && vals[k] == vals[i] {
                        k += 1;
                    }
                    if k - i > best.0 {
                        best = (k - i, vals[i]);
                    }
                    i = k;
                }
                best.1
            }
            _ => 0.0,
        };
    }
    x.iter()
        .map(|r| r.iter().enumerate().map(|(j, c)| c.unwrap_or(fill[j])).collect())
        .collect()
}
