import numpy as np


def simple_impute(x, strategy):
    table = np.array([[np.nan if v is None else v for v in row] for row in x], dtype=float)
    missing = np.isnan(table)
    for j in range(table.shape[1]):
        present = table[~missing[:, j], j]
        if strategy == "mean":
            fill = present.mean()
        elif strategy == "median":
            fill = np.median(present)
        elif strategy == "most_frequent":
            values, counts = np.unique(present, return_counts=True)
            fill = values[np.argmax(counts)]  # unique sorts: the first maximum is the smallest
        elif strategy == "constant":
            fill = 0.0
        else:
            raise ValueError(f"unknown strategy {strategy!r}")
        table[missing[:, j], j] = fill
    return table
