use std::vec::Vec;

pub fn fill_none(input_list: Vec<Option<i64>>) -> Vec<i64> {
    let mut result = Vec::with_capacity(input_list.len());
    let mut last = 0;
    for value in input_list {
        match value {
            Some(v) => {
                last = v;
                result.push(v)
            }
            None => result.push(last),
        }
    }
    result
}
