//! How the cases of one judging are graded and told: what each may show (samples and
//! practice runs all, hidden cases by `HiddenDetails`), and, under `FirstFailure`, which
//! failing hidden case is the first and so shown whole.

use std::collections::HashMap;
use std::io;

use super::events::{Event, Signals};
use super::grade::{grade, withhold, CheckerResult, Judged, Shown};
use super::Answers;
use crate::problem::spec::{Case, HiddenDetails, Problem};
use crate::report::{CaseReport, Mode, Verdict};
use judge_sandbox::Outcome;

/// What grading the cases of one judging needs.
pub(super) struct CaseJudging<'a> {
    pub(super) problem: &'a Problem,
    pub(super) mode: Mode,
    pub(super) answers: &'a Answers,
    pub(super) stop_early: bool,
    pub(super) signals: Signals<'a>,
    pub(super) hidden_details: HiddenDetails,
    /// Under `FirstFailure`: the first failing hidden case, in case order, is shown whole.
    pub(super) first_failure: FirstFailure,
}

/// Which hidden case is the first to fail is known only once all have run (they run side by
/// side), so under `HiddenDetails::FirstFailure` a failing hidden case is graded whole unless
/// an earlier one already failed, with its `Kind` report kept to stand in for it if an
/// earlier one fails later (`settle`).
#[derive(Default)]
pub(super) struct FirstFailure {
    /// Each hidden case's place in case order.
    places: HashMap<String, usize>,
    /// The earliest place of a hidden case seen failing so far.
    earliest: std::sync::atomic::AtomicUsize,
    /// The `Kind` reports of failing hidden cases graded whole.
    stand_ins: std::sync::Mutex<HashMap<String, CaseReport>>,
}

impl FirstFailure {
    pub(super) fn new(problem: &Problem) -> FirstFailure {
        let places = problem
            .groups
            .iter()
            .flat_map(|g| &g.cases)
            .enumerate()
            .map(|(i, c)| (c.name.clone(), i))
            .collect();
        FirstFailure {
            places,
            earliest: usize::MAX.into(),
            stand_ins: std::sync::Mutex::default(),
        }
    }

    fn place(&self, case: &Case) -> usize {
        self.places.get(&case.name).copied().unwrap_or(usize::MAX)
    }

    /// Whether `case` may still be the first failing hidden case.
    fn may_be_first(&self, case: &Case) -> bool {
        self.place(case) <= self.earliest.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// `case` failed; `stand_in` is its report without data.
    fn failed(&self, case: &Case, stand_in: CaseReport) {
        self.earliest
            .fetch_min(self.place(case), std::sync::atomic::Ordering::Relaxed);
        self.stand_ins
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(case.name.clone(), stand_in);
    }

    /// Every case graded whole but the first failing one gets its stand-in.
    pub(super) fn settle(&self, graded: &mut HashMap<String, CaseReport>) {
        let first = self.earliest.load(std::sync::atomic::Ordering::Relaxed);
        let stand_ins = std::mem::take(
            &mut *self
                .stand_ins
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        for (name, stand_in) in stand_ins {
            if self.places.get(&name) != Some(&first) {
                graded.insert(name, stand_in);
            }
        }
    }
}

impl CaseJudging<'_> {
    fn visible(&self, case: &Case) -> bool {
        self.mode == Mode::Run
            || self.problem.reveal_hidden
            || self.problem.samples.iter().any(|s| s.name == case.name)
    }

    /// How much a hidden case's report shows at this judging's level.
    fn shown(&self, case: &Case) -> Shown {
        if self.visible(case) {
            return Shown::All;
        }
        match self.hidden_details {
            HiddenDetails::Verdict | HiddenDetails::Outcome => Shown::Words,
            HiddenDetails::FirstFailure if self.first_failure.may_be_first(case) => Shown::All,
            HiddenDetails::Kind | HiddenDetails::FirstFailure => Shown::Kind,
        }
    }

    /// Whether the case's time may show, in its report and so in when its events arrive.
    pub(super) fn times_shown(&self, case: &Case) -> bool {
        self.visible(case) || self.hidden_details != HiddenDetails::Verdict
    }

    /// Tells that `case` finished now, or keeps the event in `withheld` for the end.
    pub(super) fn tell_finished(
        &self,
        case: &Case,
        report: &CaseReport,
        withheld: &mut Vec<Event>,
    ) {
        let event = Event::case_finished(report);
        if self.times_shown(case) {
            self.signals.tell(&event);
        } else {
            withheld.push(event);
        }
    }

    /// A case's report as the candidate may see it: everything for samples and practice
    /// runs, less for hidden cases (`HiddenDetails`).
    pub(super) fn grade(
        &self,
        case: &Case,
        outcome: &io::Result<Outcome>,
        custom: Option<CheckerResult>,
    ) -> CaseReport {
        let problem = self.problem;
        let shown = self.shown(case);
        let expected = self.answers.expected(&case.name);
        let judged = |custom| Judged {
            expected: &expected,
            outcome,
            custom,
        };
        let hidden = !self.visible(case);
        let mut report = grade(problem, case, judged(custom.clone()), shown);
        if hidden && shown == Shown::All && report.verdict != Verdict::AC {
            let stand_in = grade(problem, case, judged(custom), Shown::Kind);
            self.first_failure.failed(case, stand_in);
        }
        if hidden && self.hidden_details == HiddenDetails::Verdict {
            withhold(&mut report);
        }
        report
    }
}
