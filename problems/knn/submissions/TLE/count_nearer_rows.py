from collections import Counter


def knn(k, data, labels, new_point):
    distances = ((data - new_point) ** 2).sum(axis=1).tolist()
    keyed = list(zip(distances, range(len(distances))))
    # A row is among the k nearest when fewer than k rows are nearer than it: no sort, but
    # every pair of rows compared.
    nearest = sorted(p for p in keyed if sum(q < p for q in keyed) < k)
    while True:
        votes = Counter(labels[i] for _, i in nearest[:k]).most_common()
        if len(votes) == 1 or votes[0][1] > votes[1][1]:
            return votes[0][0]
        k -= 1
