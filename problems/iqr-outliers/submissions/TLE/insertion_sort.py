def percentile(ordered, q):
    position = (len(ordered) - 1) * q
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def iqr_outliers(values):
    ordered = []
    for v in values:
        # Insertion sort: quadratic.
        i = len(ordered)
        ordered.append(v)
        while i > 0 and ordered[i - 1] > v:
            ordered[i] = ordered[i - 1]
            i -= 1
        ordered[i] = v
    q1, q3 = percentile(ordered, 0.25), percentile(ordered, 0.75)
    iqr = q3 - q1
    return [i for i, v in enumerate(values) if v < q1 - 1.5 * iqr or v > q3 + 1.5 * iqr]
