import numpy as np


def gradient_descent(x, y, learning_rate, epochs):
    slope = intercept = 0.0
    n = len(x)
    for _ in range(epochs):
        residual = y - (slope * x + intercept)
        d_slope = -2.0 / n * np.dot(x, residual)
        d_intercept = -2.0 / n * residual.sum()
        slope -= learning_rate * d_slope
        intercept -= learning_rate * d_intercept
    return float(slope), float(intercept)
