from functools import lru_cache
from math import factorial


def permutation_forest(features, target, new_point):
    d = len(new_point)
    # A row survives the columns in `mask` when it agrees with new_point on each of them:
    # rows are counted once per agreement pattern, so a set of kept columns costs 2^d.
    total = [0] * (1 << d)
    ones = [0] * (1 << d)
    for row, label in zip(features, target):
        agree = sum(1 << j for j in range(d) if row[j] == new_point[j])
        total[agree] += 1
        ones[agree] += label

    @lru_cache(maxsize=None)
    def kept(mask):
        rows = sum(total[p] for p in range(1 << d) if p & mask == mask)
        positive = sum(ones[p] for p in range(1 << d) if p & mask == mask)
        return rows, positive

    def vote(mask):
        rows, positive = kept(mask)
        return 1 if 2 * positive > rows else 0

    @lru_cache(maxsize=None)
    def trees(mask):
        """(trees voting 0, trees voting 1) over the orderings of the columns not in mask,
        for trees that have kept the columns in mask so far."""
        remaining = [j for j in range(d) if not mask >> j & 1]
        if not remaining:
            return (1, 0) if vote(mask) == 0 else (0, 1)
        zeros = ones_ = 0
        for j in remaining:
            nxt = mask | 1 << j
            if kept(nxt)[0]:
                z, o = trees(nxt)
            else:
                # The tree stops before column j: every ordering of the rest votes alike.
                count = factorial(len(remaining) - 1)
                z, o = (count, 0) if vote(mask) == 0 else (0, count)
            zeros += z
            ones_ += o
        return zeros, ones_

    zeros, ones_ = trees(0)
    return 1 if ones_ > zeros else 0
