import numpy as np


def smote(minority, k, n_synthetic, seed):
    rng = np.random.default_rng(seed)
    synthetic = np.empty((n_synthetic, minority.shape[1]))
    for i in range(n_synthetic):
        p = rng.integers(len(minority))
        distances = ((minority - minority[p]) ** 2).sum(axis=1)
        distances[p] = np.inf  # another row than p, even at the same place
        neighbours = np.argsort(distances, kind="stable")[:k]
        q = neighbours[rng.integers(k)]
        t = rng.random()
        synthetic[i] = minority[p] + t * (minority[q] - minority[p])
    return synthetic
