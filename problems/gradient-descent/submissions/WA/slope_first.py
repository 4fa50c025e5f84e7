def gradient_descent(x, y, learning_rate, epochs):
    slope = intercept = 0.0
    n = len(x)
    for _ in range(epochs):
        slope -= learning_rate * -2 / n * sum(a * (b - (slope * a + intercept)) for a, b in zip(x, y))
        # The intercept's gradient uses the slope already moved.
        intercept -= learning_rate * -2 / n * sum(b - (slope * a + intercept) for a, b in zip(x, y))
    return slope, intercept
