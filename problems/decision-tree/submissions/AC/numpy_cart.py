import numpy as np

TIE = 1e-12


def gini_scores(sorted_labels, classes):
    """Weighted child impurity of every split point of one feature's sorted column."""
    onehot = sorted_labels[:, None] == classes[None, :]
    left = np.cumsum(onehot, axis=0)[:-1]
    right = left[-1] + onehot[-1] - left if len(left) else left
    n_left = np.arange(1, len(sorted_labels))
    n_right = len(sorted_labels) - n_left
    gini_left = 1.0 - (left ** 2).sum(axis=1) / n_left ** 2
    gini_right = 1.0 - (right ** 2).sum(axis=1) / n_right ** 2
    return (n_left * gini_left + n_right * gini_right) / len(sorted_labels)


def best_split(x, y, classes):
    best = None  # (score, feature, threshold)
    for feature in range(x.shape[1]):
        order = np.argsort(x[:, feature], kind="stable")
        values, labels = x[order, feature], y[order]
        distinct = np.flatnonzero(values[:-1] != values[1:])
        if distinct.size == 0:
            continue
        scores = gini_scores(labels, classes)[distinct]
        lowest = scores.min()
        first = np.flatnonzero(scores <= lowest + TIE)[0]  # ties: the lowest threshold
        i = distinct[first]
        threshold = (values[i] + values[i + 1]) / 2.0
        if best is None or scores[first] < best[0] - TIE:
            best = (scores[first], feature, threshold)
    return best


def majority(y):
    labels, counts = np.unique(y, return_counts=True)
    return int(labels[np.argmax(counts)])  # unique sorts: ties go to the smallest label


def grow(x, y, depth, max_depth):
    classes = np.unique(y)
    if depth == max_depth or len(classes) == 1:
        return majority(y)
    shares = np.array([(y == c).sum() for c in classes]) / len(y)
    impurity = 1.0 - (shares ** 2).sum()
    split = best_split(x, y, classes)
    if split is None or split[0] >= impurity - TIE:
        return majority(y)
    _, feature, threshold = split
    left = x[:, feature] <= threshold
    return (feature, threshold,
            grow(x[left], y[left], depth + 1, max_depth),
            grow(x[~left], y[~left], depth + 1, max_depth))


def predict(tree, row):
    while isinstance(tree, tuple):
        feature, threshold, left, right = tree
        tree = left if row[feature] <= threshold else right
    return tree


def decision_tree(x_train, y_train, max_depth, x_test):
    tree = grow(x_train, np.asarray(y_train), 0, max_depth)
    return [predict(tree, row) for row in x_test]
