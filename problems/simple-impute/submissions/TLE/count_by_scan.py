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
            # Each value counted by a scan of the whole column: quadratic.
            fills.append(min(present, key=lambda v: (-present.count(v), v)))
        else:
            fills.append(0.0)
    return [[fills[j] if v is None else v for j, v in enumerate(row)] for row in x]
