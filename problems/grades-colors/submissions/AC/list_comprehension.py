def grades_colors(students):
    return [s for s in students if s.favorite_color in ("green", "red") and s.grade > 90]
