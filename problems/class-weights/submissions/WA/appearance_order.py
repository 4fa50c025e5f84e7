from collections import Counter


def class_weights(labels):
    counts = Counter(labels)
    n, classes = len(labels), len(counts)
    # Classes in the order they first appear, not ascending.
    return [(c, n / (classes * count)) for c, count in counts.items()]
