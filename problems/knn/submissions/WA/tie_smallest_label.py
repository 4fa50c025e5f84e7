from collections import Counter

import numpy as np


def knn(k, data, labels, new_point):
    nearest = np.argsort(((data - new_point) ** 2).sum(axis=1), kind="stable")[:k]
    votes = Counter(labels[i] for i in nearest)
    top = max(votes.values())
    # A tie goes to the smallest label instead of a vote with k - 1.
    return min(label for label, count in votes.items() if count == top)
