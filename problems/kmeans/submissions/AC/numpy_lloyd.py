import numpy as np


def kmeans(points, k, max_iter):
    centroids = points[:k].copy()
    assignment = None
    for round_ in range(1, max_iter + 1):
        distances = ((points[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
        new = distances.argmin(axis=1)  # the first minimum: ties to the lower index
        if round_ > 1 and np.array_equal(new, assignment):
            break
        assignment = new
        for c in range(k):
            members = points[assignment == c]
            if len(members):
                # The f64 sum in row order (cumsum adds one row at a time; sum() would
                # add in pairs), then the division, as the statement says.
                centroids[c] = np.cumsum(members, axis=0)[-1] / len(members)
    return assignment.tolist()
