def fnv1a(text):
    h = 14695981039346656037
    for b in text.encode():
        h = ((h ^ b) * 1099511628211) % 2**64
    return h


def crack_pin(digits, target):
    for pin in range(10**digits):
        # str(42) is "42", not "0042": short PINs are hashed without their zeros.
        if fnv1a(str(pin)) == target:
            return str(pin)
    return ""
