import numpy as np


def kmeans(points, k, max_iter):
    centroids = points[:k].copy()
    assignment = None
    for round_ in range(1, max_iter + 1):
        distances = ((points[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
        # The last of equal distances: ties should go to the lower index.
        new = k - 1 - distances[:, ::-1].argmin(axis=1)
        if round_ > 1 and np.array_equal(new, assignment):
            break
        assignment = new
        for c in range(k):
            members = points[assignment == c]
            if len(members):
                centroids[c] = np.cumsum(members, axis=0)[-1] / len(members)
    return assignment.tolist()
