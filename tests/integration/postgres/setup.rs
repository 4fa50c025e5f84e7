//! What the PostgreSQL tests share: a cluster of the test's own (or a loud skip), a server
//! on it, `judge worker` processes, and looks into the database and the metrics.

use std::path::PathBuf;
use std::process::Command;

use judge::service::store::{Mode, NewSubmission};

use crate::cluster::Cluster;
use crate::serve::{add_user_with, Server};

/// A cluster of the test's own, or None (with a loud note) where PostgreSQL is not
/// installed; under CI=true a missing PostgreSQL fails the test instead.
pub(crate) fn cluster() -> Option<Cluster> {
    let cluster = Cluster::new();
    if cluster.is_none() {
        assert!(
            std::env::var_os("CI").is_none_or(|v| v != "true"),
            "PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb), and CI=true requires it"
        );
        eprintln!("SKIPPED: PostgreSQL is not installed (apt-get install postgresql); the PostgreSQL tests did not run");
    }
    cluster
}

/// A cluster, a candidate's token, and a server on it (`answering`: one that only answers,
/// `--workers 0`, while worker processes judge).
pub(crate) struct Answering {
    pub(crate) cluster: Cluster,
    pub(crate) data: tempfile::TempDir,
    pub(crate) url: String,
    pub(crate) token: String,
    pub(crate) server: Server,
}

pub(crate) fn answering() -> Option<Answering> {
    served(&["--workers", "0"])
}

/// `answering`, the server started with `flags` (and no rate limit).
pub(crate) fn served(flags: &[&str]) -> Option<Answering> {
    let cluster = cluster()?;
    let data = tempfile::tempdir().unwrap();
    let url = cluster.url();
    let token = add_user_with(&["--db", &url], data.path(), "ada", "candidate");
    let mut all = vec!["--rate", "1000000", "--db", &url];
    all.extend_from_slice(flags);
    let server = Server::start_with(data.path(), &all);
    Some(Answering {
        cluster,
        data,
        url,
        token,
        server,
    })
}

pub(crate) fn new(source: &str) -> NewSubmission {
    NewSubmission {
        problem: "t-value".into(),
        mode: Mode::Submit,
        source: source.into(),
        callback_url: None,
        input: None,
        problem_version: None,
        complexity: false,
        language: "rust".into(),
    }
}

/// A `judge worker` process on the cluster's database, killed when dropped (a failing test
/// leaves none behind), with what it said at start: its id, and its health address.
pub(crate) struct Worker {
    pub(crate) child: std::process::Child,
    pub(crate) log: tempfile::NamedTempFile,
    pub(crate) id: String,
    pub(crate) listen: Option<String>,
}

impl Worker {
    /// What the worker wrote on stderr so far.
    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap_or_default()
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn worker(url: &str) -> Worker {
    worker_with(url, &[])
}

/// A worker with more flags (`--listen 127.0.0.1:0`); waits until it says it judges.
pub(crate) fn worker_with(url: &str, flags: &[&str]) -> Worker {
    use std::io::BufRead;
    let log = tempfile::NamedTempFile::new().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_judge"))
        .args(["worker", "--jobs", "1", "--db", url])
        .args(flags)
        .env("JUDGE_CACHE_DIR", crate::shared_cache())
        .env("XDG_DATA_HOME", crate::shared_data_home())
        .env("JUDGE_BANK", crate::repo())
        .stdout(std::process::Stdio::piped())
        .stderr(log.reopen().unwrap())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let log_text = || std::fs::read_to_string(log.path()).unwrap_or_default();
    let id = line
        .strip_prefix("worker ")
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or_else(|| panic!("judge worker said {line:?}: {}", log_text()))
        .to_string();
    let listen = flags.contains(&"--listen").then(|| {
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        line.trim()
            .strip_prefix("health and metrics on http://")
            .unwrap_or_else(|| panic!("judge worker said {line:?}"))
            .to_string()
    });
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    Worker {
        child,
        log,
        id,
        listen,
    }
}

/// The worker process holding a lease right now, by its pid (a job's holder is
/// `<worker id>/<task>`, and the worker's row has its pid).
pub(crate) fn a_busy_worker(client: &mut postgres::Client) -> Option<u32> {
    let rows = client
        .query(
            "SELECT w.pid FROM jobs j JOIN workers w ON j.worker LIKE w.name || '/%' WHERE j.lease_until_ms IS NOT NULL",
            &[],
        )
        .unwrap();
    rows.iter()
        .find_map(|r| u32::try_from(r.get::<_, i64>(0)).ok())
}

/// Ends every connection of worker `id` on the server (`pg_terminate_backend`); how many.
pub(crate) fn end_connections(watch: &mut postgres::Client, id: &str) -> usize {
    watch
        .query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
            &[&format!("judge worker {id}")],
        )
        .unwrap()
        .len()
}

/// A column of submission `id`'s row, read on the database itself.
pub(crate) fn stored(watch: &mut postgres::Client, id: i64, column: &str) -> Option<i64> {
    watch
        .query_one(
            &format!("SELECT {column} FROM submissions WHERE id = $1"),
            &[&id],
        )
        .unwrap()
        .get(0)
}

pub(crate) fn scrape(url: &str) -> String {
    ureq::get(url).call().unwrap().into_string().unwrap()
}

/// Copies `from` into `to`, folders and all.
pub(crate) fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file under `dir`.
pub(crate) fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        if entry.path().is_dir() {
            files.extend(walk(&entry.path()));
        } else {
            files.push(entry.path());
        }
    }
    files
}
