// Removes the rows that do not qualify from the vector one by one: each removal shifts the rest.
pub fn grades_colors(students: Vec<Student>) -> Vec<Student> {
    let mut students = students;
    let mut i = 0;
    while i < students.len() {
        let s = &students[i];
        if (s.favorite_color == "green" || s.favorite_color == "red") && s.grade > 90 {
            i += 1;
        } else {
            students.remove(i);
        }
    }
    students
}
