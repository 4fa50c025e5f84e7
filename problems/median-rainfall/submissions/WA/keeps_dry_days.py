import pandas as pd


def median_rainfall(df_rain):
    df = pd.DataFrame(df_rain)
    if df.empty or not (df["rainfall"] > 0).any():
        return None
    # The dry days are counted in the median too.
    return float(df["rainfall"].median())
