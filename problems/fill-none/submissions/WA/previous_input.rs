// The interview question's own buggy code: it copies the previous *input* value, so the
// second None of a run becomes 0 instead of the last real reading.
pub fn fill_none(input_list: Vec<Option<i64>>) -> Vec<i64> {
    let mut out = Vec::new();
    for i in 0..input_list.len() {
        match input_list[i] {
            Some(v) => out.push(v),
            None => {
                if i > 0 {
                    out.push(input_list[i - 1].unwrap_or(0));
                } else {
                    out.push(0);
                }
            }
        }
    }
    out
}
