//! The problem list page: every problem the viewer may open, searched, filtered and sorted on the
//! server from the query string (a plain GET form, so it works without JavaScript), with the
//! viewer's progress by difficulty and each problem's acceptance rate.
//!
//! Every row is rendered, those the query leaves out with `hidden`, so the page script
//! (`assets/list.js`) can filter and sort the same rows as the candidate types, by the same
//! rules (`Filter::keeps`, `order`), and the address it writes back gives the same page.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};

use super::catalog::catalog;
use crate::store::{ProblemState, StoreError};
use crate::web::{api_error_page, encode_query, page, Viewer};
use crate::Service;

/// The list's query string, as the form sends it (an empty field means "any").
#[derive(serde::Deserialize, Default)]
pub(super) struct ListQuery {
    q: Option<String>,
    difficulty: Option<String>,
    tag: Option<String>,
    state: Option<String>,
    sort: Option<String>,
    order: Option<String>,
}

/// Where the viewer stands on a problem, in the order "sort by state" puts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Progress {
    NotTried,
    Tried,
    Solved,
}

impl Progress {
    const ALL: [Progress; 3] = [Progress::NotTried, Progress::Tried, Progress::Solved];

    /// Its value in the query string and in the rows' `data-state`.
    fn key(self) -> &'static str {
        match self {
            Progress::NotTried => "not-tried",
            Progress::Tried => "tried",
            Progress::Solved => "solved",
        }
    }

    fn words(self) -> &'static str {
        match self {
            Progress::NotTried => "Not tried",
            Progress::Tried => "Tried",
            Progress::Solved => "Solved",
        }
    }

    fn of(state: Option<&ProblemState>) -> Progress {
        match state {
            None => Progress::NotTried,
            Some(s) if s.solved => Progress::Solved,
            Some(_) => Progress::Tried,
        }
    }
}

/// What the list can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SortKey {
    Title,
    Difficulty,
    State,
    Acceptance,
}

impl SortKey {
    const ALL: [SortKey; 4] = [
        SortKey::Title,
        SortKey::Difficulty,
        SortKey::State,
        SortKey::Acceptance,
    ];

    fn key(self) -> &'static str {
        match self {
            SortKey::Title => "title",
            SortKey::Difficulty => "difficulty",
            SortKey::State => "state",
            SortKey::Acceptance => "acceptance",
        }
    }

    fn words(self) -> &'static str {
        match self {
            SortKey::Title => "Title",
            SortKey::Difficulty => "Difficulty",
            SortKey::State => "Status",
            SortKey::Acceptance => "Acceptance rate",
        }
    }
}

/// A row of the list: a TOML problem or a Kattis package (difficulty "unrated", no tags).
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub id: String,
    pub title: String,
    pub difficulty: String,
    pub tags: Vec<String>,
    pub progress: Progress,
    /// The viewer's best score of a judged submission, with the most it could be.
    pub best: Option<(i64, i64)>,
    /// (accepted, judged) submissions over every user; None when none was judged.
    pub acceptance: Option<(i64, i64)>,
}

/// The query, read: what is kept and in which order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Filter {
    /// The search's words, lower case: each must appear in the id, the title or a tag.
    words: Vec<String>,
    difficulty: Option<String>,
    tag: Option<String>,
    state: Option<Progress>,
    sort: SortKey,
    descending: bool,
}

/// A field of the query with something in it.
fn given(value: Option<&String>) -> Option<&str> {
    value.map(|v| v.trim()).filter(|v| !v.is_empty())
}

impl Filter {
    fn read(query: &ListQuery) -> Filter {
        Filter {
            words: given(query.q.as_ref())
                .unwrap_or("")
                .to_lowercase()
                .split_whitespace()
                .map(String::from)
                .collect(),
            difficulty: given(query.difficulty.as_ref()).map(String::from),
            tag: given(query.tag.as_ref()).map(String::from),
            state: given(query.state.as_ref())
                .and_then(|s| Progress::ALL.into_iter().find(|p| p.key() == s)),
            sort: given(query.sort.as_ref())
                .and_then(|s| SortKey::ALL.into_iter().find(|k| k.key() == s))
                .unwrap_or(SortKey::Title),
            descending: given(query.order.as_ref()) == Some("desc"),
        }
    }

    /// Whether a filter other than the order is set.
    fn narrows(&self) -> bool {
        !self.words.is_empty()
            || self.difficulty.is_some()
            || self.tag.is_some()
            || self.state.is_some()
    }

    /// Whether `row` is shown under this filter.
    pub(crate) fn keeps(&self, row: &Row) -> bool {
        let text = search_text(row);
        self.words.iter().all(|w| text.contains(w.as_str()))
            && self
                .difficulty
                .as_ref()
                .is_none_or(|d| &row.difficulty == d)
            && self.tag.as_ref().is_none_or(|t| row.tags.contains(t))
            && self.state.is_none_or(|s| row.progress == s)
    }
}

/// What a search looks in, lower case (`list.js` builds the same from the row's data).
fn search_text(row: &Row) -> String {
    format!("{} {} {}", row.id, row.title, row.tags.join(" ")).to_lowercase()
}

/// Difficulties in the order "sort by difficulty" puts them.
fn difficulty_rank(difficulty: &str) -> u8 {
    match difficulty {
        "easy" => 0,
        "medium" => 1,
        "hard" => 2,
        _ => 3,
    }
}

/// Sorts `rows` by `key` (the other way round when `descending`), ties by title then id in
/// either order. A problem nobody submitted to has no acceptance rate and comes last in
/// either order.
pub(crate) fn order(rows: &mut [Row], key: SortKey, descending: bool) {
    let by_title = |a: &Row, b: &Row| {
        a.title
            .to_lowercase()
            .cmp(&b.title.to_lowercase())
            .then_with(|| a.id.cmp(&b.id))
    };
    rows.sort_by(|a, b| {
        let primary = match key {
            SortKey::Title => by_title(a, b),
            SortKey::Difficulty => {
                difficulty_rank(&a.difficulty).cmp(&difficulty_rank(&b.difficulty))
            }
            SortKey::State => a.progress.cmp(&b.progress),
            SortKey::Acceptance => match (a.acceptance, b.acceptance) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => return Ordering::Greater,
                (Some(_), None) => return Ordering::Less,
                // Rates compared as fractions: accepted_a / judged_a against accepted_b / judged_b.
                (Some((ac_a, all_a)), Some((ac_b, all_b))) => (ac_a * all_b).cmp(&(ac_b * all_a)),
            },
        };
        let primary = if descending {
            primary.reverse()
        } else {
            primary
        };
        primary.then_with(|| by_title(a, b))
    });
}

/// Solved and all problems of one difficulty (or of all, `None`).
fn progress_of(rows: &[Row], difficulty: Option<&str>) -> (usize, usize) {
    let of: Vec<&Row> = rows
        .iter()
        .filter(|r| difficulty.is_none_or(|d| r.difficulty == d))
        .collect();
    let solved = of.iter().filter(|r| r.progress == Progress::Solved).count();
    (solved, of.len())
}

/// The problems the viewer may open, with its progress and their acceptance.
fn rows(service: &Service, viewer: &Viewer) -> Result<Vec<Row>, StoreError> {
    let states = service.store.problem_states(&viewer.user)?;
    let acceptance = service.store.acceptance()?;
    Ok(catalog(service, &viewer.user)
        .into_iter()
        .map(|summary| {
            let state = states.get(&summary.id);
            Row {
                progress: Progress::of(state),
                best: state.and_then(|s| s.best),
                acceptance: acceptance.get(&summary.id).copied(),
                id: summary.id,
                title: summary.title,
                difficulty: summary.difficulty,
                tags: summary.tags,
            }
        })
        .collect())
}

pub(super) async fn problems(
    State(service): State<Arc<Service>>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Response {
    // A store that cannot say the viewer's progress is an error page, not a blank slate.
    let mut all = match rows(&service, &viewer) {
        Ok(rows) => rows,
        Err(e) => return api_error_page(&e.into()),
    };
    let filter = Filter::read(&query);
    order(&mut all, filter.sort, filter.descending);
    let body = list_page(&all, &filter, &query);
    page("Problems", Some(&viewer), &body).into_response()
}

fn list_page(rows: &[Row], filter: &Filter, query: &ListQuery) -> Markup {
    let mut tags: Vec<&String> = rows.iter().flat_map(|r| &r.tags).collect();
    tags.sort();
    tags.dedup();
    let mut difficulties: Vec<&str> = rows.iter().map(|r| r.difficulty.as_str()).collect();
    difficulties.sort_by_key(|d| (difficulty_rank(d), *d));
    difficulties.dedup();
    let shown = rows.iter().filter(|r| filter.keeps(r)).count();
    let (solved, total) = progress_of(rows, None);
    html! {
        h1 { "Problems" }
        section.progress aria-label="Your progress" {
            p.total { strong { "Solved " (solved) " of " (total) } }
            ul {
                @for d in &difficulties {
                    @let (solved, total) = progress_of(rows, Some(d));
                    li { (difficulty_badge(d)) " " (solved) " of " (total) " solved" }
                }
            }
        }
        (filters(filter, query, &difficulties, &tags))
        p.list-count #list-count role="status" aria-live="polite" {
            (count_words(shown, rows.len()))
        }
        table.problems #problem-list {
            caption.visually-hidden { "Problems, sorted by " (filter.sort.words().to_lowercase()) }
            thead { tr {
                (sort_header(SortKey::Title, "Problem", filter, query))
                (sort_header(SortKey::Difficulty, "Difficulty", filter, query))
                th.tags scope="col" { "Tags" }
                (sort_header(SortKey::State, "Status", filter, query))
                (sort_header(SortKey::Acceptance, "Acceptance", filter, query))
            } }
            tbody {
                @for r in rows { (row(r, filter.keeps(r))) }
            }
        }
        p #no-match hidden[shown > 0] {
            "No problem matches these filters. " a href="/problems" { "Show every problem" }
        }
    }
}

/// "Showing 5 of 21 problems." (`list.js` writes the same words.)
fn count_words(shown: usize, total: usize) -> String {
    if shown == total {
        format!("Showing all {total} problems.")
    } else {
        format!("Showing {shown} of {total} problems.")
    }
}

fn filters(filter: &Filter, query: &ListQuery, difficulties: &[&str], tags: &[&String]) -> Markup {
    let q = query.q.as_deref().unwrap_or("");
    html! {
        form.filters #problem-filters method="get" action="/problems" role="search" {
            label.search { "Search"
                input type="search" name="q" value=(q) placeholder="Title, id or tag" autocomplete="off";
            }
            label { "Difficulty"
                select name="difficulty" {
                    option value="" { "Any" }
                    @for d in difficulties {
                        option value=(d) selected[filter.difficulty.as_deref() == Some(*d)] { (capitalised(d)) }
                    }
                }
            }
            label { "Tag"
                select name="tag" {
                    option value="" { "Any" }
                    @for t in tags {
                        option value=(t) selected[filter.tag.as_ref() == Some(*t)] { (t) }
                    }
                }
            }
            label { "Status"
                select name="state" {
                    option value="" { "Any" }
                    @for p in Progress::ALL {
                        option value=(p.key()) selected[filter.state == Some(p)] { (p.words()) }
                    }
                }
            }
            label { "Sort by"
                select name="sort" {
                    @for k in SortKey::ALL {
                        option value=(k.key()) selected[filter.sort == k] { (k.words()) }
                    }
                }
            }
            label { "Order"
                select name="order" {
                    option value="asc" selected[!filter.descending] { "Ascending" }
                    option value="desc" selected[filter.descending] { "Descending" }
                }
            }
            button #apply-filters type="submit" { "Apply" }
            @if filter.narrows() { a.clear href="/problems" { "Clear filters" } }
        }
    }
}

/// A column heading that sorts by `key`: a link to the same list sorted by it (the other
/// way round when it already is), marked with `aria-sort` when it is the current order.
fn sort_header(key: SortKey, words: &str, filter: &Filter, query: &ListQuery) -> Markup {
    let current = filter.sort == key;
    let descending = current && !filter.descending;
    let href = list_address(query, key, descending);
    let aria = current.then_some(if filter.descending {
        "descending"
    } else {
        "ascending"
    });
    html! {
        th scope="col" data-sort=(key.key()) aria-sort=[aria] {
            a href=(href) {
                (words)
                span.arrow aria-hidden="true" {
                    @if current { @if filter.descending { " ▼" } @else { " ▲" } }
                }
            }
        }
    }
}

/// The list's address with this query, sorted by `key`.
fn list_address(query: &ListQuery, key: SortKey, descending: bool) -> String {
    let mut pairs: BTreeMap<&str, &str> = BTreeMap::new();
    for (name, value) in [
        ("q", &query.q),
        ("difficulty", &query.difficulty),
        ("tag", &query.tag),
        ("state", &query.state),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.trim().is_empty()) {
            pairs.insert(name, v);
        }
    }
    pairs.insert("sort", key.key());
    pairs.insert("order", if descending { "desc" } else { "asc" });
    let query: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode_query(v)))
        .collect();
    format!("/problems?{}", query.join("&"))
}

fn row(r: &Row, shown: bool) -> Markup {
    let (accepted, judged) = r.acceptance.unwrap_or((0, 0));
    html! {
        tr data-problem=(r.id) data-title=(r.title) data-difficulty=(r.difficulty)
            data-tags=(serde_json::to_string(&r.tags).unwrap_or_default()) data-state=(r.progress.key())
            data-accepted=(accepted) data-judged=(judged) hidden[!shown] {
            td.title {
                a href={ "/problems/" (r.id) } { (r.title) }
                span.id { (r.id) }
                // On a phone the difficulty column gives way, and shows here instead.
                span.narrow-only { (difficulty_badge(&r.difficulty)) }
            }
            td.level { (difficulty_badge(&r.difficulty)) }
            td.tags { (r.tags.join(", ")) }
            td.state { (state_words(r)) }
            td.acceptance { (acceptance_words(r.acceptance)) }
        }
    }
}

/// A difficulty as a coloured label: the word carries it, the colour only helps.
pub(crate) fn difficulty_badge(difficulty: &str) -> Markup {
    html! { span class={ "difficulty " (difficulty) } { (capitalised(difficulty)) } }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn state_words(r: &Row) -> Markup {
    let best = r
        .best
        .map(|(score, max)| format!(" · best {score}/{max}"))
        .unwrap_or_default();
    html! {
        @match r.progress {
            Progress::NotTried => span.muted { "Not tried" },
            Progress::Solved => span.ok { span aria-hidden="true" { "✓ " } "Solved" (best) },
            Progress::Tried => span { "Tried" (best) },
        }
    }
}

fn acceptance_words(acceptance: Option<(i64, i64)>) -> Markup {
    match acceptance {
        Some((accepted, judged)) if judged > 0 => {
            let percent = (accepted * 100 + judged / 2) / judged;
            html! {
                span title={ (accepted) " of " (judged) " submissions accepted" } {
                    (percent) "%" span.detail { " (" (accepted) "/" (judged) ")" }
                }
            }
        }
        _ => html! { span.muted title="No submission judged yet" { "—" } },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, title: &str, difficulty: &str, tags: &[&str]) -> Row {
        Row {
            id: id.into(),
            title: title.into(),
            difficulty: difficulty.into(),
            tags: tags.iter().map(ToString::to_string).collect(),
            progress: Progress::NotTried,
            best: None,
            acceptance: None,
        }
    }

    fn bank() -> Vec<Row> {
        let mut knn = row("knn", "k nearest neighbours", "medium", &["ml", "search"]);
        knn.progress = Progress::Solved;
        knn.acceptance = Some((1, 4));
        let mut t = row("t-value", "One-sample t statistic", "easy", &["statistics"]);
        t.progress = Progress::Tried;
        t.acceptance = Some((2, 3));
        let mut tree = row("decision-tree", "Decision tree", "hard", &["ml"]);
        tree.acceptance = Some((1, 2));
        vec![knn, t, tree, row("big-sum", "Big Sum", "unrated", &[])]
    }

    fn filter(pairs: &[(&str, &str)]) -> Filter {
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        };
        Filter::read(&ListQuery {
            q: get("q"),
            difficulty: get("difficulty"),
            tag: get("tag"),
            state: get("state"),
            sort: get("sort"),
            order: get("order"),
        })
    }

    fn kept(pairs: &[(&str, &str)]) -> Vec<String> {
        let f = filter(pairs);
        let mut rows = bank();
        order(&mut rows, f.sort, f.descending);
        rows.iter()
            .filter(|r| f.keeps(r))
            .map(|r| r.id.clone())
            .collect()
    }

    #[test]
    fn a_search_matches_id_title_and_tags_word_by_word() {
        assert_eq!(kept(&[("q", "KNN")]), ["knn"]);
        assert_eq!(kept(&[("q", "statistic")]), ["t-value"]);
        assert_eq!(kept(&[("q", "ml")]), ["decision-tree", "knn"]);
        assert_eq!(kept(&[("q", "ml tree")]), ["decision-tree"]);
        assert_eq!(kept(&[("q", "  ")]).len(), 4);
        assert!(kept(&[("q", "nothing-like-it")]).is_empty());
    }

    #[test]
    fn filters_combine_and_an_empty_one_means_any() {
        assert_eq!(kept(&[("difficulty", "hard")]), ["decision-tree"]);
        assert_eq!(kept(&[("tag", "ml"), ("state", "solved")]), ["knn"]);
        assert_eq!(
            kept(&[("state", "not-tried")]),
            ["big-sum", "decision-tree"]
        );
        assert_eq!(kept(&[("difficulty", ""), ("tag", "")]).len(), 4);
        // An unknown state or sort is no filter and the default order.
        assert_eq!(kept(&[("state", "odd"), ("sort", "odd")]).len(), 4);
    }

    #[test]
    fn sorting_orders_by_the_key_then_the_title() {
        assert_eq!(
            kept(&[]),
            ["big-sum", "decision-tree", "knn", "t-value"],
            "by title, whatever the case"
        );
        assert_eq!(
            kept(&[("sort", "difficulty")]),
            ["t-value", "knn", "decision-tree", "big-sum"]
        );
        assert_eq!(
            kept(&[("sort", "difficulty"), ("order", "desc")]),
            ["big-sum", "decision-tree", "knn", "t-value"]
        );
        assert_eq!(
            kept(&[("sort", "title"), ("order", "desc")]),
            ["t-value", "knn", "decision-tree", "big-sum"]
        );
        // Ties stay in title order whichever way the key goes.
        assert_eq!(
            kept(&[("sort", "state"), ("order", "desc"), ("state", "not-tried")]),
            ["big-sum", "decision-tree"]
        );
        assert_eq!(
            kept(&[("sort", "state")]),
            ["big-sum", "decision-tree", "t-value", "knn"]
        );
        // 1/4 < 1/2 < 2/3; a problem without a judged submission last either way.
        assert_eq!(
            kept(&[("sort", "acceptance")]),
            ["knn", "decision-tree", "t-value", "big-sum"]
        );
        assert_eq!(
            kept(&[("sort", "acceptance"), ("order", "desc")]),
            ["t-value", "decision-tree", "knn", "big-sum"]
        );
    }

    #[test]
    fn progress_counts_solved_of_all_by_difficulty() {
        let rows = bank();
        assert_eq!(progress_of(&rows, None), (1, 4));
        assert_eq!(progress_of(&rows, Some("medium")), (1, 1));
        assert_eq!(progress_of(&rows, Some("easy")), (0, 1));
    }

    #[test]
    fn a_column_heading_links_to_the_list_sorted_by_it() {
        let query = ListQuery {
            q: Some("ml tree".into()),
            tag: Some(String::new()),
            ..ListQuery::default()
        };
        assert_eq!(
            list_address(&query, SortKey::Acceptance, true),
            "/problems?order=desc&q=ml%20tree&sort=acceptance"
        );
    }

    #[test]
    fn acceptance_is_a_rounded_percentage_with_its_counts() {
        let html = acceptance_words(Some((2, 3))).into_string();
        assert!(html.contains("67%"), "{html}");
        assert!(html.contains("(2/3)"), "{html}");
        assert!(acceptance_words(None).into_string().contains('—'));
    }
}
