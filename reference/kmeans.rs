/// Lloyd's algorithm from the first k rows, exactly as the statement's pseudocode.
pub fn kmeans(points: Array2<f64>, k: usize, max_iter: usize) -> Vec<usize> {
    // The problem's rules, asserted: a case outside them is refused (RE) rather than
    // answered, so `judge verify` and `judge stress` never take it for a valid case.
    assert!((1..=points.nrows()).contains(&k), "1 <= k <= rows");
    let mut centroids = points.slice(s![..k, ..]).to_owned();
    let mut assignment: Vec<usize> = Vec::new();
    for round in 1..=max_iter {
        let next: Vec<usize> = points.rows().into_iter().map(|p| nearest(&centroids, p)).collect();
        if round > 1 && next == assignment {
            break;
        }
        assignment = next;
        update(&mut centroids, &points, &assignment);
    }
    assignment
}

/// The nearest centroid by squared distance; `<` keeps the lower index on ties.
fn nearest(centroids: &Array2<f64>, p: ArrayView1<f64>) -> usize {
    // Plain slices: this loop is the whole cost of the algorithm.
    let p = p.to_vec();
    let flat = centroids.as_slice().expect("an owned array in standard layout");
    let mut best = (f64::INFINITY, 0);
    for (c, centre) in flat.chunks_exact(p.len().max(1)).enumerate() {
        let d: f64 = centre.iter().zip(&p).map(|(a, b)| (a - b) * (a - b)).sum();
        if d < best.0 {
            best = (d, c);
        }
    }
    best.1
}

/// Moves each centroid to its points' mean, summed in row order; empty clusters stay put.
fn update(centroids: &mut Array2<f64>, points: &Array2<f64>, assignment: &[usize]) {
    let mut sums = Array2::<f64>::zeros(centroids.dim());
    let mut counts = vec![0usize; centroids.nrows()];
    for (p, &c) in points.rows().into_iter().zip(assignment) {
        sums.row_mut(c).scaled_add(1.0, &p);
        counts[c] += 1;
    }
    for (c, &count) in counts.iter().enumerate() {
        if count > 0 {
            let mean = &sums.row(c) / count as f64;
            centroids.row_mut(c).assign(&mean);
        }
    }
}
