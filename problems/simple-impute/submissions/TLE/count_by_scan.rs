// Finds the most frequent value by counting every value with a scan of its column.
pub fn simple_impute(x: Vec<Vec<Option<f64>>>, strategy: String) -> Vec<Vec<f64>> {
    let cols = x[0].len();
    let mut fill = vec![0.0; cols];
    for j in 0..cols {
        let mut vals: Vec<f64> = x.iter().filter_map(|r| r[j]).collect();
        fill[j] = match strategy.as_str() {
            "mean" => vals.iter().sum::<f64>() / vals.len() as f64,
            "median" => {
                vals.sort_by(|a, b| a.partial_cmp(b).unwrap());
                let m = vals.len() / 2;
                if vals.len() % 2 == 0 { (vals[m - 1] + vals[m]) / 2.0 } else { vals[m] }
            }
            "most_frequent" => {
                let mut best = (0, f64::INFINITY);
                for &v in &vals {
                    let c = vals.iter().filter(|&&w| w == v).count();
                    if c > best.0 || (c == best.0 && v < best.1) {
                        best = (c, v);
                    }
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
