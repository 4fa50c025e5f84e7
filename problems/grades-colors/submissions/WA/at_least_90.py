import pandas as pd


def grades_colors(students):
    df = pd.DataFrame(students, columns=["name", "grade", "favorite_color"])
    # A grade of exactly 90 does not pass: > 90, not >= 90.
    return df[df["favorite_color"].isin(["green", "red"]) & (df["grade"] >= 90)]
