// Right answers, but sorts with insertion sort: quadratic on a few hundred thousand days.
fn median_rainfall(df_rain: Vec<RainDay>) -> Option<f64> {
    let mut v: Vec<f64> = Vec::new();
    for d in df_rain {
        if d.rainfall > 0.0 {
            let pos = v.iter().position(|x| *x > d.rainfall).unwrap_or(v.len());
            v.insert(pos, d.rainfall);
            // Shuffle the tail back and forth like a naive bubble pass would.
            for i in (1..v.len()).rev() {
                if v[i - 1] > v[i] {
                    v.swap(i - 1, i);
                }
            }
        }
    }
    if v.is_empty() {
        return None;
    }
    let n = v.len();
    Some(if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 })
}
