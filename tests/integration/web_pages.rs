//! The pages as a candidate meets them, over real HTTP and without JavaScript: the problem
//! list's search, filters, sort and progress (a plain GET form), signing in again after a
//! failure, and the favicon. (`web_browser.rs` drives the same pages with their script.)

use serde_json::json;

use crate::serve::{add_user, data_dir, post, source, submission, Server, T_VALUE_AC, T_VALUE_WA};
use crate::web::Client;

/// The list's rows in page order: (problem id, shown). Rows a query leaves out are in the
/// page with `hidden`, for the page's script to show again.
fn rows(body: &str) -> Vec<(String, bool)> {
    body.split("<tr data-problem=\"")
        .skip(1)
        .map(|rest| {
            let id = rest[..rest.find('"').unwrap()].to_string();
            let tag = &rest[..rest.find('>').unwrap()];
            (id, !tag.contains(" hidden"))
        })
        .collect()
}

fn shown(body: &str) -> Vec<String> {
    rows(body)
        .into_iter()
        .filter(|(_, shown)| *shown)
        .map(|(id, _)| id)
        .collect()
}

/// The bank's problems (one folder each under `problems/`).
fn bank_ids() -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(crate::repo().join("problems"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().join("problem.toml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    ids.sort();
    ids
}

#[test]
fn the_problem_list_searches_filters_and_sorts_without_javascript() {
    let (_keep, data) = data_dir();
    let ada = add_user(&data, "ada", "candidate");
    let bob = add_user(&data, "bob", "candidate");
    let server = Server::start(&data);
    let judged = |token: &str, body: String| {
        let (status, s) = post(&server.api("/submissions?wait=true"), token, &body);
        assert_eq!(status, 201, "{s}");
        assert_eq!(s["status"], "done", "{s}");
    };
    // t-value: ada's accepted, bob's not (1 of 2 accepted); ada tried knn (a run).
    judged(&ada, submission("t-value", &source(T_VALUE_AC)));
    judged(&bob, submission("t-value", &source(T_VALUE_WA)));
    judged(
        &ada,
        json!({ "problem": "knn", "source": "fn broken(", "mode": "run" }).to_string(),
    );

    let mut browser = Client::new(&server);
    browser.sign_in(&[("token", &ada)]);
    let all = browser.get("/problems");
    assert_eq!(all.status, 200);
    let ids = bank_ids();
    assert_eq!(shown(&all.body).len(), ids.len(), "{}", all.body);
    // Sorted by title by default, whatever the case of the titles.
    let titles: Vec<String> = all
        .body
        .split(" data-title=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_lowercase())
        .collect();
    let mut sorted = titles.clone();
    sorted.sort();
    assert_eq!(titles, sorted);
    // Progress: solved of all, and by difficulty, in words.
    let easy = ids
        .iter()
        .filter(|id| {
            std::fs::read_to_string(crate::repo().join("problems").join(id).join("problem.toml"))
                .unwrap()
                .contains("difficulty = \"easy\"")
        })
        .count();
    for words in [
        format!("Solved 1 of {}", ids.len()),
        format!("Easy</span> 1 of {easy} solved"),
        "Showing all".to_string(),
    ] {
        assert!(all.body.contains(&words), "no {words:?} in:\n{}", all.body);
    }

    // Search by id, by a word of the title and by a tag, as the form sends it.
    let searched =
        |q: &str, browser: &mut Client| shown(&browser.get(&format!("/problems?q={q}")).body);
    assert_eq!(searched("t-value", &mut browser), ["t-value"]);
    assert_eq!(searched("cheese", &mut browser), ["impute-median-price"]);
    assert_eq!(searched("SCIPY", &mut browser), ["t-value"]);
    assert_eq!(searched("pandas+median", &mut browser).len(), 2);

    // Filters, combined; an empty field is "any".
    let list =
        |query: &str, browser: &mut Client| shown(&browser.get(&format!("/problems?{query}")).body);
    let hard = list("difficulty=hard&q=&tag=&state=", &mut browser);
    assert_eq!(hard, ["decision-tree", "grid-search-knn"]);
    let easy_statistics = list("difficulty=easy&tag=statistics", &mut browser);
    assert_eq!(easy_statistics.len(), 3, "{easy_statistics:?}");
    assert!(easy_statistics.contains(&"t-value".to_string()));
    assert_eq!(list("state=solved", &mut browser), ["t-value"]);
    assert_eq!(list("state=tried", &mut browser), ["knn"]);
    assert_eq!(list("state=not-tried", &mut browser).len(), ids.len() - 2);
    let narrowed = browser.get("/problems?state=solved");
    assert!(narrowed.body.contains("Showing 1 of"), "{}", narrowed.body);
    assert!(narrowed.body.contains("Clear filters"));
    // Every row is still in the page (for the script), only hidden.
    assert_eq!(rows(&narrowed.body).len(), ids.len());

    // Sorts: acceptance (t-value the only one judged, so first whichever way), difficulty,
    // state; the column headings link to the other order.
    let by_acceptance = browser.get("/problems?sort=acceptance&order=desc");
    assert_eq!(shown(&by_acceptance.body)[0], "t-value");
    assert!(by_acceptance.body.contains("50%"), "{}", by_acceptance.body);
    assert!(by_acceptance.body.contains("1 of 2 submissions accepted"));
    assert!(by_acceptance.body.contains("aria-sort=\"descending\""));
    assert!(
        by_acceptance
            .body
            .contains("href=\"/problems?order=asc&amp;sort=acceptance\""),
        "{}",
        by_acceptance.body
    );
    assert_eq!(
        shown(&browser.get("/problems?sort=acceptance&order=asc").body)[0],
        "t-value"
    );
    let by_difficulty = shown(&browser.get("/problems?sort=difficulty&order=desc").body);
    assert_eq!(by_difficulty[..2], ["decision-tree", "grid-search-knn"]);
    let by_state = shown(&browser.get("/problems?sort=state&order=desc").body);
    assert_eq!(by_state[..2], ["t-value", "knn"]);

    // Nothing matches: said so, with the way back.
    let none = browser.get("/problems?q=no+such+problem+at+all");
    assert!(shown(&none.body).is_empty());
    assert!(none.body.contains("<p id=\"no-match\">"), "{}", none.body);
    assert!(none.body.contains("Show every problem"));
}

#[test]
fn the_favicon_is_served_and_kept_like_the_other_assets() {
    let (_keep, data) = data_dir();
    let server = Server::start(&data);
    let mut browser = Client::new(&server);
    let home = browser.get("/");
    let named = crate::web::asset_path(&home.body, "favicon.svg");
    assert!(
        home.body.contains(&format!(
            "<link rel=\"icon\" type=\"image/svg+xml\" href=\"{named}\">"
        )),
        "{}",
        home.body
    );
    // The page's icon (its address carries the assets' digest) and the address browsers
    // try by themselves: an SVG, kept a day, with the headers every answer has.
    for path in [named.as_str(), "/favicon.ico"] {
        let icon = browser.get(path);
        assert_eq!(icon.status, 200, "{path}");
        assert_eq!(icon.headers["content-type"], "image/svg+xml", "{path}");
        assert!(icon.body.starts_with("<svg"), "{path}: {}", icon.body);
        assert_eq!(
            icon.headers["cache-control"], "public, max-age=86400",
            "{path}"
        );
        assert_eq!(icon.headers["x-content-type-options"], "nosniff");
        assert!(icon.headers["content-security-policy"].contains("script-src 'self'"));
    }
}

#[test]
fn a_failed_sign_in_keeps_the_name_and_says_what_failed_but_not_who_exists() {
    let (_keep, data) = data_dir();
    let (ok, said) = crate::web::judge_user(
        &["add", "ada", "--password-stdin"],
        &data,
        "correct horse battery\n",
    );
    assert!(ok, "{said}");
    let server = Server::start(&data);
    let mut browser = Client::new(&server);

    // A wrong password for a user and any password for a name nobody has read the same,
    // with the name kept and the cursor in the password.
    let wrong = browser.sign_in(&[("name", "ada"), ("password", "wrong horse")]);
    let nobody = browser.sign_in(&[("name", "adb"), ("password", "wrong horse")]);
    assert_eq!((wrong.status, nobody.status), (401, 401));
    assert!(
        wrong.body.contains("That name and password do not match."),
        "{}",
        wrong.body
    );
    assert!(
        wrong.body.contains("name=\"name\" value=\"ada\""),
        "{}",
        wrong.body
    );
    assert!(
        wrong.body.contains(
            "autocomplete=\"current-password\" aria-describedby=\"signin-error\" autofocus"
        ),
        "{}",
        wrong.body
    );
    let same_name = |body: &str| body.replace("value=\"adb\"", "value=\"ada\"");
    assert_eq!(same_name(&nobody.body), wrong.body);

    // A field left empty is named; nothing is checked.
    let cases = [
        (
            &[("name", ""), ("password", "")][..],
            "Enter your name and password, or your access token.",
        ),
        (
            &[("name", "ada"), ("password", "")][..],
            "Enter your password.",
        ),
        (
            &[("name", " "), ("password", "x")][..],
            "Enter your name as well as your password.",
        ),
    ];
    for (fields, words) in cases {
        let page = browser.sign_in(fields);
        assert_eq!(page.status, 400, "{fields:?}");
        assert!(page.body.contains(words), "{fields:?}: {}", page.body);
        assert!(page.set_cookie.is_empty());
    }
    let token = browser.sign_in(&[("name", "ada"), ("token", "not-a-token")]);
    assert_eq!(token.status, 401);
    assert!(token.body.contains("That access token is not known."));
    assert!(token.body.contains("value=\"ada\""));
    // The right password still signs in (five tries, so no wait yet).
    let signed = browser.sign_in(&[("name", "ada"), ("password", "correct horse battery")]);
    assert_eq!(signed.status, 303, "{}", signed.body);
}

#[test]
fn the_theme_is_set_before_the_page_is_drawn_without_an_inline_script() {
    let (_keep, data) = data_dir();
    let server = Server::start(&data);
    let home = Client::new(&server).get("/");
    // theme.js runs as the head is read (no defer, no async), so the body is first drawn in
    // the chosen theme; a file, since the CSP allows no inline script.
    let theme = crate::web::asset_path(&home.body, "theme.js");
    let tag = format!("<script src=\"{theme}\"></script>");
    let head_end = home.body.find("</head>").unwrap();
    assert!(
        home.body[..head_end].contains(&tag),
        "{tag} not in the head:\n{}",
        home.body
    );
    assert!(!home.body.contains("<script>"), "{}", home.body);
    let csp = &home.headers["content-security-policy"];
    let scripts = csp
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src"));
    assert_eq!(scripts, Some("script-src 'self'"), "{csp}");
}
