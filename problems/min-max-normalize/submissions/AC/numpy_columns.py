import numpy as np


def min_max_normalize(x):
    lo = x.min(axis=0) if len(x) else np.zeros(x.shape[1])
    span = (x.max(axis=0) if len(x) else lo) - lo
    # A constant column has no span: every value becomes 0.0.
    safe = np.where(span == 0, 1.0, span)
    return np.where(span == 0, 0.0, (x - lo) / safe)
