// Keeps the categories in order of first appearance instead of sorting them.
pub fn get_dummies(column: Vec<String>) -> (Vec<String>, Vec<Vec<u8>>) {
    let mut categories: Vec<String> = Vec::new();
    for v in &column {
        if !categories.contains(v) {
            categories.push(v.clone());
        }
    }
    let rows = column
        .iter()
        .map(|v| categories.iter().map(|c| (c == v) as u8).collect())
        .collect();
    (categories, rows)
}
