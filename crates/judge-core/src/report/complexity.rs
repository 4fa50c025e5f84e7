//! What `judge complexity` found (and the opt-in `complexity` section of a submission's
//! report): each program's cost on generated inputs of growing size, the fitted growth with
//! its uncertainty, how the solution's compares with the reference's, and what that means at
//! the largest hidden size. A schema of its own (`COMPLEXITY_SCHEMA`, docs/complexity.md),
//! plain owned data so that any front end can store or serve it as it is.
//!
//! Invariant: pure; the engine fills it, this renders it.

use std::fmt::Write;

use serde::{Deserialize, Serialize};

/// The `--json` schema of a measurement (docs/complexity.md). Bumped as `SCHEMA_VERSION` is.
pub const COMPLEXITY_SCHEMA: u32 = 1;

/// One measurement of a solution against the reference.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Complexity {
    pub schema: u32,
    pub problem: String,
    /// What a run's cost is.
    pub cost: Cost,
    /// Why the cost is not instructions retired, when it is not.
    pub cost_note: Option<String>,
    /// The largest `size` of the problem's generated hidden cases (the sizes climb to it),
    /// when it has some.
    pub largest_size: Option<u64>,
    /// The generator's seeds used at every size (those of the hidden cases): a size's cost
    /// is its slowest seed's.
    pub seeds: Vec<u64>,
    /// The problem's CPU time limit per case.
    pub time_limit_ms: u64,
    pub solution: Curve,
    pub reference: Curve,
    /// How the solution's growth compares with the reference's; absent when either could
    /// not be fitted.
    pub comparison: Option<Growth>,
    /// Both curves carried to the largest hidden size; absent without one, or when either
    /// could not be fitted.
    pub at_largest: Option<AtLargest>,
    /// Why the climb stopped before every program was done (the time budget ran out).
    pub stopped_early: Option<String>,
    pub elapsed_ms: u64,
    pub budget_ms: u64,
    /// The finding in one line.
    pub summary: String,
}

/// The unit of a run's cost.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cost {
    /// Instructions retired in user space by the program and every process it started
    /// (a hardware counter): nearly the same from run to run on a busy machine.
    Instructions,
    /// CPU time in nanoseconds, counted by the kernel's task clock from the program's exec
    /// (not the box's setup), over the program and its children: the median of repeated runs.
    TaskClock,
    /// CPU time in milliseconds as the box's cgroup (else /proc) accounts it, box setup
    /// included: the median of repeated runs.
    CpuTime,
}

impl Cost {
    pub fn words(self) -> &'static str {
        match self {
            Cost::Instructions => "instructions retired",
            Cost::TaskClock => "CPU time (the kernel's task clock, median of repeated runs)",
            Cost::CpuTime => "CPU time (the box's account, median of repeated runs)",
        }
    }

    /// A cost as people read it: "12.3 M" instructions, "4.56 ms".
    pub fn show(self, cost: f64) -> String {
        match self {
            Cost::Instructions => format!("{:.1} M", cost / 1e6),
            Cost::TaskClock => format!("{:.2} ms", cost / 1e6),
            Cost::CpuTime => format!("{cost:.0} ms"),
        }
    }
}

/// The shape of a fitted curve.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Model {
    /// cost ~ n^exponent
    Power,
    /// cost ~ exponent^n
    Exponential,
}

/// How the solution grows against the reference.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Growth {
    /// Its exponent is above the reference's by more than twice their combined uncertainty.
    Faster,
    /// Within that margin.
    Same,
    /// Below it.
    Slower,
}

/// Why a program's climb ended.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stop {
    /// A run took the target CPU time (about 0.2 s): larger sizes say no more.
    TargetTime,
    /// It reached the largest hidden size.
    LargestSize,
    /// The measurement's time budget ran out.
    Budget,
    /// A run failed (`failure` says how).
    Failed,
    /// It was not run (it did not compile).
    NotRun,
}

/// One program's measurements and fitted growth.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Curve {
    /// Absent when too few sizes cost clearly more than start-up.
    pub model: Option<Model>,
    /// The power law's exponent, or the exponential's base.
    pub exponent: Option<f64>,
    /// One standard error of `exponent`.
    pub uncertainty: Option<f64>,
    /// The sizes the curve was fitted over (the largest ones measured well above start-up).
    pub fitted_from: Option<u64>,
    pub fitted_to: Option<u64>,
    /// A size in that range left out of the fit: its cost contradicted the others' (a run
    /// slowed by the machine, not by its size).
    pub left_out: Option<u64>,
    /// The cost of the smallest size, taken as start-up and subtracted before fitting.
    pub startup: f64,
    pub stopped: Stop,
    /// How a run failed, or why the curve could not be fitted.
    pub failure: Option<String>,
    pub points: Vec<Rung>,
}

/// One size's measurement.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Rung {
    pub size: u64,
    /// The slowest seed's median cost.
    pub cost: f64,
    /// Its CPU time in milliseconds (fractional under the task clock).
    pub cpu_ms: f64,
    /// Runs made at this size, over every seed.
    pub runs: u32,
}

/// Both programs at the largest hidden size, measured there or carried along their curves
/// from the largest size measured.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AtLargest {
    pub size: u64,
    /// The solution's cost over the reference's.
    pub ratio: f64,
    pub solution_ms: f64,
    pub reference_ms: f64,
    /// The solution's CPU time there passes the limit.
    pub over_limit: bool,
}

impl Curve {
    /// "n^2.0 (± 0.1)", "10^n (± 0.4)", or "unmeasured".
    pub fn growth(&self) -> String {
        match (self.model, self.exponent, self.uncertainty) {
            (Some(model), Some(e), Some(u)) => {
                let (e, u) = rounded(e, u);
                match model {
                    Model::Power => format!("n^{e} (± {u})"),
                    Model::Exponential => format!("{e}^n (± {u})"),
                }
            }
            _ => "unmeasured".into(),
        }
    }
}

/// Exponents this close read as the same growth in words; further apart but still within
/// the errors, the words say the errors are too large to tell.
const CLOSE: f64 = 0.3;

/// An exponent and its error to the error's first digit: "2.0" and "0.1", "1.12" and "0.06".
fn rounded(e: f64, u: f64) -> (String, String) {
    let decimals = if u < 0.095 { 2 } else { 1 };
    (format!("{e:.decimals$}"), format!("{u:.decimals$}"))
}

/// "about 40x", two significant digits.
pub fn times(ratio: f64) -> String {
    if ratio >= 100.0 {
        let digits = ratio.log10().floor() as i32 - 1;
        let step = 10f64.powi(digits);
        format!("{:.0}x", (ratio / step).round() * step)
    } else if ratio >= 10.0 {
        format!("{ratio:.0}x")
    } else {
        format!("{ratio:.1}x")
    }
}

/// "1.2 s", "340 ms".
fn duration(ms: f64) -> String {
    if ms >= 10_000.0 {
        format!("{:.0} s", ms / 1000.0)
    } else if ms >= 1000.0 {
        format!("{:.1} s", ms / 1000.0)
    } else {
        format!("{ms:.0} ms")
    }
}

impl Complexity {
    /// The finding in one line, from the fields.
    pub fn sentence(&self) -> String {
        let (s, r) = (&self.solution, &self.reference);
        if s.stopped == Stop::NotRun {
            return format!(
                "your solution was not measured: {}",
                s.failure.as_deref().unwrap_or("it did not run")
            );
        }
        let (Some(growth), true) = (self.comparison, s.model.is_some() && r.model.is_some()) else {
            let who = if s.model.is_none() { s } else { r };
            let whose = if s.model.is_none() {
                "your solution's"
            } else {
                "the reference's"
            };
            return format!(
                "{whose} growth could not be measured: {}",
                who.failure
                    .as_deref()
                    .unwrap_or("too few sizes cost clearly more than start-up")
            );
        };
        let apart = match (s.exponent, r.exponent) {
            (Some(a), Some(b)) => (a - b).abs() > CLOSE,
            _ => false,
        };
        let mut line = match growth {
            Growth::Same if apart => format!(
                "your solution grows like {}; the reference like {}, too uncertain to tell the two apart",
                s.growth(),
                r.growth()
            ),
            Growth::Same => format!(
                "your solution grows like {}, as the reference does ({})",
                s.growth(),
                r.growth().replacen(" (", " ", 1).trim_end_matches(')')
            ),
            Growth::Faster | Growth::Slower => format!(
                "your solution grows like {}; the reference like {}",
                s.growth(),
                r.growth()
            ),
        };
        if let Some(at) = &self.at_largest {
            let how = if at.ratio >= 1.5 {
                format!("about {} slower", times(at.ratio))
            } else if at.ratio <= 1.0 / 1.5 {
                format!("about {} faster", times(1.0 / at.ratio))
            } else {
                "about as fast".to_string()
            };
            let _ = write!(
                line,
                " — at the largest hidden size (n = {}) that is {how}",
                at.size
            );
            if at.over_limit {
                let _ = write!(
                    line,
                    ": about {} of CPU time against a limit of {}",
                    duration(at.solution_ms),
                    duration(self.time_limit_ms as f64)
                );
            }
        }
        if let Some(failure) = s.failure.as_deref().filter(|_| s.stopped == Stop::Failed) {
            let _ = write!(line, " (it stopped at {failure})");
        }
        line
    }

    /// For people: how it was measured, each size's cost side by side, and the finding.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "complexity of {}: n is the generator's size; cost is {}",
            self.problem,
            self.cost.words()
        );
        if let Some(note) = &self.cost_note {
            let _ = writeln!(out, "note: {note}");
        }
        let sizes: std::collections::BTreeSet<u64> = self
            .solution
            .points
            .iter()
            .chain(&self.reference.points)
            .map(|p| p.size)
            .collect();
        if !sizes.is_empty() {
            let _ = writeln!(out, "{:>12}  {:>14}  {:>14}", "n", "yours", "reference");
            let cell = |curve: &Curve, n: u64| {
                curve
                    .points
                    .iter()
                    .find(|p| p.size == n)
                    .map_or_else(|| "-".to_string(), |p| self.cost.show(p.cost))
            };
            for n in sizes {
                let _ = writeln!(
                    out,
                    "{n:>12}  {:>14}  {:>14}",
                    cell(&self.solution, n),
                    cell(&self.reference, n)
                );
            }
        }
        for (who, curve) in [("yours", &self.solution), ("reference", &self.reference)] {
            if let (Some(from), Some(to)) = (curve.fitted_from, curve.fitted_to) {
                let left_out = curve.left_out.map_or(String::new(), |n| {
                    format!(" (n = {n} left out: its cost contradicts the others')")
                });
                let _ = writeln!(
                    out,
                    "{who}: {} fitted over n = {from}..{to}{left_out}, start-up {} subtracted; {}",
                    curve.growth(),
                    self.cost.show(curve.startup),
                    stop_words(curve.stopped)
                );
            } else {
                let _ = writeln!(out, "{who}: {}", stop_words(curve.stopped));
            }
        }
        if let Some(why) = &self.stopped_early {
            let _ = writeln!(out, "stopped early: {why}");
        }
        let _ = writeln!(out, "{}", self.summary);
        out
    }
}

fn stop_words(stop: Stop) -> &'static str {
    match stop {
        Stop::TargetTime => "stopped once a run took about 0.2 s",
        Stop::LargestSize => "reached the largest hidden size",
        Stop::Budget => "stopped when the time budget ran out",
        Stop::Failed => "stopped when a run failed",
        Stop::NotRun => "not run",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn curve(model: Option<Model>, e: f64, u: f64) -> Curve {
        Curve {
            model,
            exponent: model.map(|_| e),
            uncertainty: model.map(|_| u),
            fitted_from: Some(1024),
            fitted_to: Some(8192),
            left_out: None,
            startup: 1e6,
            stopped: Stop::TargetTime,
            failure: None,
            points: vec![Rung {
                size: 1024,
                cost: 2e6,
                cpu_ms: 2.0,
                runs: 3,
            }],
        }
    }

    fn measured(
        solution: Curve,
        reference: Curve,
        growth: Growth,
        at: Option<AtLargest>,
    ) -> Complexity {
        let mut c = Complexity {
            schema: COMPLEXITY_SCHEMA,
            problem: "knn".into(),
            cost: Cost::TaskClock,
            cost_note: None,
            largest_size: Some(200_000),
            seeds: vec![1, 2],
            time_limit_ms: 2000,
            solution,
            reference,
            comparison: Some(growth),
            at_largest: at,
            stopped_early: None,
            elapsed_ms: 1,
            budget_ms: 20_000,
            summary: String::new(),
        };
        c.summary = c.sentence();
        c
    }

    #[test]
    fn a_faster_growth_says_both_exponents_and_the_ratio() {
        let at = AtLargest {
            size: 200_000,
            ratio: 41.3,
            solution_ms: 900.0,
            reference_ms: 20.0,
            over_limit: false,
        };
        let c = measured(
            curve(Some(Model::Power), 2.03, 0.12),
            curve(Some(Model::Power), 1.08, 0.11),
            Growth::Faster,
            Some(at),
        );
        assert_eq!(
            c.summary,
            "your solution grows like n^2.0 (± 0.1); the reference like n^1.1 (± 0.1) — at the largest hidden size (n = 200000) that is about 41x slower"
        );
    }

    #[test]
    fn the_same_growth_over_the_limit_says_the_time() {
        let at = AtLargest {
            size: 50_000,
            ratio: 1234.0,
            solution_ms: 15_400.0,
            reference_ms: 12.0,
            over_limit: true,
        };
        let c = measured(
            curve(Some(Model::Power), 1.0, 0.06),
            curve(Some(Model::Power), 0.98, 0.07),
            Growth::Same,
            Some(at),
        );
        assert_eq!(
            c.summary,
            "your solution grows like n^1.00 (± 0.06), as the reference does (n^0.98 ± 0.07) — at the largest hidden size (n = 50000) that is about 1200x slower: about 15 s of CPU time against a limit of 2.0 s"
        );
    }

    #[test]
    fn the_same_growth_within_wide_errors_says_so() {
        let c = measured(
            curve(Some(Model::Power), 2.0, 0.1),
            curve(Some(Model::Power), 1.0, 0.8),
            Growth::Same,
            None,
        );
        assert_eq!(
            c.summary,
            "your solution grows like n^2.0 (± 0.1); the reference like n^1.0 (± 0.8), too uncertain to tell the two apart"
        );
    }

    #[test]
    fn exponentials_and_unmeasured_curves_are_said() {
        let c = measured(
            curve(Some(Model::Exponential), 9.96, 0.4),
            curve(None, 0.0, 0.0),
            Growth::Same,
            None,
        );
        assert!(
            c.summary
                .starts_with("the reference's growth could not be measured"),
            "{}",
            c.summary
        );
        assert_eq!(c.solution.growth(), "10.0^n (± 0.4)");
        let mut not_run = curve(None, 0.0, 0.0);
        not_run.stopped = Stop::NotRun;
        not_run.failure = Some("it did not compile".into());
        let c = measured(
            not_run,
            curve(Some(Model::Power), 1.0, 0.1),
            Growth::Same,
            None,
        );
        assert_eq!(
            c.summary,
            "your solution was not measured: it did not compile"
        );
    }

    #[test]
    fn ratios_read_in_two_digits() {
        assert_eq!(times(41.3), "41x");
        assert_eq!(times(1234.0), "1200x");
        assert_eq!(times(3.26), "3.3x");
    }

    #[test]
    fn text_lists_sizes_side_by_side() {
        let c = measured(
            curve(Some(Model::Power), 2.0, 0.1),
            curve(Some(Model::Power), 1.0, 0.1),
            Growth::Faster,
            None,
        );
        let text = c.to_text();
        assert!(
            text.contains("\n        1024         2.00 ms         2.00 ms\n"),
            "{text}"
        );
        assert!(text.ends_with(&format!("{}\n", c.summary)), "{text}");
    }
}
