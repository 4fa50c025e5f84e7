/// Keeps rows with favorite_color exactly "green" or "red" and grade > 90, in order.
pub fn grades_colors(students: Vec<Student>) -> Vec<Student> {
    students
        .into_iter()
        .filter(|s| matches!(s.favorite_color.as_str(), "green" | "red") && s.grade > 90)
        .collect()
}
