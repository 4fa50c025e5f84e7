import pandas as pd


def get_dummies(column):
    if not column:
        return [], []
    # Categories in the order they first appear, not sorted.
    categories = list(pd.unique(pd.Series(column, dtype=object)))
    return categories, [[int(value == c) for c in categories] for value in column]
