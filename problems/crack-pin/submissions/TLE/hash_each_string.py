def fnv1a(text):
    h = 14695981039346656037
    for b in text.encode():
        h = ((h ^ b) * 1099511628211) % 2**64
    return h


def crack_pin(digits, target):
    # Every candidate formatted and hashed from its first byte: seven steps a PIN where
    # one would do, and a Python loop each.
    for pin in range(10**digits):
        text = str(pin).zfill(digits)
        if fnv1a(text) == target:
            return text
    return ""
