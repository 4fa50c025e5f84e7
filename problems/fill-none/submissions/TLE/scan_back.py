def fill_none(input_list):
    filled = []
    for i, value in enumerate(input_list):
        j = i
        # Walks back to the last value for every None: quadratic on long runs of None.
        while j >= 0 and input_list[j] is None:
            j -= 1
        filled.append(input_list[j] if j >= 0 else 0)
    return filled
