// Off-by-one median: takes the upper middle value instead of averaging for an even count.
fn median_rainfall(df_rain: Vec<RainDay>) -> Option<f64> {
    let mut v: Vec<f64> = df_rain.into_iter().filter(|d| d.rainfall > 0.0).map(|d| d.rainfall).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    Some(v[v.len() / 2])
}
