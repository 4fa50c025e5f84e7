from collections import Counter

import numpy as np


def knn(k, data, labels, new_point):
    # Squared distances: two different ones can share a square root, and are no tie.
    distances = ((data - new_point) ** 2).sum(axis=1)
    nearest = np.argsort(distances, kind="stable")  # ties keep row order
    while True:
        votes = Counter(labels[i] for i in nearest[:k]).most_common()
        if len(votes) == 1 or votes[0][1] > votes[1][1]:
            return votes[0][0]
        k -= 1
