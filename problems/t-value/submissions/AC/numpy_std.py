import numpy as np


def t_value(var, mu0):
    v = np.asarray(var, dtype=float)
    return float((v.mean() - mu0) / (v.std(ddof=1) / np.sqrt(len(v))))
