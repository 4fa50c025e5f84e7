/// fillna(median): the median of the present prices, computed once, fills every gap.
pub fn impute_median_price(cheeses: Vec<Cheese>) -> Vec<Cheese> {
    let mut present: Vec<f64> = cheeses.iter().filter_map(|c| c.price).collect();
    if present.is_empty() {
        return cheeses;
    }
    present.sort_by(f64::total_cmp);
    let n = present.len();
    let median = if n % 2 == 1 {
        present[n / 2]
    } else {
        (present[n / 2 - 1] + present[n / 2]) / 2.0
    };
    cheeses
        .into_iter()
        .map(|c| Cheese { price: c.price.or(Some(median)), ..c })
        .collect()
}
