// Assumes the first reading is present: panics when the log starts with None.
pub fn fill_none(input_list: Vec<Option<i64>>) -> Vec<i64> {
    let mut last = input_list[0].unwrap();
    input_list
        .iter()
        .map(|v| {
            if let Some(x) = v {
                last = *x;
            }
            last
        })
        .collect()
}
