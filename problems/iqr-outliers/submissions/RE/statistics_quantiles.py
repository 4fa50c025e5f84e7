from statistics import quantiles


def iqr_outliers(values):
    # Linear interpolation, as numpy's default; but quantiles() refuses a single value.
    q1, _, q3 = quantiles(values, n=4, method="inclusive")
    iqr = q3 - q1
    return [i for i, v in enumerate(values) if v < q1 - 1.5 * iqr or v > q3 + 1.5 * iqr]
