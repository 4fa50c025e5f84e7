import numpy as np


def stratified_split(labels, test_size):
    y = np.asarray(labels)
    order = np.argsort(y, kind="stable")
    classes, starts, counts = np.unique(y[order], return_index=True, return_counts=True)
    in_test = np.zeros(len(y), dtype=bool)
    for start, count in zip(starts, counts):
        take = int(test_size * count)  # floor: allowed for every class
        in_test[order[start:start + take]] = True
    return np.flatnonzero(~in_test).tolist(), np.flatnonzero(in_test).tolist()
