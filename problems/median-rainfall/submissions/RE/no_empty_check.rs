// Never returns None: indexing an empty list panics when it never rained.
fn median_rainfall(df_rain: Vec<RainDay>) -> Option<f64> {
    let mut v: Vec<f64> = df_rain.into_iter().filter(|d| d.rainfall > 0.0).map(|d| d.rainfall).collect();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 })
}
