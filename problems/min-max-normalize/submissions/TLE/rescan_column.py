def min_max_normalize(x):
    rows = x.tolist()
    out = []
    for row in rows:
        new_row = []
        for j, v in enumerate(row):
            # The column's minimum and maximum found again for every cell.
            column = [r[j] for r in rows]
            lo, hi = min(column), max(column)
            new_row.append(0.0 if hi == lo else (v - lo) / (hi - lo))
        out.append(new_row)
    return out
