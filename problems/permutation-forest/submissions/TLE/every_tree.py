from itertools import permutations


def permutation_forest(features, target, new_point):
    zeros = ones = 0
    # All d! trees, each walking all rows.
    for order in permutations(range(len(new_point))):
        rows = list(range(len(features)))
        for j in order:
            kept = [i for i in rows if features[i][j] == new_point[j]]
            if not kept:
                break
            rows = kept
        positive = sum(target[i] for i in rows)
        if 2 * positive > len(rows):
            ones += 1
        else:
            zeros += 1
    return 1 if ones > zeros else 0
