//! What a viewer may see of submissions, decided in one place. Who asks picks a `View` once
//! per request (an author's, an owner's, or a candidate's whose interview hides hidden cases
//! until it ends); every path that shows a submission (the API's answers and history, the
//! event stream, the pages, webhook bodies) takes it through that view and renders the
//! `Shown` it gives back, so no path shows more than another.
//!
//! A withheld view reduces each hidden case to its name and verdict (no time, memory,
//! message, diff, input or output: time and memory can carry a hidden input out bit by bit),
//! and holds back the live events of hidden cases until the judging ends, since when they
//! arrive would tell their time. Samples stay whole.

use std::collections::HashSet;
use std::sync::Arc;

use judge_core::report::document::{Document, ReportDocument};
use judge_core::report::Verdict;
use serde::{Deserialize, Serialize};

use super::access::{self, Action};
use super::openapi::SubmissionBody;
use super::store::{now_ms, Status, StoreError, Submission, User};
use super::Service;

/// One event as sent: its name and its JSON.
#[derive(Debug, Clone)]
pub struct Told {
    pub name: String,
    pub data: String,
}

/// What one viewer may see of submissions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum View {
    /// Authors and admins: every submission, as judged.
    Staff,
    /// A user's own submissions, as judged (the problem's `[feedback] hidden` was applied
    /// by the engine already).
    Own { user: i64, name: String },
    /// An interview's candidate while its session hides hidden details: its own
    /// submissions, hidden cases withheld.
    Withheld { user: i64, name: String },
}

/// A submission as one view shows it: what the renderers (`json`, the pages' report)
/// take, so nothing reaches a client without passing a `View`.
pub struct Shown(Submission);

impl std::ops::Deref for Shown {
    type Target = Submission;

    fn deref(&self) -> &Submission {
        &self.0
    }
}

impl Shown {
    /// The submission as the API answers it: the report in the `--json` schema, as this
    /// view shows it; its source only when asked for.
    pub fn into_body(self, with_source: bool) -> SubmissionBody {
        let s = self.0;
        SubmissionBody {
            id: s.id,
            problem: s.problem,
            user: s.user,
            language: s.language,
            mode: s.mode,
            status: s.status,
            problem_version: s.problem_version,
            created_ms: s.created_ms,
            finished_ms: s.finished_ms,
            report: s.report,
            error: s.error,
            input: s
                .input
                .as_deref()
                .and_then(|i| serde_json::from_str(i).ok()),
            source: with_source.then_some(s.source),
        }
    }
}

impl View {
    /// The view of `user`.
    pub fn of(service: &Service, user: &User) -> View {
        if access::may(user, Action::ReadAll).is_ok() {
            return View::Staff;
        }
        let (id, name) = (user.id, user.name.clone());
        if !access::in_interview(user) {
            return View::Own { user: id, name };
        }
        match service.store.interview_of_candidate(user) {
            Ok(Some(i)) if !i.hide_hidden || i.is_over(now_ms()) => View::Own { user: id, name },
            // Hiding and running, or not readable now: withheld.
            _ => View::Withheld { user: id, name },
        }
    }

    /// The view of a submission's owner, who registered its webhook.
    pub fn of_owner(service: &Service, s: &Submission) -> View {
        match service.store.user_by_name(&s.user) {
            Ok(Some((owner, _))) if owner.id == s.user_id => View::of(service, &owner),
            _ => View::Withheld {
                user: s.user_id,
                name: s.user.clone(),
            },
        }
    }

    /// Whether this view reads every user's submissions.
    pub fn reads_all(&self) -> bool {
        *self == View::Staff
    }

    /// The submission as this view shows it, or `None` when it may not see it at all (to a
    /// candidate, someone else's does not exist).
    pub fn show(&self, s: Submission) -> Option<Shown> {
        let mut s = s;
        match self {
            View::Staff => {}
            View::Own { user, .. } if s.user_id == *user => {}
            View::Withheld { user, .. } if s.user_id == *user => withhold_report(&mut s),
            View::Own { .. } | View::Withheld { .. } => return None,
        }
        Some(Shown(s))
    }

    /// Submission `id` as this view shows it.
    pub fn read(&self, service: &Service, id: i64) -> Result<Option<Shown>, StoreError> {
        Ok(service.store.submission(id)?.and_then(|s| self.show(s)))
    }

    /// Submissions newest first, of `problem` and of `user` when named: a viewer who reads
    /// only its own gets its own whatever it names.
    pub fn list(
        &self,
        service: &Service,
        problem: Option<&str>,
        user: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Shown>, StoreError> {
        let who = match self {
            View::Staff => user,
            View::Own { name, .. } | View::Withheld { name, .. } => Some(name.as_str()),
        };
        let list = service.store.submissions(problem, who, limit)?;
        Ok(list.into_iter().filter_map(|s| self.show(s)).collect())
    }

    /// The live events of `s` as this view may see them.
    pub fn live(&self, service: Arc<Service>, s: &Shown) -> Live {
        let visible =
            matches!(self, View::Withheld { .. }).then(|| sample_names(&service, &s.problem));
        Live {
            service,
            view: self.clone(),
            id: s.id,
            visible,
            held: Vec::new(),
        }
    }
}

/// One viewer's filter over a judging's events.
pub struct Live {
    service: Arc<Service>,
    view: View,
    id: i64,
    /// For a withheld view, the cases shown as they happen (the samples); the rest wait for
    /// `done`.
    visible: Option<HashSet<String>>,
    held: Vec<Told>,
}

/// `done` for a submission that could not be read back at the end: that it is done.
#[derive(Serialize)]
struct Unread {
    id: i64,
    status: Status,
}

impl Live {
    /// What this viewer is told of `told`: nothing yet, it, or (at `done`) what was held
    /// back and then `done` with the submission as this view shows it.
    pub fn pass(&mut self, told: Told) -> Vec<Told> {
        match told.name.as_str() {
            "done" => self.finish(),
            "case-started" if self.hides(&told) => Vec::new(),
            "case-finished" => {
                let hidden = self.hides(&told);
                let told = blank_figures(told, hidden);
                if hidden {
                    self.held.push(told);
                    Vec::new()
                } else {
                    vec![told]
                }
            }
            "group-finished" if self.visible.is_some() => {
                self.held.push(told);
                Vec::new()
            }
            _ => vec![told],
        }
    }

    /// The end of the stream: what was held back, then `done`.
    pub fn finish(&mut self) -> Vec<Told> {
        let shown = self.view.read(&self.service, self.id).ok().flatten();
        let data = match shown {
            Some(s) => serde_json::to_string(&s.into_body(true)),
            None => serde_json::to_string(&Unread {
                id: self.id,
                status: Status::Done,
            }),
        }
        .unwrap_or_default();
        let mut out = std::mem::take(&mut self.held);
        out.push(Told {
            name: "done".into(),
            data,
        });
        out
    }

    /// Whether events may carry their sequence numbers as ids: not for a withheld view,
    /// where the gaps would count the hidden events between two shown ones.
    pub fn numbered(&self) -> bool {
        self.visible.is_none()
    }

    fn hides(&self, told: &Told) -> bool {
        let Some(visible) = &self.visible else {
            return false;
        };
        let case = serde_json::from_str::<CaseNamed>(&told.data).ok();
        !case.is_some_and(|c| visible.contains(&c.name))
    }
}

/// The case a `case-started` or `case-finished` event names.
#[derive(Deserialize)]
struct CaseNamed {
    name: String,
}

/// A `case-finished` event as the engine tells it (`judge::events::Event::CaseFinished`),
/// with figures that can be blanked.
#[derive(Debug, Serialize, Deserialize)]
struct CaseFinished {
    event: String,
    name: String,
    verdict: Verdict,
    time_ms: Option<u64>,
    memory_kb: Option<u64>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    withheld: bool,
}

/// A case's figures removed from its event when it is hidden from this viewer or withheld
/// by its problem (the engine's event says 0 for those: a made-up figure).
fn blank_figures(mut told: Told, hidden: bool) -> Told {
    let Ok(mut case) = serde_json::from_str::<CaseFinished>(&told.data) else {
        return told;
    };
    if hidden || case.withheld {
        case.time_ms = None;
        case.memory_kb = None;
        case.withheld = true;
        if let Ok(data) = serde_json::to_string(&case) {
            told.data = data;
        }
    }
    told
}

/// The names of a problem's samples (cases a withheld view shows whole); none when it
/// cannot be read, so that every case is then treated as hidden.
fn sample_names(service: &Service, problem: &str) -> HashSet<String> {
    let Ok(dir) = service.bank.resolve(problem) else {
        return HashSet::new();
    };
    if let Some(package) = super::kattis::load(&dir) {
        return package
            .map(|p| {
                p.samples
                    .cases()
                    .into_iter()
                    .map(|c| c.name.clone())
                    .collect()
            })
            .unwrap_or_default();
    }
    judge_core::problem::spec::load(&dir)
        .map(|p| p.samples.into_iter().map(|c| c.name).collect())
        .unwrap_or_default()
}

/// A submission's report with every hidden case reduced to its name and verdict. A run on
/// one input has no hidden case; a report that did not read was dropped when read.
fn withhold_report(s: &mut Submission) {
    if let Some(Document::Judging(report)) = &mut s.report {
        withhold_hidden(report);
    }
}

fn withhold_hidden(report: &mut ReportDocument) {
    // A measured complexity is made on the hidden cases' seeds and sizes, and says how
    // the solution does at the largest: hidden too.
    if report.complexity.take().is_some() {
        report.complexity_unavailable =
            Some("withheld with the hidden cases until the interview ends".into());
    }
    for case in report.hidden_cases_mut() {
        case.time_ms = None;
        case.memory_kb = None;
        case.message = None;
        case.diff = None;
        case.input = None;
        case.output = None;
        case.withheld = true;
    }
}

#[cfg(test)]
#[path = "views_tests.rs"]
mod tests;
