// Recomputes (and re-sorts for) the median at every missing price.
pub fn impute_median_price(cheeses: Vec<Cheese>) -> Vec<Cheese> {
    let mut out = cheeses.clone();
    for c in out.iter_mut() {
        if c.price.is_none() {
            let mut prices: Vec<f64> = cheeses.iter().filter_map(|c| c.price).collect();
            if prices.is_empty() {
                continue;
            }
            prices.sort_by(|a, b| a.partial_cmp(b).unwrap());
            let m = prices.len() / 2;
            c.price = Some(if prices.len() % 2 == 0 { (prices[m - 1] + prices[m]) / 2.0 } else { prices[m] });
        }
    }
    out
}
