// Matches colours loosely: ignores case and surrounding spaces.
pub fn grades_colors(students: Vec<Student>) -> Vec<Student> {
    students
        .into_iter()
        .filter(|s| {
            let c = s.favorite_color.trim().to_lowercase();
            (c == "green" || c == "red") && s.grade > 90
        })
        .collect()
}
