import numpy as np


def min_max_normalize(x):
    # Normalises each row instead of each column.
    lo = x.min(axis=1, keepdims=True)
    span = x.max(axis=1, keepdims=True) - lo
    return np.where(span == 0, 0.0, (x - lo) / np.where(span == 0, 1.0, span))
