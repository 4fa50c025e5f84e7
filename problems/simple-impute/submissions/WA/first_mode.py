from collections import Counter
from statistics import mean, median


def simple_impute(x, strategy):
    columns = list(zip(*x))
    fills = []
    for column in columns:
        present = [v for v in column if v is not None]
        if strategy == "mean":
            fills.append(mean(present))
        elif strategy == "median":
            fills.append(median(present))
        elif strategy == "most_frequent":
            # most_common breaks ties by first appearance, not by the smallest value.
            fills.append(Counter(present).most_common(1)[0][0])
        else:
            fills.append(0.0)
    return [[fills[j] if v is None else v for j, v in enumerate(row)] for row in x]
