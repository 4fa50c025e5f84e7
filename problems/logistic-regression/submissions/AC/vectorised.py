import numpy as np


def logistic_regression(x, y, learning_rate, iterations):
    n, d = x.shape
    target = np.asarray(y, dtype=float)
    b, w = 0.0, np.zeros(d)
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(b + x @ w)))
        error = p - target
        grad_b = error.mean()
        grad_w = x.T @ error / n
        b -= learning_rate * grad_b
        w -= learning_rate * grad_w
    return [b, *w]
