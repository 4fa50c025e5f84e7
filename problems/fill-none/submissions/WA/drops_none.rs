// Filters the gaps out instead of filling them: the list gets shorter.
pub fn fill_none(input_list: Vec<Option<i64>>) -> Vec<i64> {
    input_list.into_iter().flatten().collect()
}
