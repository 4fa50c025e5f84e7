/// Column by column: the fill value from the present cells, then every gap gets it.
pub fn simple_impute(x: Vec<Vec<Option<f64>>>, strategy: String) -> Vec<Vec<f64>> {
    let columns = x.first().map_or(0, Vec::len);
    let fills: Vec<f64> = (0..columns)
        .map(|j| {
            let mut present: Vec<f64> = x.iter().filter_map(|row| row[j]).collect();
            fill_value(&mut present, &strategy)
        })
        .collect();
    x.into_iter()
        .map(|row| {
            row.into_iter()
                .zip(&fills)
                .map(|(cell, &fill)| cell.unwrap_or(fill))
                .collect()
        })
        .collect()
}

fn fill_value(present: &mut [f64], strategy: &str) -> f64 {
    match strategy {
        "mean" => present.iter().sum::<f64>() / present.len() as f64,
        "median" => {
            present.sort_by(f64::total_cmp);
            let n = present.len();
            if n % 2 == 1 {
                present[n / 2]
            } else {
                (present[n / 2 - 1] + present[n / 2]) / 2.0
            }
        }
        "most_frequent" => {
            present.sort_by(f64::total_cmp);
            // Runs of equal values in ascending order: a later run must be strictly longer to
            // win, so ties go to the smallest value.
            let (mut best, mut best_len) = (present[0], 0);
            for run in present.chunk_by(|a, b| a == b) {
                if run.len() > best_len {
                    (best, best_len) = (run[0], run.len());
                }
            }
            best
        }
        "constant" => 0.0,
        other => panic!("unknown strategy {other:?}"),
    }
}
