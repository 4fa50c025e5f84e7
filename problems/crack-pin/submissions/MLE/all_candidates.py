def fnv1a(text):
    h = 14695981039346656037
    for b in text.encode():
        h = ((h ^ b) * 1099511628211) % 2**64
    return h


def crack_pin(digits, target):
    # Every candidate held at once: ten million strings for seven digits.
    candidates = [str(pin).zfill(digits) for pin in range(10**digits)]
    hashes = {}
    for pin in candidates:
        hashes.setdefault(fnv1a(pin), pin)
    return hashes.get(target, "")
