import pandas as pd


def impute_median_price(cheeses):
    df = pd.DataFrame({"name": [c.name for c in cheeses], "price": [c.price for c in cheeses]},
                      dtype=object)
    prices = df["price"].astype(float)
    if prices.notna().any():
        df["price"] = prices.fillna(prices.median())
    return [Cheese(name, price) for name, price in zip(df["name"], df["price"])]
