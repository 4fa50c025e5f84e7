from collections import Counter
from fractions import Fraction


def predict(labels, k):
    while True:
        votes = Counter(labels[:k]).most_common()
        if len(votes) == 1 or votes[0][1] > votes[1][1]:
            return votes[0][0]
        k -= 1


def grid_search_knn(x, y, ks, folds):
    rows = x.tolist()
    n = len(y)
    best = None
    for k in sorted(set(ks)):
        score = Fraction(0)
        for i in range(folds):
            start, stop = i * n // folds, (i + 1) * n // folds
            train = [j for j in range(n) if not start <= j < stop]
            right = 0
            for row in range(start, stop):
                # Every distance computed again, in Python, for every k.
                distance = [sum((a - b) ** 2 for a, b in zip(rows[j], rows[row])) for j in train]
                ranked = [y[j] for _, j in sorted(zip(distance, train))]
                right += predict(ranked, k) == y[row]
            score += Fraction(right, stop - start)
        if best is None or score > best[0]:
            best = (score, k)
    return best[1]
