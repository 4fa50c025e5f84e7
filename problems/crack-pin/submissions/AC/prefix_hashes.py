MASK = 2**64 - 1
OFFSET = 14695981039346656037
PRIME = 1099511628211
DIGITS = [ord(str(d)) for d in range(10)]


def crack_pin(digits, target):
    # PINs share prefixes: hash each prefix once and extend it by one digit at a time, so
    # the last digit costs one xor and one multiplication per candidate.
    def search(prefix, h, left):
        if left == 1:
            for d, byte in enumerate(DIGITS):
                if ((h ^ byte) * PRIME) & MASK == target:
                    return prefix + str(d)
            return None
        for d, byte in enumerate(DIGITS):
            found = search(prefix + str(d), ((h ^ byte) * PRIME) & MASK, left - 1)
            if found is not None:
                return found
        return None

    return search("", OFFSET, digits) or ""
