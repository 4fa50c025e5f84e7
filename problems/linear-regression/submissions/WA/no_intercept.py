import numpy as np


def linear_regression(x, y):
    # No column of ones: the line is forced through the origin.
    coef, *_ = np.linalg.lstsq(x, y, rcond=None)
    return [0.0, *coef]
