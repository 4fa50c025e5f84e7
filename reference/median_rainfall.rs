/// Median of the positive rainfalls: select the middle order statistics in O(n).
pub fn median_rainfall(df_rain: Vec<RainDay>) -> Option<f64> {
    let mut rainy: Vec<f64> = df_rain.iter().map(|d| d.rainfall).filter(|r| *r > 0.0).collect();
    let n = rainy.len();
    if n == 0 {
        return None;
    }
    let (below, upper, _) = rainy.select_nth_unstable_by(n / 2, f64::total_cmp);
    let upper = *upper;
    if n % 2 == 1 {
        return Some(upper);
    }
    // The lower middle is the largest value below the upper middle.
    let lower = below.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Some((lower + upper) / 2.0)
}
