from collections import Counter

import numpy as np


def predict(labels, k):
    while True:
        votes = Counter(labels[:k]).most_common()
        if len(votes) == 1 or votes[0][1] > votes[1][1]:
            return votes[0][0]
        k -= 1


def grid_search_knn(x, y, ks, folds):
    n = len(y)
    correct = {k: 0 for k in ks}
    for i in range(folds):
        start, stop = i * n // folds, (i + 1) * n // folds
        train = np.r_[0:start, stop:n]
        for row in range(start, stop):
            order = np.argsort(((x[train] - x[row]) ** 2).sum(axis=1), kind="stable")
            ranked = [y[j] for j in train[order]]
            for k in correct:
                correct[k] += predict(ranked, k) == y[row]
    # The share of all rows, not the mean of the folds' accuracies.
    return min(correct, key=lambda k: (-correct[k], k))
