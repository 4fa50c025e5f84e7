// Correct, but scans back from every gap to the last reading: quadratic on long gaps.
pub fn fill_none(input_list: Vec<Option<i64>>) -> Vec<i64> {
    let mut out = Vec::with_capacity(input_list.len());
    for i in 0..input_list.len() {
        let mut j = i as isize;
        let mut value = 0;
        while j >= 0 {
            if let Some(v) = input_list[j as usize] {
                value = v;
                break;
            }
            j -= 1;
        }
        out.push(value);
    }
    out
}
