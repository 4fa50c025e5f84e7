from fractions import Fraction

import numpy as np


def predictions(neighbour_labels, ks):
    """kNN predictions for every k in ks, walking the sorted neighbours once (a tie for the
    majority keeps the prediction of k - 1)."""
    wanted = set(ks)
    counts = {}
    top, leaders, leader = 0, 0, None
    out = {}
    previous = None
    for k, label in enumerate(neighbour_labels[: max(ks)], start=1):
        counts[label] = counts.get(label, 0) + 1
        if counts[label] > top:
            top, leaders, leader = counts[label], 1, label
        elif counts[label] == top:
            leaders += 1
        previous = leader if leaders == 1 else previous
        if k in wanted:
            out[k] = previous
    return out


def grid_search_knn(x, y, ks, folds):
    n = len(y)
    labels = np.asarray(y)
    scores = {k: Fraction(0) for k in ks}
    for i in range(folds):
        start, stop = i * n // folds, (i + 1) * n // folds
        train = np.r_[0:start, stop:n]
        correct = {k: 0 for k in ks}
        for row in range(start, stop):
            distances = ((x[train] - x[row]) ** 2).sum(axis=1)
            order = np.argsort(distances, kind="stable")  # ties: the lower row index
            predicted = predictions(labels[train][order].tolist(), ks)
            for k in correct:  # each k once, however often ks names it
                correct[k] += predicted[k] == y[row]
        for k in correct:
            scores[k] += Fraction(correct[k], stop - start)
    return min(ks, key=lambda k: (-scores[k], k))
