def fill_none(input_list):
    filled = []
    last = 0
    for value in input_list:
        if value is not None:
            last = value
        filled.append(last)
    return filled
