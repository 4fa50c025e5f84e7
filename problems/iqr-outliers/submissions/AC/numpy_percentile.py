import numpy as np


def iqr_outliers(values):
    v = np.asarray(values, dtype=float)
    q1, q3 = np.percentile(v, [25, 75])
    iqr = q3 - q1
    outside = (v < q1 - 1.5 * iqr) | (v > q3 + 1.5 * iqr)
    return np.flatnonzero(outside).tolist()
