// Reads "above 90" as 90 or more.
pub fn grades_colors(students: Vec<Student>) -> Vec<Student> {
    students
        .into_iter()
        .filter(|s| (s.favorite_color == "green" || s.favorite_color == "red") && s.grade >= 90)
        .collect()
}
