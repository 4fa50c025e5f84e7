//! The user's own record per problem (`judge list` shows it): whether they tried it, solved
//! it, and their best score. Kept in the report cache (`reports/own-<id>.json`, one small
//! file per problem), written by the command line's `submit` and `run` after each judging
//! they show, so that what an author's `judge verify` or a server judges never counts as
//! the user's own.
//!
//! A cache may be pruned (`judge cache prune`, the size cap), and then a record goes with the
//! least recently used entries; two judges finishing at the same moment may keep either
//! one's update. It is a convenience, not a transcript (interviews keep their own journal).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::cache::Cache;
use crate::report::{Mode, Report, Verdict};

/// One problem's record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Submissions judged (`judge submit`), compile errors included.
    pub submissions: u32,
    /// Practice runs on the samples (`judge run`).
    pub runs: u32,
    /// A submission was accepted.
    pub solved: bool,
    /// The best score of a submission, and the points it was out of.
    pub best_score: u32,
    pub max_score: u32,
}

/// Where a problem stands for the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    NotTried,
    Tried,
    Solved,
}

impl State {
    pub fn name(self) -> &'static str {
        match self {
            State::NotTried => "not tried",
            State::Tried => "tried",
            State::Solved => "solved",
        }
    }

    /// The JSON spelling.
    pub fn key(self) -> &'static str {
        match self {
            State::NotTried => "not-tried",
            State::Tried => "tried",
            State::Solved => "solved",
        }
    }
}

impl Record {
    pub fn state(record: Option<&Record>) -> State {
        match record {
            None => State::NotTried,
            Some(r) if r.solved => State::Solved,
            Some(_) => State::Tried,
        }
    }

    /// The record once `report` is added. A judge error says nothing of the solution and
    /// is not counted.
    pub fn with(mut self, report: &Report) -> Record {
        if report.verdict == Verdict::JE {
            return self;
        }
        match report.mode {
            Mode::Run => self.runs += 1,
            Mode::Submit => {
                self.submissions += 1;
                self.solved |= report.verdict == Verdict::AC;
                if report.max_score != self.max_score {
                    // The problem's points changed: the best score is of the new version.
                    self.best_score = 0;
                    self.max_score = report.max_score;
                }
                self.best_score = self.best_score.max(report.score);
            }
        }
        self
    }
}

fn entry(id: &str) -> String {
    format!("reports/own-{id}.json")
}

/// The record of `id`, if the user judged anything on it (and the cache kept it).
pub fn load(cache: &Cache, id: &str) -> Option<Record> {
    serde_json::from_slice(&cache.read(&entry(id))?).ok()
}

/// The records of `ids` that exist.
pub fn load_all<'a>(cache: &Cache, ids: impl Iterator<Item = &'a str>) -> HashMap<String, Record> {
    ids.filter_map(|id| Some((id.to_string(), load(cache, id)?)))
        .collect()
}

/// Adds `report` to its problem's record. A record that cannot be written is only missed.
pub fn record(cache: &Cache, report: &Report) {
    let updated = load(cache, &report.problem)
        .unwrap_or_default()
        .with(report);
    if let Ok(bytes) = serde_json::to_vec(&updated) {
        let _ = cache.write(&entry(&report.problem), &bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests::report;

    fn judged(mode: &str, verdict: Verdict, score: u32) -> Report {
        let mut r = report(mode, vec![], vec![]);
        r.verdict = verdict;
        r.score = score;
        r.max_score = 100;
        r
    }

    #[test]
    fn a_record_counts_tries_and_keeps_the_best_score() {
        assert_eq!(Record::state(None), State::NotTried);
        let run = Record::default().with(&judged("run", Verdict::WA, 0));
        assert_eq!((Record::state(Some(&run)), run.runs), (State::Tried, 1));
        let tried =
            run.with(&judged("submit", Verdict::WA, 60))
                .with(&judged("submit", Verdict::TLE, 40));
        assert_eq!(Record::state(Some(&tried)), State::Tried);
        assert_eq!((tried.submissions, tried.best_score), (2, 60));
        let solved = tried
            .with(&judged("submit", Verdict::AC, 100))
            .with(&judged("submit", Verdict::WA, 0));
        assert_eq!(Record::state(Some(&solved)), State::Solved);
        assert_eq!((solved.best_score, solved.max_score), (100, 100));
        let unchanged = solved.clone().with(&judged("submit", Verdict::JE, 0));
        assert_eq!(unchanged, solved);
    }

    #[test]
    fn records_are_kept_in_the_cache() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = Cache::at(tmp.path());
        assert_eq!(load(&cache, "p"), None);
        let mut r = judged("submit", Verdict::WA, 30);
        r.problem = "p".into();
        record(&cache, &r);
        record(&cache, &r);
        let all = load_all(&cache, ["p", "q"].into_iter());
        assert_eq!(all.len(), 1);
        assert_eq!((all["p"].submissions, all["p"].best_score), (2, 30));
    }
}
