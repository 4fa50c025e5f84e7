import numpy as np


def iqr_outliers(values):
    v = np.asarray(values)
    q1, q3 = np.percentile(v, [25, 75])
    iqr = q3 - q1
    # On the fence counts as an outlier here: it should not.
    return np.flatnonzero((v <= q1 - 1.5 * iqr) | (v >= q3 + 1.5 * iqr)).tolist()
