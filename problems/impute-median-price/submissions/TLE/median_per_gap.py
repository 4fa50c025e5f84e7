from statistics import median


def impute_median_price(cheeses):
    out = []
    for c in cheeses:
        if c.price is None:
            present = [d.price for d in cheeses if d.price is not None]
            # The median found again for every missing price.
            out.append(Cheese(c.name, median(present) if present else None))
        else:
            out.append(Cheese(c.name, c.price))
    return out
