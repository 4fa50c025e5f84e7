def class_weights(labels):
    classes = sorted(set(labels))
    n = len(labels)
    # labels.count walks the whole list once per class.
    return [(c, n / (len(classes) * labels.count(c))) for c in classes]
