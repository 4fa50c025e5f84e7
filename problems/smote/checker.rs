// Accepts any answer with `n_synthetic` rows, each lying (within 1e-6, scaled) on a segment
// from a minority row p to one of p's k nearest other rows. Rows tied with the k-th nearest
// count as neighbours, since the statement lets a solution break such ties either way.
fn check(
    minority: Array2<f64>,
    k: usize,
    n_synthetic: usize,
    _seed: u64,
    answer: Array2<f64>,
    _reference: Array2<f64>,
) -> Result<(), String> {
    let (rows, dims) = minority.dim();
    if answer.nrows() != n_synthetic {
        return Err(format!("expected {n_synthetic} rows, found {}", answer.nrows()));
    }
    if n_synthetic > 0 && answer.ncols() != dims {
        return Err(format!(
            "rows must have {dims} values (as the minority rows do), found {}",
            answer.ncols()
        ));
    }
    let neighbours: Vec<Vec<usize>> = (0..rows).map(|p| nearest(&minority, p, k)).collect();
    for (r, s) in answer.rows().into_iter().enumerate() {
        let explained = (0..rows).any(|p| {
            neighbours[p]
                .iter()
                .any(|&q| on_segment(minority.row(p), minority.row(q), s))
        });
        if !explained {
            let shown: Vec<String> = s.iter().map(|v| format!("{v}")).collect();
            return Err(format!(
                "row {r} [{}] is not p + t * (q - p) for any minority row p, q among the {k} nearest other rows of p, and t in [0, 1]",
                shown.join(", ")
            ));
        }
    }
    Ok(())
}

fn distance2(a: ArrayView1<f64>, b: ArrayView1<f64>) -> f64 {
    a.iter().zip(b.iter()).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// The other rows within the k-th smallest distance from row p (ties included).
fn nearest(minority: &Array2<f64>, p: usize, k: usize) -> Vec<usize> {
    let mut by_distance: Vec<(f64, usize)> = (0..minority.nrows())
        .filter(|&q| q != p)
        .map(|q| (distance2(minority.row(p), minority.row(q)), q))
        .collect();
    by_distance.sort_by(|a, b| a.0.total_cmp(&b.0));
    let Some(&(kth, _)) = by_distance.get(k.saturating_sub(1)) else {
        return by_distance.into_iter().map(|(_, q)| q).collect();
    };
    by_distance
        .into_iter()
        .take_while(|&(d, _)| d <= kth)
        .map(|(_, q)| q)
        .collect()
}

fn on_segment(p: ArrayView1<f64>, q: ArrayView1<f64>, s: ArrayView1<f64>) -> bool {
    let scale = 1.0 + p.iter().chain(q.iter()).fold(0.0f64, |m, v| m.max(v.abs()));
    let tol = 1e-6 * scale;
    let pq: Vec<f64> = q.iter().zip(p.iter()).map(|(b, a)| b - a).collect();
    let ps: Vec<f64> = s.iter().zip(p.iter()).map(|(b, a)| b - a).collect();
    let len2: f64 = pq.iter().map(|v| v * v).sum();
    // The t that brings p + t (q - p) nearest to s; with p == q only s == p will do.
    let t = if len2 > 0.0 {
        pq.iter().zip(&ps).map(|(a, b)| a * b).sum::<f64>() / len2
    } else {
        0.0
    };
    let t_ok = t >= -tol / len2.sqrt().max(1e-300) && t <= 1.0 + tol / len2.sqrt().max(1e-300);
    let residual2: f64 = pq.iter().zip(&ps).map(|(a, b)| (b - t * a).powi(2)).sum();
    t_ok && residual2.sqrt() <= tol
}
