import numpy as np


def logistic_regression(x, y, learning_rate, iterations):
    y = np.asarray(y, dtype=float)
    b, w = 0.0, np.zeros(x.shape[1])
    for _ in range(iterations):
        error = 1 / (1 + np.exp(-(b + x @ w))) - y
        # Summed, not averaged over the rows.
        b -= learning_rate * error.sum()
        w -= learning_rate * x.T @ error
    return [b, *w]
