// Sorts the categories ignoring case, the way people read them, not by bytes.
pub fn get_dummies(column: Vec<String>) -> (Vec<String>, Vec<Vec<u8>>) {
    let mut categories = column.clone();
    categories.sort_by_key(|c| c.to_lowercase());
    categories.dedup();
    let rows = column
        .iter()
        .map(|v| categories.iter().map(|c| (c == v) as u8).collect())
        .collect();
    (categories, rows)
}
