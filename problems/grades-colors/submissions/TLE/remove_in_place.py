def grades_colors(students):
    kept = list(students)
    for s in students:
        if not (s.favorite_color in ("green", "red") and s.grade > 90):
            # list.remove shifts the rest of the list: quadratic.
            kept.remove(s)
    return kept
