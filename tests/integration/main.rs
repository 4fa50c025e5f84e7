//! Integration tests: the real `judge` binary on the real bank and on fixture folders.
//! Each test reads as: run the judge with these arguments, expect this exit code and text.

mod authoring;
mod bank;
mod browser;
mod cache;
mod cgroup2;
mod checkers;
mod cli;
#[path = "../support/cluster.rs"]
mod cluster;
mod complexity;
mod deploy;
mod interview;
mod interviews_served;
mod kattis;
mod kattis_languages;
mod languages;
mod layers;
mod malformed;
mod page_checks;
mod postgres;
mod problems;
mod python;
mod redteam;
mod redteam_languages;
mod redteam_python;
mod report_json;
mod serve;
mod serve_analysis;
mod serve_kattis;
mod serve_languages;
mod serve_redteam;
mod show;
mod similarity;
mod solutions;
mod terminal;
mod web;
mod web_browser;
mod web_enhanced;
mod web_languages;
mod web_look;
mod web_measure;
mod web_pages;

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn from_output(out: &std::process::Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    #[track_caller]
    pub fn code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn stdout_has(&self, text: &str) -> &Self {
        assert!(
            self.stdout.contains(text),
            "stdout lacks {text:?}:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    #[track_caller]
    pub fn stdout_lacks(&self, text: &str) -> &Self {
        assert!(
            !self.stdout.contains(text),
            "stdout has {text:?}:\n{}",
            self.stdout
        );
        self
    }

    #[track_caller]
    pub fn stderr_has(&self, text: &str) -> &Self {
        assert!(
            self.stderr.contains(text),
            "stderr lacks {text:?}:\n{}\nstdout:\n{}",
            self.stderr,
            self.stdout
        );
        self
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", self.stdout))
    }
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(path: &str) -> String {
    repo()
        .join("tests/fixtures")
        .join(path)
        .display()
        .to_string()
}

/// Runs the judge from the repository root with a cache shared by all tests (the runtime
/// crates are built once for the whole suite).
pub fn judge(args: &[&str]) -> Run {
    judge_in(&repo(), args)
}

/// The cache shared by the tests.
pub fn shared_cache() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("judge-cache")
}

/// The user data folder of the tests' judges: a judge run outside a bank unpacks its bundled
/// bank there, never into the home of whoever runs the tests.
pub fn shared_data_home() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("judge-data")
}

pub fn judge_in(dir: &Path, args: &[&str]) -> Run {
    judge_with(dir, &shared_cache(), args, &[])
}

/// Runs the judge from the repository root with its own cache and extra environment.
pub fn judge_with_cache(cache: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    judge_with(&repo(), cache, args, env)
}

fn judge_with(dir: &Path, cache: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_judge"))
        .args(args)
        .current_dir(dir)
        .env("JUDGE_CACHE_DIR", cache)
        .env("XDG_DATA_HOME", shared_data_home())
        .env_remove("JUDGE_BANK")
        .env_remove("JUDGE_CACHE_MAX")
        .envs(env.iter().copied())
        .output()
        .expect("the judge binary runs");
    Run::from_output(&out)
}
