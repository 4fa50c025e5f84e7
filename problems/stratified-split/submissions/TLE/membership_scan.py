from collections import defaultdict


def stratified_split(labels, test_size):
    rows = defaultdict(list)
    for i, label in enumerate(labels):
        rows[label].append(i)
    test = []
    for label, members in rows.items():
        test.extend(members[: int(test_size * len(members))])
    test.sort()
    # `i not in test` scans the list: quadratic.
    train = [i for i in range(len(labels)) if i not in test]
    return train, test
