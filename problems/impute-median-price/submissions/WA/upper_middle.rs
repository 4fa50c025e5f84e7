// Takes the upper middle value for an even count instead of the mean of the two middles.
pub fn impute_median_price(cheeses: Vec<Cheese>) -> Vec<Cheese> {
    let mut prices: Vec<f64> = cheeses.iter().filter_map(|c| c.price).collect();
    if prices.is_empty() {
        return cheeses;
    }
    prices.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let median = prices[prices.len() / 2];
    cheeses.into_iter().map(|c| Cheese { price: Some(c.price.unwrap_or(median)), ..c }).collect()
}
