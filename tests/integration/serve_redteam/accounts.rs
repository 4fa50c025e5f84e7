//! Accounts and sign-in under attack: an interview link starts nothing by itself, a
//! password guesser slows only itself, and one account holds a bounded number of streams.

use std::time::Duration;

use serde_json::{json, Value};

use super::client::{add_with_password, agent, fetch, form_from, interview, now_ms, FLAGS};
use crate::serve::{add_user, data_dir, eventually, get, post, source, Server, T_VALUE_AC};

// 6. Joining an interview.

#[test]
fn an_interview_link_starts_nothing_until_its_own_page_posts_it() {
    let (_keep, data) = data_dir();
    let ivy = add_user(&data, "ivy", "interviewer");
    let server = Server::start_with(&data, FLAGS);
    let (id, token, key, _) =
        interview(&server, &ivy, &json!({"pick": ["t-value"], "minutes": 45}));
    let state = || {
        let page = fetch(agent().get(&format!("{}/api/v1/interviews/{id}?key={key}", server.url)));
        serde_json::from_str::<Value>(&page.body).unwrap()
    };
    // Opened, previewed, prefetched: a page with a button, no session, no clock.
    for _ in 0..2 {
        let page = fetch(agent().get(&format!(
            "{}/interviews/{id}/join?token={token}",
            server.url
        )));
        assert_eq!(page.status, 200);
        assert_eq!(page.header("set-cookie"), "");
        assert!(page.body.contains("Start the interview"), "{}", page.body);
    }
    assert_eq!(state()["started_ms"], Value::Null);
    // Another site's form, posting the link's token: refused, nothing starts.
    let path = format!("/interviews/{id}/join");
    for forged in [
        "Sec-Fetch-Site: cross-site\r\nOrigin: https://evil.example\r\n",
        "Origin: https://evil.example\r\n",
        "Origin: null\r\n",
    ] {
        let refused = form_from(&server, "127.0.0.1", &path, &[("token", &token)], forged);
        assert_eq!(refused.status, 403, "{forged}: {}", refused.body);
        assert_eq!(refused.header("set-cookie"), "", "{forged}");
    }
    assert_eq!(state()["started_ms"], Value::Null);
    // The page's own button: signed in, the clock runs.
    let host = server.url.trim_start_matches("http://");
    let mine = format!("Sec-Fetch-Site: same-origin\r\nOrigin: http://{host}\r\n");
    let joined = form_from(&server, "127.0.0.1", &path, &[("token", &token)], &mine);
    assert_eq!(joined.status, 303, "{}", joined.body);
    assert!(joined.header("set-cookie").contains("judge_session="));
    assert!(state()["started_ms"].is_i64());
}

// 7. Guessing passwords.

#[test]
fn a_guesser_slows_only_itself_and_never_locks_the_user_out() {
    let (_keep, data) = data_dir();
    add_with_password(&data, "ada", "correct horse battery");
    let server = Server::start_with(&data, FLAGS);
    let sign_in = |from: &str, password: &str| {
        form_from(
            &server,
            from,
            "/signin",
            &[("name", "ada"), ("password", password)],
            "",
        )
    };
    let mut statuses = Vec::new();
    let mut waits = Vec::new();
    for n in 0..12 {
        let tried = sign_in("127.0.0.1", &format!("guess {n}"));
        statuses.push(tried.status);
        if tried.status == 429 {
            assert!(
                tried.body.contains("Too many wrong passwords"),
                "{}",
                tried.body
            );
            waits.push(tried.header("retry-after").parse::<u64>().unwrap());
        }
    }
    assert_eq!(statuses[..5], [401; 5], "{statuses:?}");
    assert!(
        statuses[5..].iter().all(|s| *s == 429),
        "slowed after five: {statuses:?}"
    );
    assert!(
        waits.iter().all(|w| (1..=60).contains(w)),
        "a bounded wait: {waits:?}"
    );
    // The right password from the guesser's address waits too...
    assert_eq!(sign_in("127.0.0.1", "correct horse battery").status, 429);
    // ...but the user, from its own address, signs in at once.
    let user = sign_in("127.0.0.2", "correct horse battery");
    assert_eq!(user.status, 303, "{}", user.body);
    assert!(user.header("set-cookie").contains("judge_session="));
}

// 8. Event streams per account.

#[test]
fn one_account_holds_a_bounded_number_of_event_streams() {
    let (_keep, data) = data_dir();
    let ada = add_user(&data, "ada", "candidate");
    let ann = add_user(&data, "ann", "author");
    let server = Server::start_with(&data, &["--rate", "1000000", "--workers", "1"]);
    // One worker busy for a long while, and a submission waiting behind it.
    let hog =
        "pub fn t_value(var: Vec<f64>, mu0: f64) -> f64 { loop { std::hint::black_box(&var); } }";
    let (status, _) = post(
        &server.api("/submissions"),
        &ada,
        &json!({"problem": "t-value", "source": format!("// {}\n{hog}", now_ms())}).to_string(),
    );
    assert_eq!(status, 201);
    let (_, waiting) = post(
        &server.api("/submissions"),
        &ada,
        &json!({"problem": "t-value", "source": source(T_VALUE_AC)}).to_string(),
    );
    let url = server.api(&format!("/submissions/{}/events", waiting["id"]));
    // The answer whatever its status; its body is not read, so a stream stays open.
    let open = |token: &str| match ureq::get(&url)
        .set("Authorization", &format!("Bearer {token}"))
        .call()
    {
        Ok(r) | Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("no answer: {e}"),
    };
    let mut held = Vec::new();
    for n in 0..16 {
        let stream = open(&ada);
        assert_eq!(stream.status(), 200, "stream {n}");
        held.push(stream);
    }
    let refused = open(&ada);
    assert_eq!(refused.status(), 429, "a 17th stream was opened");
    assert!(refused.header("retry-after").is_some());
    let said: Value = refused.into_json().unwrap();
    assert!(
        said["error"]
            .as_str()
            .unwrap()
            .contains("event streams open"),
        "{said}"
    );
    assert_eq!(
        get(
            &server.api(&format!("/submissions/{}", waiting["id"])),
            &ada
        )
        .1["status"],
        "queued",
        "the streams were all open together"
    );
    // Per account: another holds its own.
    assert_eq!(open(&ann).status(), 200);
    // A closed stream gives its place back.
    drop(held.pop());
    let again = eventually(
        Duration::from_mins(1),
        "a closed stream kept its place",
        |_| {
            let again = open(&ada);
            (again.status() == 200).then_some(again)
        },
    );
    held.push(again);
}
