def fill_none(input_list):
    return [v for v in input_list if v is not None]
