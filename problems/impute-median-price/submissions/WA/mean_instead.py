import pandas as pd


def impute_median_price(cheeses):
    df = pd.DataFrame(cheeses)
    prices = df["price"].astype(float)
    if prices.notna().any():
        # The mean, not the median.
        df["price"] = prices.fillna(prices.mean())
    return df.to_dict("records")
