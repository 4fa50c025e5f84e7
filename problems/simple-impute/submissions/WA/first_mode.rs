use std::collections::HashMap;

// most_frequent ties go to the value seen first, not to the smallest.
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
                let mut counts: HashMap<u64, usize> = HashMap::new();
                for v in &vals {
                    *counts.entry(v.to_bits()).or_insert(0) += 1;
                }
                let top = *counts.values().max().unwrap();
                *vals.iter().find(|v| counts[&v.to_bits()] == top).unwrap()
            }
            _ => 0.0,
        };
    }
    x.iter()
        .map(|r| r.iter().enumerate().map(|(j, c)| c.unwrap_or(fill[j])).collect())
        .collect()
}
