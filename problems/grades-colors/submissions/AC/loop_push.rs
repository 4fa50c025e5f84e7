pub fn grades_colors(students: Vec<Student>) -> Vec<Student> {
    let mut out = Vec::new();
    for s in students {
        if (s.favorite_color == "green" || s.favorite_color == "red") && s.grade > 90 {
            out.push(s);
        }
    }
    out
}
