use std::collections::BTreeMap;

/// Categories in byte order (a BTreeMap of &str orders exactly so), then one indicator row
/// per value.
pub fn get_dummies(column: Vec<String>) -> (Vec<String>, Vec<Vec<u8>>) {
    let mut index: BTreeMap<&str, usize> = column.iter().map(|v| (v.as_str(), 0)).collect();
    for (i, slot) in index.values_mut().enumerate() {
        *slot = i;
    }
    let rows = column
        .iter()
        .map(|v| {
            let mut row = vec![0u8; index.len()];
            row[index[v.as_str()]] = 1;
            row
        })
        .collect();
    let categories = index.keys().map(|k| k.to_string()).collect();
    (categories, rows)
}
