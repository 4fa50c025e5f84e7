from statistics import median


def median_rainfall(df_rain):
    # statistics.median raises StatisticsError when it never rained.
    return median(d.rainfall for d in df_rain if d.rainfall > 0)
