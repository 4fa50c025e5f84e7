pub fn impute_median_price(cheeses: Vec<Cheese>) -> Vec<Cheese> {
    let mut prices: Vec<f64> = cheeses.iter().filter_map(|c| c.price).collect();
    if prices.is_empty() {
        return cheeses;
    }
    prices.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let mid = prices.len() / 2;
    let median = if prices.len() % 2 == 0 { (prices[mid - 1] + prices[mid]) / 2.0 } else { prices[mid] };
    let mut out = cheeses;
    for c in out.iter_mut() {
        if c.price.is_none() {
            c.price = Some(median);
        }
    }
    out
}
