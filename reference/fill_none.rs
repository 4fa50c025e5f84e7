/// Forward fill: one pass, carrying the last value seen (0 before any value).
pub fn fill_none(input_list: Vec<Option<i64>>) -> Vec<i64> {
    let mut last = 0;
    input_list
        .into_iter()
        .map(|v| {
            if let Some(x) = v {
                last = x;
            }
            last
        })
        .collect()
}
