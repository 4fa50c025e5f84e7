//! The service on PostgreSQL as its operator sees it: database errors in words, nothing kept
//! in a folder, a pg_dump that restores and serves on, drafts per language.

use std::process::Command;

use judge::service::store::Store;

use super::setup::{cluster, served, walk, Answering};
use crate::serve::{post, source, submission, succeeded, Server, T_VALUE_AC};

#[test]
fn database_errors_name_what_failed_and_say_the_servers_words() {
    let Some(cluster) = cluster() else {
        return;
    };
    let missing = format!("postgres://judge@127.0.0.1:{}/no_such_db", cluster.port);
    let out = Command::new(env!("CARGO_BIN_EXE_judge"))
        .args(["workers", "--db", &missing])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("connect") && err.contains("database \"no_such_db\" does not exist"),
        "{err}"
    );
    // A schema newer than this judge's is refused, and left as it is.
    let url = cluster.url();
    drop(Store::connect(&url).unwrap());
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    admin
        .batch_execute("UPDATE judge_schema SET version = version + 1")
        .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_judge"))
        .args(["workers", "--db", &url])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("newer judge migrated it"), "{err}");
}

#[test]
fn a_server_on_postgres_keeps_nothing_in_a_folder() {
    let Some(cluster) = cluster() else {
        return;
    };
    let url = cluster.url();
    let home = tempfile::tempdir().unwrap();
    let said = succeeded(
        Command::new(env!("CARGO_BIN_EXE_judge"))
            .args(["user", "add", "ada", "--db", &url])
            .env("XDG_DATA_HOME", home.path()),
    );
    let token = said.split_whitespace().last().unwrap().to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_judge"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--workers",
            "1",
            "--db",
            &url,
        ])
        .env("JUDGE_CACHE_DIR", crate::shared_cache())
        .env("XDG_DATA_HOME", home.path())
        .env("JUDGE_BANK", crate::repo())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut lines = Vec::new();
    for _ in 0..2 {
        let mut line = String::new();
        std::io::BufRead::read_line(&mut out, &mut line).unwrap();
        lines.push(line);
    }
    let base = lines[0]
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_string();
    assert!(
        lines[1].contains("the database (settings: webhook_secret)"),
        "{lines:?}"
    );
    let (_, done) = post(
        &format!("{base}/api/v1/submissions?wait=true"),
        &token,
        &submission("t-value", &source(T_VALUE_AC)),
    );
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(done["report"]["verdict"], "AC", "{done}");
    let left: Vec<_> = walk(home.path());
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn a_pg_dump_restores_into_a_new_database_that_serves_on() {
    let Some(Answering {
        cluster,
        data,
        url,
        token,
        server,
    }) = served(&["--workers", "1"])
    else {
        return;
    };
    let (_, done) = post(
        &server.api("/submissions?wait=true"),
        &token,
        &submission("t-value", &source(T_VALUE_AC)),
    );
    assert_eq!(done["report"]["verdict"], "AC", "{done}");
    // As docs/operations.md says: a dump in the custom format while the server runs...
    let dump = data.path().join("judge.dump");
    let out = Command::new(cluster.program("pg_dump"))
        .args(["--format=custom", "--dbname", &url, "--file"])
        .arg(&dump)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    drop(server);
    // ... restored into a new database, which a server then serves.
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    admin.batch_execute("CREATE DATABASE restored").unwrap();
    let restored = format!("postgres://judge@127.0.0.1:{}/restored", cluster.port);
    let out = Command::new(cluster.program("pg_restore"))
        .args(["--no-owner", "--dbname", &restored])
        .arg(&dump)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let server = Server::start_with(
        data.path(),
        &["--rate", "1000000", "--db", &restored, "--workers", "1"],
    );
    let id = done["id"].as_i64().unwrap();
    let (status, back) = crate::serve::get(&server.api(&format!("/submissions/{id}")), &token);
    assert_eq!(status, 200, "{back}");
    assert_eq!(back["report"], done["report"]);
    // It goes on: a new submission gets the next id and is judged.
    let (_, next) = post(
        &server.api("/submissions?wait=true"),
        &token,
        &submission("t-value", &source(T_VALUE_AC)),
    );
    assert_eq!(next["id"].as_i64(), Some(id + 1), "{next}");
    assert_eq!(next["report"]["verdict"], "AC", "{next}");
}

/// Drafts are one per user, problem and language on PostgreSQL too (migration 0012 changed
/// the table's key there in place).
#[test]
fn drafts_are_kept_per_language_on_postgres() {
    if !crate::kattis_languages::installed(&["python"], "drafts_are_kept_per_language_on_postgres")
    {
        return;
    }
    let Some(a) = served(&[]) else {
        return;
    };
    let put = |body: serde_json::Value| {
        ureq::put(&a.server.api("/problems/t-value/draft"))
            .set("Authorization", &format!("Bearer {}", a.token))
            .send_json(body)
            .unwrap()
            .status()
    };
    assert_eq!(put(serde_json::json!({"source": "// one"})), 200);
    assert_eq!(
        put(serde_json::json!({"source": "# two", "language": "python"})),
        200
    );
    assert_eq!(put(serde_json::json!({"source": "// three"})), 200);
    let get = |query: &str| {
        crate::serve::get(
            &a.server.api(&format!("/problems/t-value/draft{query}")),
            &a.token,
        )
        .1
    };
    assert_eq!(get("?language=rust")["source"], "// three");
    assert_eq!(get("?language=python")["source"], "# two");
    assert_eq!(get("")["language"], "rust", "the newest");
}
