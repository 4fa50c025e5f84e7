def stratified_split(labels, test_size):
    # The last rows overall, whatever their class.
    n_test = int(test_size * len(labels))
    cut = len(labels) - n_test
    return list(range(cut)), list(range(cut, len(labels)))
