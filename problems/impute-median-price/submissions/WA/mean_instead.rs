// Fills with the mean of the present prices (fillna(mean)), not the median.
pub fn impute_median_price(cheeses: Vec<Cheese>) -> Vec<Cheese> {
    let prices: Vec<f64> = cheeses.iter().filter_map(|c| c.price).collect();
    if prices.is_empty() {
        return cheeses;
    }
    let mean = prices.iter().sum::<f64>() / prices.len() as f64;
    cheeses.into_iter().map(|c| Cheese { price: Some(c.price.unwrap_or(mean)), ..c }).collect()
}
