import numpy as np


def logistic_regression(x, y, learning_rate, iterations):
    y = np.asarray(y, dtype=float)
    b, w = 0.0, np.zeros(x.shape[1])
    for _ in range(iterations):
        b -= learning_rate * (1 / (1 + np.exp(-(b + x @ w))) - y).mean()
        # The weights' gradient is taken after the bias moved, not at the same point.
        w -= learning_rate * x.T @ (1 / (1 + np.exp(-(b + x @ w))) - y) / len(y)
    return [b, *w]
