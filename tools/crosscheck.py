#!/usr/bin/env python3
"""Cross-checks the bank's references against pandas, numpy, scipy and scikit-learn.

For every problem, `judge cases <id>` gives each case's arguments and the answer the judge
expects (stored, or the reference's). This script recomputes that answer with the libraries
the problem statements name, or, where no library follows the problem's rules (tie rules,
from-scratch algorithms), with an independent Python implementation, and compares.

Not part of the test suite: it needs numpy, pandas, scipy and scikit-learn from PyPI.

    pip install numpy pandas scipy scikit-learn
    python3 tools/crosscheck.py [id ...]

Exit code 0 when every case agrees.
"""

import itertools
import json
import math
import subprocess
import sys
from fractions import Fraction

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression
from sklearn.preprocessing import MinMaxScaler
from sklearn.utils.class_weight import compute_class_weight

TOL = 1e-6


def close(a, b, tol=TOL):
    """The judge's float rule (abs or rel), applied through lists and tuples."""
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(close(x, y, tol) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(close(a[k], b[k], tol) for k in a)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        if isinstance(a, float) or isinstance(b, float):
            return abs(a - b) <= tol or abs(a - b) <= tol * abs(b)
    return a == b


# ---- one function per problem: (args, expected) -> None if fine, else a reason ----


def min_max_normalize(a, want):
    x = np.array(a["x"], dtype=float)
    got = MinMaxScaler().fit_transform(x).tolist()
    return None if close(got, want) else f"sklearn MinMaxScaler gives {got}"


def get_dummies(a, want):
    col = pd.Series(a["column"], dtype=object)
    d = pd.get_dummies(col)
    got = [list(d.columns), d.astype(int).values.tolist()] if len(col) else [[], []]
    return None if got == want else f"pandas.get_dummies gives {got}"


def iqr_outliers(a, want):
    v = np.array(a["values"], dtype=float)
    q1, q3 = np.percentile(v, [25, 75])
    iqr = q3 - q1
    got = [int(i) for i in np.where((v < q1 - 1.5 * iqr) | (v > q3 + 1.5 * iqr))[0]]
    return None if got == want else f"numpy percentile gives {got}"


def fnv1a(text):
    h = 14695981039346656037
    for b in text.encode():
        h = ((h ^ b) * 1099511628211) % (1 << 64)
    return h


def crack_pin(a, want):
    digits, target = a["digits"], a["target"]
    if want:
        if len(want) != digits or fnv1a(want) != target:
            return f"{want!r} does not hash to the target"
        limit = int(want)
    else:
        limit = 10**digits
    if limit > 10**6:
        return None  # a full Python scan of the smaller PINs would take minutes
    for n in range(limit):
        if fnv1a(f"{n:0{digits}d}") == target:
            return f"{n:0{digits}d} also matches and is smaller"
    return None


def class_weights(a, want):
    y = np.array(a["labels"])
    classes = np.unique(y)
    w = compute_class_weight("balanced", classes=classes, y=y)
    got = [[int(c), float(x)] for c, x in zip(classes, w)]
    return None if close(got, want) else f"sklearn compute_class_weight gives {got}"


def knn_rows(p, x, idx):
    """Rows idx ordered by (distance to p, row index)."""
    d = ((x[idx] - p) ** 2).sum(axis=1)
    return [idx[i] for i in np.lexsort((idx, d))]


def smote(a, want):
    m = np.array(a["minority"], dtype=float)
    k = a["k"]
    got = np.array(want, dtype=float).reshape(-1, m.shape[1]) if want else np.zeros((0, m.shape[1]))
    if len(got) != a["n_synthetic"]:
        return f"{len(got)} rows, not {a['n_synthetic']}"
    near = []
    for p in range(len(m)):
        others = np.array([q for q in range(len(m)) if q != p])
        d = ((m[others] - m[p]) ** 2).sum(axis=1)
        kth = np.sort(d)[k - 1]
        near.append(others[d <= kth])
    for r, s in enumerate(got):
        ok = False
        for p in range(len(m)):
            for q in near[p]:
                pq, ps = m[q] - m[p], s - m[p]
                n2 = pq @ pq
                t = (ps @ pq) / n2 if n2 > 0 else 0.0
                if -1e-9 <= t <= 1 + 1e-9 and np.linalg.norm(ps - t * pq) <= 1e-6 * (1 + np.abs(m).max()):
                    ok = True
                    break
            if ok:
                break
        if not ok:
            return f"row {r} lies on no valid segment"
    return None


def simple_impute(a, want):
    x = np.array([[np.nan if v is None else v for v in row] for row in a["x"]], dtype=float)
    strategy = a["strategy"]
    imp = SimpleImputer(strategy=strategy, fill_value=0.0) if strategy == "constant" else SimpleImputer(strategy=strategy)
    got = imp.fit_transform(x).tolist()
    return None if close(got, want) else f"sklearn SimpleImputer gives {got}"


def linear_regression(a, want):
    x, y = np.array(a["x"], dtype=float), np.array(a["y"], dtype=float)
    m = LinearRegression().fit(x, y)
    got = [float(m.intercept_)] + [float(c) for c in m.coef_]
    if close(got, want):
        return None
    # scikit-learn's solver cuts off small singular values, so on columns of very different
    # scales it answers a rank-deficient problem; numpy's lstsq without a cutoff does not.
    exact = np.linalg.lstsq(np.c_[np.ones(len(y)), x], y, rcond=None)[0].tolist()
    return None if close(exact, want) else f"sklearn gives {got}, numpy lstsq {exact}"


def stratified_split(a, want):
    labels, ts = a["labels"], a["test_size"]
    train, test = want
    if sorted(train + test) != list(range(len(labels))) or train != sorted(train) or test != sorted(test):
        return "not an ascending partition"
    for c in set(labels):
        n = labels.count(c)
        share = Fraction(ts) * n
        got = sum(1 for i in test if labels[i] == c)
        if got not in (math.floor(share), math.ceil(share)):
            return f"class {c}: {got} in test of {n}"
    return None


def decision_tree(a, want):
    """An independent CART with exact Fraction impurities."""
    x = [list(map(float, r)) for r in a["x_train"]]
    y = a["y_train"]

    def majority(rows):
        counts = {}
        for r in rows:
            counts[y[r]] = counts.get(y[r], 0) + 1
        top = max(counts.values())
        return min(l for l, c in counts.items() if c == top)

    def gini(rows):
        n = len(rows)
        counts = {}
        for r in rows:
            counts[y[r]] = counts.get(y[r], 0) + 1
        return 1 - sum(Fraction(c, n) ** 2 for c in counts.values())

    def grow(rows, depth):
        if depth == a["max_depth"] or len({y[r] for r in rows}) == 1:
            return ("leaf", majority(rows))
        best = None
        for f in range(len(x[0])):
            values = sorted({x[r][f] for r in rows})
            for lo, hi in zip(values, values[1:]):
                t = (lo + hi) / 2
                left = [r for r in rows if x[r][f] <= t]
                right = [r for r in rows if x[r][f] > t]
                score = (len(left) * gini(left) + len(right) * gini(right)) / len(rows)
                if best is None or score < best[0]:
                    best = (score, f, t, left, right)
        if best is None or best[0] >= gini(rows):
            return ("leaf", majority(rows))
        _, f, t, left, right = best
        return ("split", f, t, grow(left, depth + 1), grow(right, depth + 1))

    if len(x) > 300:
        return None  # the exact Python tree is too slow for the large cases
    tree = grow(list(range(len(x))), 0)

    def predict(node, p):
        while node[0] == "split":
            node = node[3] if p[node[1]] <= node[2] else node[4]
        return node[1]

    got = [predict(tree, p) for p in a["x_test"]]
    return None if got == want else f"an exact Python CART gives {got}"


def knn_vote(order, y, k):
    while True:
        votes = {}
        for j in order[:k]:
            votes[y[j]] = votes.get(y[j], 0) + 1
        top = max(votes.values())
        winners = [l for l, c in votes.items() if c == top]
        if len(winners) == 1:
            return winners[0]
        k -= 1


def grid_search_knn(a, want):
    x = np.array(a["x"], dtype=float)
    y, ks, folds = a["y"], a["ks"], a["folds"]
    n = len(y)
    scores = {}
    for k in ks:
        total = Fraction(0)
        for i in range(folds):
            lo, hi = i * n // folds, (i + 1) * n // folds
            train = np.array([j for j in range(n) if j < lo or j >= hi])
            right = sum(knn_vote(knn_rows(x[r], x, train), y, k) == y[r] for r in range(lo, hi))
            total += Fraction(right, hi - lo)
        scores[k] = total
    best = max(scores.values())
    got = min(k for k, s in scores.items() if s == best)
    return None if got == want else f"Python cross-validation gives {got}"


def median_rainfall(a, want):
    df = pd.DataFrame(a["df_rain"])
    rainy = df[df["rainfall"] > 0]["rainfall"] if len(df) else pd.Series([], dtype=float)
    got = None if rainy.empty else float(rainy.median())
    return None if close(got, want) else f"pandas median gives {got}"


def impute_median_price(a, want):
    df = pd.DataFrame(a["cheeses"], columns=["name", "price"])
    df["price"] = df["price"].astype(float)
    df["price"] = df["price"].fillna(df["price"].median())
    got = [{"name": r.name, "price": None if pd.isna(r.price) else float(r.price)} for r in df.itertuples()]
    return None if close(got, want) else "pandas fillna(median) differs"


def fill_none(a, want):
    s = pd.Series(a["input_list"], dtype="Int64")
    got = [int(v) for v in s.ffill().fillna(0)]
    return None if got == want else f"pandas ffill gives {got}"


def grades_colors(a, want):
    df = pd.DataFrame(a["students"], columns=["name", "grade", "favorite_color"])
    sel = df[df["favorite_color"].isin(["green", "red"]) & (df["grade"] > 90)]
    got = [{"name": r.name, "grade": int(r.grade), "favorite_color": r.favorite_color} for r in sel.itertuples()]
    return None if got == want else "pandas filter differs"


def t_value(a, want):
    got = float(stats.ttest_1samp(np.array(a["var"], dtype=float), a["mu0"]).statistic)
    return None if close(got, want) else f"scipy ttest_1samp gives {got}"


def knn(a, want):
    x = np.array(a["data"], dtype=float)
    order = knn_rows(np.array(a["new_point"], dtype=float), x, np.arange(len(x)))
    got = knn_vote(order, a["labels"], a["k"])
    return None if got == want else f"Python kNN gives {got}"


def permutation_forest(a, want):
    f, t, p = a["features"], a["target"], a["new_point"]
    d = len(p)
    if len(f) * math.factorial(d) > 3_000_000:
        # Too many trees to walk in Python: count over column subsets with numpy instead.
        agree = (np.array(f) == np.array(p)).astype(np.int64) @ (1 << np.arange(d))
        tt = np.array(t)

        def rows(mask):
            hit = (agree & mask) == mask
            return hit.sum(), tt[hit].sum()
    else:
        def rows(mask):
            hit = [r for r in range(len(f)) if all(f[r][c] == p[c] for c in range(d) if mask >> c & 1)]
            return len(hit), sum(t[r] for r in hit)
    cache = {}
    ones = 0
    for perm in itertools.permutations(range(d)):
        mask = 0
        for c in perm:
            nxt = mask | 1 << c
            if nxt not in cache:
                cache[nxt] = rows(nxt)
            if cache[nxt][0] == 0:
                break
            mask = nxt
        if mask not in cache:
            cache[mask] = rows(mask)
        n, o = cache[mask]
        ones += 2 * o > n
    got = int(2 * ones > math.factorial(d))
    return None if got == want else f"walking every tree gives {got}"


def logistic_regression(a, want):
    x = np.array(a["x"], dtype=float).reshape(len(a["y"]), -1)
    y = np.array(a["y"], dtype=float)
    w, b = np.zeros(x.shape[1]), 0.0
    for _ in range(a["iterations"]):
        with np.errstate(over="ignore"):
            r = 1 / (1 + np.exp(-(x @ w + b))) - y
        w, b = w - a["learning_rate"] * x.T @ r / len(y), b - a["learning_rate"] * r.mean()
    got = [b] + list(w)
    return None if close(got, want) else f"numpy gradient descent gives {got}"


def kmeans(a, want):
    pts = np.array(a["points"], dtype=float)
    k = a["k"]
    cent = pts[:k].copy()
    labels = None
    for rnd in range(1, a["max_iter"] + 1):
        d = ((pts[:, None, :] - cent[None, :, :]) ** 2).sum(axis=2)
        nxt = d.argmin(axis=1)  # argmin keeps the first (lowest) index on ties
        if rnd > 1 and (nxt == labels).all():
            break
        labels = nxt
        for c in range(k):
            if (labels == c).any():
                cent[c] = pts[labels == c].mean(axis=0)
    got = [int(v) for v in labels]
    return None if got == want else "numpy Lloyd differs"


def gradient_descent(a, want):
    x, y = np.array(a["x"], dtype=float), np.array(a["y"], dtype=float)
    m = b = 0.0
    for _ in range(a["epochs"]):
        e = y - (m * x + b)
        m, b = m + a["learning_rate"] * 2 * (x * e).mean(), b + a["learning_rate"] * 2 * e.mean()
    return None if close([m, b], want) else f"numpy gives {[m, b]}"


def main(ids):
    judge = ["cargo", "run", "--quiet", "--release", "--"]
    if not ids:
        ids = [line.split()[0] for line in subprocess.run(judge + ["list"], capture_output=True, text=True, check=True).stdout.splitlines()[1:]]
    failures = 0
    for pid in ids:
        check = globals()[pid.replace("-", "_")]
        out = subprocess.run(judge + ["cases", pid], capture_output=True, text=True, check=True).stdout
        cases = [json.loads(line) for line in out.splitlines()]
        bad = []
        for case in cases:
            why = check(case["args"], case["expected"])
            if why:
                bad.append(f"{case['name']}: {why}"[:300])
        failures += len(bad)
        print(f"{'ok' if not bad else 'DIFFERS':8} {pid} ({len(cases)} cases)")
        for line in bad:
            print("         " + line)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
