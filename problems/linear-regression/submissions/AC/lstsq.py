import numpy as np


def linear_regression(x, y):
    design = np.column_stack([np.ones(len(x)), x])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    return coef.tolist()
