from collections import Counter


def knn(k, data, labels, new_point):
    point = new_point.tolist()
    distances = [sum((a - b) ** 2 for a, b in zip(row, point)) for row in data.tolist()]
    chosen = []
    taken = set()
    # The k nearest picked one at a time, each by a scan of every row.
    for _ in range(k):
        best = min((d, i) for i, d in enumerate(distances) if i not in taken)
        chosen.append(best[1])
        taken.add(best[1])
    while True:
        votes = Counter(labels[i] for i in chosen[:k]).most_common()
        if len(votes) == 1 or votes[0][1] > votes[1][1]:
            return votes[0][0]
        k -= 1
