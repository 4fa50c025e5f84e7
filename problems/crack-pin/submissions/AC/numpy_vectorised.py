import numpy as np

OFFSET = np.uint64(14695981039346656037)
PRIME = np.uint64(1099511628211)


def crack_pin(digits, target):
    target = np.uint64(target)
    chunk = 1_000_000
    # Every PIN in order, a million at a time, hashed digit by digit in uint64 arithmetic
    # (numpy's multiplication wraps modulo 2^64, as FNV-1a wants).
    for start in range(0, 10**digits, chunk):
        pins = np.arange(start, min(start + chunk, 10**digits), dtype=np.uint64)
        h = np.full(pins.shape, OFFSET, dtype=np.uint64)
        for place in range(digits - 1, -1, -1):
            digit = (pins // np.uint64(10**place)) % np.uint64(10)
            h ^= digit + np.uint64(ord("0"))
            h *= PRIME
        hits = np.flatnonzero(h == target)
        if hits.size:
            return str(int(pins[hits[0]])).zfill(digits)
    return ""
