import numpy as np


def gradient_descent(x, y, learning_rate, epochs):
    slope = intercept = 0.0
    for _ in range(epochs):
        residual = y - (slope * x + intercept)
        # The derivative of the squared error lost its factor 2.
        slope += learning_rate * np.mean(x * residual)
        intercept += learning_rate * np.mean(residual)
    return slope, intercept
