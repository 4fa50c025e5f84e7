//! The growth of a cost with the input's size, fitted: a power law (a straight line on a
//! log-log scale, its slope the exponent) or an exponential (a straight line of the log cost
//! against the size), by weighted least squares, with the slope's standard error.
//!
//! Invariant: pure arithmetic; no IO, no clock.

/// One size's cost, above the program's start-up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub size: u64,
    /// The cost, start-up subtracted: positive.
    pub cost: f64,
    /// The standard deviation of ln(cost): the measurement's relative noise.
    pub log_sd: f64,
}

pub use crate::report::complexity::{Growth as Comparison, Model};

/// A fitted curve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    pub model: Model,
    /// The power law's exponent, or the exponential's log base (ln b): the slope.
    pub slope: f64,
    /// The slope's standard error: the fit's (from the measurements' noise or the points'
    /// scatter about the line, whichever is larger) and the model's own (`MODEL_SD`).
    pub sd: f64,
    /// The smallest and largest sizes fitted.
    pub sizes: (u64, u64),
    pub points: usize,
    /// A size left out as contradicted by the others.
    pub dropped: Option<u64>,
}

/// What a power law and a shared machine cannot say, as a standard error on its exponent: a
/// log factor (n log n reads as about n^1.1 over a few doublings), caches (a working set
/// that outgrows one costs more per element), and the machine's load drifting while the
/// sizes climb (the repeats of one size, made together, do not see it). Added in quadrature
/// to the fit's own error, so an exponent is never claimed finer than this.
pub const MODEL_SD: f64 = 0.1;

/// The sizes of a ladder: the largest size halved down to 1 (a geometric ladder), or every
/// size from 1 when the largest is small (a brute force's size is a count of digits or
/// columns, where doubling says little).
pub fn ladder(largest: u64) -> Vec<u64> {
    if largest <= CONSECUTIVE_UP_TO {
        return (1..=largest.max(1)).collect();
    }
    let mut sizes: Vec<u64> = (0..=MAX_HALVINGS)
        .map(|k| largest.div_ceil(1 << k))
        .filter(|&s| s >= 1)
        .collect();
    sizes.dedup();
    sizes.reverse();
    sizes
}

/// Largest sizes ladder one by one.
pub const CONSECUTIVE_UP_TO: u64 = 24;
/// Rungs of a geometric ladder below its top: 2^-20 of a million is 1.
const MAX_HALVINGS: u32 = 20;

/// Whether a ladder's sizes step by one (then an exponential is as likely as a power law).
pub fn consecutive(points: &[Point]) -> bool {
    points.windows(2).all(|w| w[1].size == w[0].size + 1)
}

/// The curve through `points` (at least two, sizes ascending): a power law, or over
/// consecutive sizes an exponential when it fits better (a doubling ladder's exponential
/// would end the climb at its first rung, so only a count-like size can show one). With
/// four points or more, one that the others contradict (a run slowed by the machine, not
/// by its size) is left out (`Fit::dropped`).
pub fn fit(points: &[Point]) -> Option<Fit> {
    let (kept, dropped) = without_outlier(points);
    let mut fitted = best_curve(&kept)?;
    fitted.dropped = dropped;
    Some(fitted)
}

fn best_curve(points: &[Point]) -> Option<Fit> {
    let power = line(points, Model::Power)?;
    if !consecutive(points) {
        return Some(power.into_fit(points, Model::Power));
    }
    let Some(exponential) = line(points, Model::Exponential) else {
        return Some(power.into_fit(points, Model::Power));
    };
    // Two points fit both curves exactly: a power above 4 is no algorithm's, an
    // exponential is the likelier reading.
    let exponential_wins = if points.len() >= 3 {
        exponential.rss < power.rss
    } else {
        power.slope > 4.0
    };
    Some(if exponential_wins {
        exponential.into_fit(points, Model::Exponential)
    } else {
        power.into_fit(points, Model::Power)
    })
}

/// `points` less the one point whose removal takes away nearly all of the power law's
/// scatter (nine tenths of it, and three of its standard deviations), when there are four
/// or more; and the size left out.
fn without_outlier(points: &[Point]) -> (Vec<Point>, Option<u64>) {
    let whole = points.to_vec();
    if points.len() < 4 {
        return (whole, None);
    }
    let Some(all) = line(points, Model::Power) else {
        return (whole, None);
    };
    let best = (0..points.len())
        .filter_map(|i| {
            let mut rest = points.to_vec();
            let out = rest.remove(i);
            line(&rest, Model::Power).map(|l| (l, rest, out))
        })
        .min_by(|a, b| a.0.rss.total_cmp(&b.0.rss));
    match best {
        // And it is far off the others' line (more than a third), not merely off by more
        // than its own small noise.
        Some((rest_line, rest, out))
            if rest_line.rss < all.rss / 10.0
                && all.rss - rest_line.rss > 9.0
                && (out.cost.ln() - rest_line.at(x_of(Model::Power, out.size))).abs() > OUTLIER =>
        {
            (rest, Some(out.size))
        }
        _ => (whole, None),
    }
}

/// How far off the others' line a point must be (in ln cost: a third) to be left out.
const OUTLIER: f64 = 0.3;

/// A weighted least-squares line of ln(cost) against the model's x.
#[derive(Debug, Clone, Copy)]
struct Line {
    slope: f64,
    intercept: f64,
    /// The slope's variance from the measurements' own noise.
    var_noise: f64,
    /// The slope's variance from the scatter about the line (0 with two points).
    var_scatter: f64,
    /// Weighted residual sum of squares.
    rss: f64,
}

impl Line {
    /// ln(cost) on the line at `x`.
    fn at(&self, x: f64) -> f64 {
        self.intercept + self.slope * x
    }

    fn into_fit(self, points: &[Point], model: Model) -> Fit {
        // The scatter of a few points says little about itself: widened by Student's t for
        // its degrees of freedom, so that twice the error is still about a 95% interval; at
        // most threefold, since each point's own noise is measured too (its repeats).
        let dof = points.len().saturating_sub(2);
        let widen = STUDENT_T95.get(dof).map_or(1.0, |t| (t / 1.96).min(3.0));
        let fit_sd = self.var_noise.max(self.var_scatter * widen * widen).sqrt();
        let model_sd = match model {
            Model::Power => MODEL_SD,
            // A log base is per unit of size, not per doubling: the same floor relative to
            // the steps the ladder made.
            Model::Exponential => MODEL_SD * std::f64::consts::LN_2,
        };
        Fit {
            model,
            slope: self.slope,
            sd: (fit_sd * fit_sd + model_sd * model_sd).sqrt(),
            sizes: (points[0].size, points[points.len() - 1].size),
            points: points.len(),
            dropped: None,
        }
    }
}

/// Student's t at 97.5% for 0 (unused), 1, 2, ... 5 degrees of freedom; beyond, 1.96.
const STUDENT_T95: [f64; 6] = [1.96, 12.71, 4.30, 3.18, 2.78, 2.57];

fn x_of(model: Model, size: u64) -> f64 {
    match model {
        Model::Power => (size as f64).ln(),
        Model::Exponential => size as f64,
    }
}

fn line(points: &[Point], model: Model) -> Option<Line> {
    if points.len() < 2
        || points
            .iter()
            .any(|p| p.cost.is_nan() || p.cost <= 0.0 || p.size == 0)
    {
        return None;
    }
    // A relative noise under 0.5% is not believed: counts still vary with the machine's
    // state (page faults, a hash seed).
    let weight = |p: &Point| 1.0 / p.log_sd.max(0.005).powi(2);
    let xs: Vec<f64> = points.iter().map(|p| x_of(model, p.size)).collect();
    let ys: Vec<f64> = points.iter().map(|p| p.cost.ln()).collect();
    let ws: Vec<f64> = points.iter().map(weight).collect();
    let sw: f64 = ws.iter().sum();
    let mean = |v: &[f64]| v.iter().zip(&ws).map(|(a, w)| a * w).sum::<f64>() / sw;
    let (mx, my) = (mean(&xs), mean(&ys));
    let sxx: f64 = xs.iter().zip(&ws).map(|(x, w)| w * (x - mx).powi(2)).sum();
    if sxx.is_nan() || sxx <= 1e-9 {
        return None;
    }
    let sxy: f64 = xs
        .iter()
        .zip(&ys)
        .zip(&ws)
        .map(|((x, y), w)| w * (x - mx) * (y - my))
        .sum();
    let slope = sxy / sxx;
    let intercept = my - slope * mx;
    let rss: f64 = xs
        .iter()
        .zip(&ys)
        .zip(&ws)
        .map(|((x, y), w)| w * (y - intercept - slope * x).powi(2))
        .sum();
    let dof = points.len().saturating_sub(2);
    let var_scatter = if dof > 0 { rss / dof as f64 / sxx } else { 0.0 };
    Some(Line {
        slope,
        intercept,
        var_noise: 1.0 / sxx,
        var_scatter,
        rss,
    })
}

/// The least difference of exponents called a difference, however small the errors: a
/// log factor is not a new power, and the same code measured twice on a busy machine can
/// differ by a quarter.
pub const LEAST_DIFFERENCE: f64 = 0.4;

/// `a` against `b`: faster when its slope is above `b`'s by more than twice their combined
/// error (and `LEAST_DIFFERENCE`); an exponential outgrows any power law.
pub fn compare(a: &Fit, b: &Fit) -> Comparison {
    match (a.model, b.model) {
        (Model::Exponential, Model::Power) => return Comparison::Faster,
        (Model::Power, Model::Exponential) => return Comparison::Slower,
        _ => {}
    }
    let least = match a.model {
        Model::Power => LEAST_DIFFERENCE,
        Model::Exponential => LEAST_DIFFERENCE * std::f64::consts::LN_2,
    };
    let margin = (2.0 * a.sd.hypot(b.sd)).max(least);
    let d = a.slope - b.slope;
    if d > margin {
        Comparison::Faster
    } else if d < -margin {
        Comparison::Slower
    } else {
        Comparison::Same
    }
}

impl Fit {
    /// The cost at `size`, from a cost `at` measured at `from` along this curve.
    pub fn extrapolate(&self, at: f64, from: u64, size: u64) -> f64 {
        match self.model {
            Model::Power => at * (size as f64 / from as f64).powf(self.slope),
            Model::Exponential => at * (self.slope * (size as f64 - from as f64)).exp(),
        }
    }
}

/// The median of `values` (not empty).
pub fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        f64::midpoint(values[n / 2 - 1], values[n / 2])
    }
}

/// The standard deviation of ln(median of `values`), from their spread: the median
/// absolute deviation scaled to a normal's sd, relative to the median, over sqrt(count).
/// 0 for a single value (the caller floors it).
pub fn log_sd_of_median(values: &[f64]) -> f64 {
    if values.len() < 2 {
        return 0.0;
    }
    let mut v = values.to_vec();
    let m = median(&mut v);
    if m.is_nan() || m <= 0.0 {
        return 0.0;
    }
    let mut deviations: Vec<f64> = values.iter().map(|x| (x - m).abs()).collect();
    let mad = median(&mut deviations) * 1.4826;
    // The median of n draws varies about 1.25 times as much as their mean.
    1.25 * mad / m / (values.len() as f64).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points(sizes: &[u64], cost: impl Fn(f64) -> f64, noise: &[f64]) -> Vec<Point> {
        sizes
            .iter()
            .zip(noise.iter().cycle())
            .map(|(&s, e)| Point {
                size: s,
                cost: cost(s as f64) * (1.0 + e),
                log_sd: 0.02,
            })
            .collect()
    }

    const NOISE: [f64; 5] = [0.01, -0.02, 0.015, -0.005, 0.02];

    #[test]
    fn a_quadratic_is_fitted_with_exponent_two() {
        let p = points(&[1024, 2048, 4096, 8192, 16384], |n| 3.0 * n * n, &NOISE);
        let f = fit(&p).unwrap();
        assert_eq!(f.model, Model::Power);
        assert!((f.slope - 2.0).abs() < 0.05, "{f:?}");
        assert!(f.sd >= MODEL_SD && f.sd < 0.15, "{f:?}");
        assert_eq!((f.sizes, f.points), ((1024, 16384), 5));
    }

    #[test]
    fn n_log_n_reads_close_to_linear() {
        let p = points(
            &[1 << 14, 1 << 15, 1 << 16, 1 << 17],
            |n| n * n.ln(),
            &NOISE,
        );
        let f = fit(&p).unwrap();
        assert!(f.slope > 1.0 && f.slope < 1.15, "{f:?}");
        let linear = fit(&points(
            &[1 << 14, 1 << 15, 1 << 16, 1 << 17],
            |n| n,
            &NOISE,
        ))
        .unwrap();
        assert_eq!(compare(&f, &linear), Comparison::Same);
    }

    #[test]
    fn quadratic_against_linear_is_faster_and_the_other_way_slower() {
        let sizes = [1 << 10, 1 << 11, 1 << 12, 1 << 13];
        let quadratic = fit(&points(&sizes, |n| n * n, &NOISE)).unwrap();
        let linear = fit(&points(&sizes, |n| 50.0 * n, &NOISE)).unwrap();
        assert_eq!(compare(&quadratic, &linear), Comparison::Faster);
        assert_eq!(compare(&linear, &quadratic), Comparison::Slower);
        assert_eq!(compare(&linear, &linear), Comparison::Same);
    }

    #[test]
    fn scattered_points_widen_the_error() {
        let sizes = [1 << 10, 1 << 11, 1 << 12, 1 << 13, 1 << 14];
        let wild = [0.3, -0.25, 0.35, -0.3, 0.2];
        let f = fit(&points(&sizes, |n| n * n, &wild)).unwrap();
        assert!(f.sd > 0.1, "{f:?}");
    }

    #[test]
    fn a_brute_force_over_digits_is_exponential() {
        let p = points(&[3, 4, 5, 6, 7], |d| 10f64.powf(d), &NOISE);
        let f = fit(&p).unwrap();
        assert_eq!(f.model, Model::Exponential);
        assert!((f.slope.exp() - 10.0).abs() < 0.5, "{f:?}");
        // Any exponential outgrows a power law.
        let power = fit(&points(&[3, 4, 5, 6, 7], |d| d * d, &NOISE)).unwrap();
        assert_eq!(power.model, Model::Power);
        assert_eq!(compare(&f, &power), Comparison::Faster);
    }

    #[test]
    fn a_power_law_on_a_geometric_ladder_is_not_taken_for_an_exponential() {
        let p = points(&[64, 128, 256, 512, 1024, 2048], |n| n.powi(3), &NOISE);
        assert_eq!(fit(&p).unwrap().model, Model::Power);
        let linear = points(&[62_500, 125_000, 250_000, 500_000], |n| n, &NOISE);
        assert_eq!(fit(&linear).unwrap().model, Model::Power);
    }

    #[test]
    fn two_points_over_digits_read_as_an_exponential() {
        let p = points(&[6, 7], |d| 10f64.powf(d), &NOISE);
        assert_eq!(fit(&p).unwrap().model, Model::Exponential);
        let q = points(&[6, 7], |d| d * d, &NOISE);
        assert_eq!(fit(&q).unwrap().model, Model::Power);
    }

    #[test]
    fn one_point_the_others_contradict_is_left_out() {
        // A quadratic whose size 1000 ran on a loaded machine (seven times its cost).
        let mut p = points(&[250, 500, 1000, 2000], |n| n * n, &NOISE);
        p[2].cost *= 7.0;
        let f = fit(&p).unwrap();
        assert_eq!(f.dropped, Some(1000));
        assert!((f.slope - 2.0).abs() < 0.1, "{f:?}");
        // Honest scatter is kept, however small the noise claimed.
        let q = points(&[250, 500, 1000, 2000], |n| n * n, &NOISE);
        assert_eq!(fit(&q).unwrap().dropped, None);
        let mut tight = points(
            &[6250, 12_500, 25_000, 50_000],
            |n| n,
            &[0.0, 0.0, 0.0, -0.09],
        );
        for p in &mut tight {
            p.log_sd = 0.001;
        }
        assert_eq!(fit(&tight).unwrap().dropped, None);
    }

    #[test]
    fn few_scattered_points_are_not_trusted_much() {
        let mut p = points(&[500, 1000, 2000], |n| n * n, &NOISE);
        p[1].cost *= 3.0;
        let f = fit(&p).unwrap();
        assert!(f.sd > 0.5, "{f:?}");
    }

    #[test]
    fn too_few_or_degenerate_points_fit_nothing() {
        assert!(fit(&points(&[1000], |n| n, &NOISE)).is_none());
        assert!(fit(&points(&[1000, 1000], |n| n, &NOISE)).is_none());
        let zero = [Point {
            size: 10,
            cost: 0.0,
            log_sd: 0.1,
        }; 2];
        assert!(fit(&zero).is_none());
    }

    #[test]
    fn extrapolation_follows_the_curve() {
        let f = Fit {
            model: Model::Power,
            slope: 2.0,
            sd: 0.1,
            sizes: (1, 2),
            points: 2,
            dropped: None,
        };
        assert!((f.extrapolate(10.0, 1000, 4000) - 160.0).abs() < 1e-9);
        let e = Fit {
            model: Model::Exponential,
            slope: 10f64.ln(),
            ..f
        };
        assert!((e.extrapolate(1.0, 5, 7) - 100.0).abs() < 1e-6);
    }

    #[test]
    fn ladders_halve_down_from_the_largest_size_or_count_up_by_one() {
        assert_eq!(ladder(7), vec![1, 2, 3, 4, 5, 6, 7]);
        let l = ladder(200_000);
        assert_eq!(l.last(), Some(&200_000));
        assert_eq!(l[l.len() - 2], 100_000);
        assert_eq!(l[0], 1);
        assert!(l.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(ladder(0), vec![1]);
    }

    #[test]
    fn medians_and_their_spread() {
        assert!((median(&mut [3.0, 1.0, 2.0]) - 2.0).abs() < 1e-12);
        assert!((median(&mut [4.0, 1.0, 2.0, 3.0]) - 2.5).abs() < 1e-12);
        assert!(log_sd_of_median(&[5.0]).abs() < 1e-12);
        let tight = log_sd_of_median(&[100.0, 101.0, 99.0]);
        let loose = log_sd_of_median(&[100.0, 130.0, 70.0]);
        assert!(tight < 0.02 && loose > 0.2, "{tight} {loose}");
    }
}
