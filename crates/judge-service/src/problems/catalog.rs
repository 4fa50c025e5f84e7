//! The problems a user sees, with their summaries: one walk of the bank for the API's list
//! and the list page, so both show the same problems the same way.

use judge_core::problem::spec;

use crate::access::Seen;
use crate::openapi::{ProblemFormat, ProblemSummary};
use crate::store::User;
use crate::Service;

/// Every problem of the bank `user` may see, in the bank's order, each summarised. A
/// problem whose files do not load is left out (the list is still worth showing; opening
/// that problem names what is wrong).
pub(crate) fn catalog(service: &Service, user: &User) -> Vec<ProblemSummary> {
    let seen = Seen::of(service, user);
    service
        .bank
        .ids()
        .into_iter()
        .filter(|id| seen.has(id))
        .filter_map(|id| summary(service, &id))
        .collect()
}

/// What the list shows of problem `id`: a Kattis package's name and no rating or tags, a
/// TOML problem's title, difficulty and tags.
fn summary(service: &Service, id: &str) -> Option<ProblemSummary> {
    let dir = service.bank.resolve(id).ok()?;
    if let Some(package) = crate::kattis::load(&dir) {
        return package.ok().map(|p| crate::kattis::summary(&p));
    }
    let problem = spec::load(&dir).ok()?;
    Some(ProblemSummary {
        id: problem.id,
        title: problem.title,
        difficulty: problem.difficulty.to_string(),
        tags: problem.tags,
        format: ProblemFormat::Function,
    })
}

/// Whether a summary passes the list's filters (`None`: any). A Kattis package is
/// "unrated" and has no tags, so a tag filter leaves it out.
pub(crate) fn keeps(summary: &ProblemSummary, difficulty: Option<&str>, tag: Option<&str>) -> bool {
    difficulty.is_none_or(|d| summary.difficulty == d)
        && tag.is_none_or(|t| summary.tags.iter().any(|have| have == t))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(difficulty: &str, tags: &[&str], format: ProblemFormat) -> ProblemSummary {
        ProblemSummary {
            id: "p".into(),
            title: "P".into(),
            difficulty: difficulty.into(),
            tags: tags.iter().map(ToString::to_string).collect(),
            format,
        }
    }

    #[test]
    fn the_filters_keep_a_problem_of_that_difficulty_and_tag() {
        let knn = summary("easy", &["geometry"], ProblemFormat::Function);
        assert!(keeps(&knn, None, None));
        assert!(keeps(&knn, Some("easy"), Some("geometry")));
        assert!(!keeps(&knn, Some("hard"), None));
        assert!(!keeps(&knn, None, Some("graphs")));
    }

    #[test]
    fn a_package_is_unrated_and_any_tag_leaves_it_out() {
        let package = summary(crate::kattis::UNRATED, &[], ProblemFormat::Kattis);
        assert!(keeps(&package, Some("unrated"), None));
        assert!(!keeps(&package, Some("easy"), None));
        assert!(!keeps(&package, None, Some("geometry")));
    }
}
