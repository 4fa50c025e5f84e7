// Large cases for grades-colors: `size` students, most of them filtered out, so that removing
// rows one by one from the middle of a vector is quadratic.
fn generate(seed: u64, size: usize) -> Vec<Student> {
    let mut rng = judge_rt::Rng::new(seed);
    let colors = ["red", "green", "blue", "Red", "green ", "yellow", "black"];
    (0..size)
        .map(|i| Student {
            name: format!("student-{i}"),
            grade: rng.range(40, 100),
            favorite_color: colors[rng.below(colors.len() as u64) as usize].to_string(),
        })
        .collect()
}
