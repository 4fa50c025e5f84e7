import numpy as np


def gini(y):
    _, counts = np.unique(y, return_counts=True)
    return 1.0 - ((counts / len(y)) ** 2).sum()


def grow(x, y, depth, max_depth):
    labels, counts = np.unique(y, return_counts=True)
    leaf = int(labels[np.argmax(counts)])
    if depth == max_depth or len(labels) == 1:
        return leaf
    best = None
    for f in range(x.shape[1]):
        values = np.unique(x[:, f])
        # The threshold is a value itself, not the midpoint between two values.
        for t in values[:-1]:
            left = x[:, f] <= t
            score = (left.sum() * gini(y[left]) + (~left).sum() * gini(y[~left])) / len(y)
            if best is None or score < best[0] - 1e-12:
                best = (score, f, t)
    if best is None or best[0] >= gini(y) - 1e-12:
        return leaf
    _, f, t = best
    left = x[:, f] <= t
    return (f, t, grow(x[left], y[left], depth + 1, max_depth),
            grow(x[~left], y[~left], depth + 1, max_depth))


def decision_tree(x_train, y_train, max_depth, x_test):
    tree = grow(x_train, np.asarray(y_train), 0, max_depth)
    out = []
    for row in x_test:
        node = tree
        while isinstance(node, tuple):
            f, t, left, right = node
            node = left if row[f] <= t else right
        out.append(node)
    return out
