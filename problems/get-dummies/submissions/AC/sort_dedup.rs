// Sort and deduplicate the categories, then binary-search each value.
pub fn get_dummies(column: Vec<String>) -> (Vec<String>, Vec<Vec<u8>>) {
    let mut categories = column.clone();
    categories.sort();
    categories.dedup();
    let mut rows = Vec::new();
    for value in &column {
        let mut row = vec![0; categories.len()];
        let at = categories.binary_search(value).unwrap();
        row[at] = 1;
        rows.push(row);
    }
    (categories, rows)
}
