from collections import Counter


def class_weights(labels):
    counts = Counter(labels)
    n, classes = len(labels), len(counts)
    return [(c, n / (classes * counts[c])) for c in sorted(counts)]
