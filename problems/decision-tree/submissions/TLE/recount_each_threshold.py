def gini(labels):
    n = len(labels)
    counts = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    return 1.0 - sum((c / n) ** 2 for c in counts.values())


def majority(labels):
    counts = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    return min(counts, key=lambda label: (-counts[label], label))


def grow(rows, labels, depth, max_depth):
    if depth == max_depth or len(set(labels)) == 1:
        return majority(labels)
    best = None
    for f in range(len(rows[0])):
        values = sorted(set(r[f] for r in rows))
        for a, b in zip(values, values[1:]):
            t = (a + b) / 2.0
            # Both sides counted again from scratch for every threshold.
            left = [y for r, y in zip(rows, labels) if r[f] <= t]
            right = [y for r, y in zip(rows, labels) if r[f] > t]
            score = (len(left) * gini(left) + len(right) * gini(right)) / len(rows)
            if best is None or score < best[0] - 1e-12:
                best = (score, f, t)
    if best is None or best[0] >= gini(labels) - 1e-12:
        return majority(labels)
    _, f, t = best
    go_left = [r[f] <= t for r in rows]
    left = grow([r for r, g in zip(rows, go_left) if g],
                [y for y, g in zip(labels, go_left) if g], depth + 1, max_depth)
    right = grow([r for r, g in zip(rows, go_left) if not g],
                 [y for y, g in zip(labels, go_left) if not g], depth + 1, max_depth)
    return (f, t, left, right)


def decision_tree(x_train, y_train, max_depth, x_test):
    tree = grow(x_train.tolist(), list(y_train), 0, max_depth)
    out = []
    for row in x_test.tolist():
        node = tree
        while isinstance(node, tuple):
            f, t, left, right = node
            node = left if row[f] <= t else right
        out.append(node)
    return out
