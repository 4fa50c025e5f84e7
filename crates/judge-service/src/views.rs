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

use serde_json::{json, Value};

use super::store::{now_ms, Role, StoreError, Submission, User};
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
    /// The submission as the API answers it: the report in the `--json` schema.
    pub fn json(&self, with_source: bool) -> Value {
        let s = &self.0;
        let report: Value = s
            .report
            .as_deref()
            .and_then(|r| serde_json::from_str(r).ok())
            .unwrap_or(Value::Null);
        let mut body = json!({
            "id": s.id,
            "problem": s.problem,
            "user": s.user,
            "language": s.language,
            "mode": s.mode,
            "status": s.status,
            "problem_version": s.problem_version,
            "created_ms": s.created_ms,
            "finished_ms": s.finished_ms,
            "report": report,
        });
        if let Some(error) = &s.error {
            body["error"] = json!(error);
        }
        if let Some(input) = s
            .input
            .as_deref()
            .and_then(|i| serde_json::from_str::<Value>(i).ok())
        {
            body["input"] = input;
        }
        if with_source {
            body["source"] = json!(s.source);
        }
        body
    }
}

impl View {
    /// The view of `user`.
    pub fn of(service: &Service, user: &User) -> View {
        if user.role.reads_all() {
            return View::Staff;
        }
        let (id, name) = (user.id, user.name.clone());
        if user.role != Role::Interviewee {
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
        let data = shown.map_or_else(
            || json!({ "id": self.id, "status": "done" }),
            |s| s.json(true),
        );
        let mut out = std::mem::take(&mut self.held);
        out.push(Told {
            name: "done".into(),
            data: data.to_string(),
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
        let data: Value = serde_json::from_str(&told.data).unwrap_or(Value::Null);
        !data["name"].as_str().is_some_and(|n| visible.contains(n))
    }
}

/// A case's figures removed from its event when it is hidden from this viewer or withheld
/// by its problem (the engine's event says 0 for those: a made-up figure).
fn blank_figures(mut told: Told, hidden: bool) -> Told {
    let Ok(mut data) = serde_json::from_str::<Value>(&told.data) else {
        return told;
    };
    if hidden || data["withheld"] == true {
        data["time_ms"] = Value::Null;
        data["memory_kb"] = Value::Null;
        data["withheld"] = json!(true);
        told.data = data.to_string();
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

/// A submission's report with every hidden case reduced to its name and verdict.
fn withhold_report(s: &mut Submission) {
    let Some(text) = &s.report else {
        return;
    };
    let Ok(mut report) = serde_json::from_str::<Value>(text) else {
        // A report that cannot be read cannot be withheld in part: none of it is shown.
        s.report = None;
        return;
    };
    withhold_hidden(&mut report);
    s.report = Some(report.to_string());
}

fn withhold_hidden(report: &mut Value) {
    // A measured complexity is made on the hidden cases' seeds and sizes, and says how
    // the solution does at the largest: hidden too.
    if let Some(fields) = report.as_object_mut() {
        if fields.remove("complexity").is_some() {
            fields.insert(
                "complexity_unavailable".into(),
                json!("withheld with the hidden cases until the interview ends"),
            );
        }
    }
    let Some(groups) = report["groups"].as_array_mut() else {
        return;
    };
    for case in groups
        .iter_mut()
        .filter_map(|g| g["cases"].as_array_mut())
        .flatten()
    {
        for key in ["time_ms", "memory_kb", "message", "diff", "input", "output"] {
            case[key] = Value::Null;
        }
        case["withheld"] = json!(true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_measured_complexity_is_withheld_with_the_hidden_cases() {
        let mut report = json!({"groups": [], "complexity": {"summary": "at the largest hidden size 40x slower"}});
        withhold_hidden(&mut report);
        assert!(report.get("complexity").is_none(), "{report}");
        assert!(report["complexity_unavailable"]
            .as_str()
            .unwrap()
            .contains("withheld"));
        let mut plain = json!({"groups": []});
        withhold_hidden(&mut plain);
        assert!(plain.get("complexity_unavailable").is_none(), "{plain}");
    }

    #[test]
    fn hidden_cases_are_withheld_samples_are_not() {
        let mut report = json!({
            "samples": [{"name": "sample-1", "verdict": "WA", "time_ms": 3, "message": "wrong answer at [0]"}],
            "groups": [{"name": "basic", "cases": [
                {"name": "basic-1", "verdict": "WA", "time_ms": 3, "memory_kb": 10, "message": "wrong answer: a wrong value at [2]", "diff": null, "input": null, "output": null, "withheld": false}
            ]}]
        });
        withhold_hidden(&mut report);
        let hidden = &report["groups"][0]["cases"][0];
        assert_eq!(hidden["verdict"], "WA");
        assert_eq!(hidden["withheld"], true);
        assert!(hidden["message"].is_null() && hidden["time_ms"].is_null());
        assert_eq!(report["samples"][0]["message"], "wrong answer at [0]");
    }

    #[test]
    fn a_withheld_figure_is_null_not_zero() {
        let told = Told {
            name: "case-finished".into(),
            data: json!({"event": "case-finished", "name": "edge-1", "verdict": "AC", "time_ms": 0, "memory_kb": 0, "withheld": true}).to_string(),
        };
        let data: Value = serde_json::from_str(&blank_figures(told, false).data).unwrap();
        assert!(data["time_ms"].is_null() && data["memory_kb"].is_null());
        let shown = Told {
            name: "case-finished".into(),
            data: json!({"event": "case-finished", "name": "sample-1", "verdict": "AC", "time_ms": 4, "memory_kb": 900}).to_string(),
        };
        let data: Value = serde_json::from_str(&blank_figures(shown, false).data).unwrap();
        assert_eq!(data["time_ms"], 4);
    }
}
