fn percentile(sorted: &Vec<f64>, p: f64) -> f64 {
    let pos = (sorted.len() as f64 - 1.0) * p;
    let i = pos as usize;
    if i + 1 < sorted.len() {
        sorted[i] + (pos - i as f64) * (sorted[i + 1] - sorted[i])
    } else {
        sorted[i]
    }
}

pub fn iqr_outliers(values: Vec<f64>) -> Vec<usize> {
    let mut sorted = values.clone();
    sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let q1 = percentile(&sorted, 0.25);
    let q3 = percentile(&sorted, 0.75);
    let iqr = q3 - q1;
    let mut out = vec![];
    for (i, v) in values.iter().enumerate() {
        if *v < q1 - 1.5 * iqr || *v > q3 + 1.5 * iqr {
            out.push(i);
        }
    }
    out
}
