use std::cmp::Ordering;

fn median_rainfall(df_rain: Vec<RainDay>) -> Option<f64> {
    let mut v: Vec<f64> = df_rain.into_iter().filter(|d| d.rainfall > 0.0).map(|d| d.rainfall).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(Ordering::Equal));
    let n = v.len();
    Some(if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 })
}
