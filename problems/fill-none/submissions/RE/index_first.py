def fill_none(input_list):
    filled = []
    for value in input_list:
        # A None before any value reads filled[-1] of an empty list: IndexError.
        filled.append(filled[-1] if value is None else value)
    return filled
