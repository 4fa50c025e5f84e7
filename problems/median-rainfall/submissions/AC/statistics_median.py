from statistics import median


def median_rainfall(df_rain):
    wet = [d.rainfall for d in df_rain if d.rainfall > 0]
    return median(wet) if wet else None
