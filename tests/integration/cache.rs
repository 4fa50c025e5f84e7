//! The cache: who owns what is in it, `judge cache`, pruning and the automatic cap. Each test
//! has a cache of its own (pruning one must not disturb the others), which borrows the shared
//! cache's runtime through its artifacts record instead of building it again.

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use crate::{fixture, judge, judge_with_cache, shared_cache};

const BASE: &str = "base";

fn base() -> String {
    fixture(&format!("problems/{BASE}"))
}

/// A new, empty test folder holding `cache/` (which knows the shared runtime) and room for
/// solution files.
fn fresh(name: &str) -> PathBuf {
    static RUNTIME: OnceLock<()> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        let reference = format!("{}/reference.rs", base());
        judge(&["run", &base(), &reference]).code(0);
    });
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cache-tests")
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    for runtime in fs::read_dir(shared_cache().join("runtime")).unwrap() {
        let runtime = runtime.unwrap().path();
        let record = runtime.join("artifacts.json");
        if record.is_file() {
            let copy = dir.join("cache/runtime").join(runtime.file_name().unwrap());
            fs::create_dir_all(&copy).unwrap();
            fs::copy(&record, copy.join("artifacts.json")).unwrap();
        }
    }
    dir
}

/// A solution of the base problem whose source differs by `variant`.
fn solution(dir: &Path, variant: &str) -> String {
    let path = dir.join(format!("add_one_{variant}.rs"));
    let source = format!(
        "// {variant}\npub fn add_one(xs: Vec<i64>) -> Vec<i64> {{\n    xs.into_iter().map(|x| x + 1).collect()\n}}\n"
    );
    fs::write(&path, source).unwrap();
    path.display().to_string()
}

/// Every path under `root`, itself included (symlinks not followed).
fn walk(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(p) = pending.pop() {
        if fs::symlink_metadata(&p).is_ok_and(|m| m.is_dir()) {
            pending.extend(fs::read_dir(&p).unwrap().map(|c| c.unwrap().path()));
        }
        found.push(p);
    }
    found
}

fn set_mtime(path: &Path, ago: Duration) {
    fs::File::open(path)
        .unwrap()
        .set_modified(SystemTime::now() - ago)
        .unwrap();
}

fn usage(cache: &Path) -> serde_json::Value {
    judge_with_cache(cache, &["cache", "--json"], &[])
        .code(0)
        .json()
}

fn builds(cache: &Path) -> Vec<PathBuf> {
    walk(&cache.join("builds"))
        .into_iter()
        .filter(|p| p.join("solution").is_file())
        .collect()
}

#[test]
fn cached_builds_belong_to_the_judge_and_only_it_may_write_them() {
    let dir = fresh("ownership");
    let cache = dir.join("cache");
    let sol = solution(&dir, "owned");
    judge_with_cache(&cache, &["submit", &base(), &sol], &[]).code(0);
    // SAFETY: geteuid has no preconditions.
    let uid = unsafe { libc::geteuid() };
    let mut binaries = 0;
    for part in ["builds", "harness"] {
        for path in walk(&cache.join(part)) {
            let meta = fs::symlink_metadata(&path).unwrap();
            assert_eq!(meta.uid(), uid, "{} is not the judge's", path.display());
            assert_eq!(
                meta.mode() & 0o022,
                0,
                "{} is writable by others",
                path.display()
            );
            assert!(!meta.file_type().is_symlink(), "{}", path.display());
            if path.ends_with("solution") {
                assert_eq!(meta.mode() & 0o777, 0o755, "{}", path.display());
                binaries += 1;
            }
        }
    }
    assert!(binaries >= 1, "no binary was cached");
}

#[test]
fn binaries_too_large_to_cache_are_judged_from_a_temporary_directory() {
    let dir = fresh("outsized");
    let cache = dir.join("cache");
    let sol = fixture("solutions/add_one_big_static.rs");
    judge_with_cache(&cache, &["submit", &base(), &sol], &[])
        .code(0)
        .stdout_has("verdict: AC");
    for path in walk(&cache) {
        let len = fs::symlink_metadata(&path).unwrap().len();
        assert!(len <= 64 << 20, "{} ({len} bytes) stayed", path.display());
    }
}

#[test]
fn cache_shows_its_size_by_kind() {
    let dir = fresh("show");
    let cache = dir.join("cache");
    let sol = solution(&dir, "shown");
    judge_with_cache(&cache, &["submit", &base(), &sol], &[]).code(0);
    let text = judge_with_cache(&cache, &["cache"], &[]);
    text.code(0)
        .stdout_has(&format!("cache: {}", cache.display()));
    for kind in [
        "runtime/", "harness/", "builds/", "answers/", "inputs/", "reports/", "tmp/",
    ] {
        text.stdout_has(kind);
    }
    let json = usage(&cache);
    // The solution and the reference, which made the expected answers.
    assert_eq!(json["kinds"]["builds"]["entries"], 2, "{json}");
    // The report, and the user's own record of the problem (`judge list`'s state).
    assert_eq!(json["kinds"]["reports"]["entries"], 2, "{json}");
    assert!(json["total_bytes"].as_u64().unwrap() > 0, "{json}");
}

/// A fake entry of `bytes` bytes last used `ago`.
fn fake(cache: &Path, relative: &str, file: Option<&str>, bytes: usize, ago: Duration) {
    let path = cache.join(relative);
    let data = vec![7u8; bytes];
    if let Some(name) = file {
        fs::create_dir_all(&path).unwrap();
        fs::write(path.join(name), data).unwrap();
    } else {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, data).unwrap();
    }
    set_mtime(&path, ago);
}

#[test]
fn prune_removes_least_recently_used_entries_first() {
    let dir = fresh("prune");
    let cache = dir.join("cache");
    let sol = solution(&dir, "pruned");
    judge_with_cache(&cache, &["submit", &base(), &sol], &[]).code(0);
    let hour = Duration::from_hours(1);
    let mib = 1 << 20;
    fake(&cache, "reports/old.json", None, mib, 3 * hour);
    fake(&cache, "builds/aa/aaaa", Some("solution"), mib, 2 * hour);
    fake(&cache, "builds/bb/bbbb", Some("solution"), mib, hour);
    let total = usage(&cache)["total_bytes"].as_u64().unwrap();
    let max = (total - 3 * mib as u64 / 2).to_string();
    judge_with_cache(&cache, &["cache", "prune", "--max-size", &max], &[])
        .code(0)
        .stdout_has("removed 2 entries (2.0 MiB)")
        .stdout_has("runtime/")
        .stdout_has("never pruned");
    assert!(!cache.join("reports/old.json").exists());
    assert!(
        !cache.join("builds/aa").exists(),
        "an emptied builds/aa stays"
    );
    assert!(cache.join("builds/bb/bbbb/solution").is_file());
    // Down to nothing: what the judging just used stays, and so does the runtime.
    judge_with_cache(&cache, &["cache", "prune", "--max-size", "0"], &[])
        .code(0)
        .stdout_has("removed 1 entries (1.0 MiB)")
        .stdout_has("used in the last 60 s")
        .stdout_has("still over the limit");
    assert!(!cache.join("builds/bb").exists());
    assert_eq!(
        builds(&cache).len(),
        2,
        "the solution's and the reference's"
    );
    assert!(cache.join("runtime").is_dir());
}

#[test]
fn bad_sizes_are_refused_naming_where_they_came_from() {
    let dir = fresh("bad-size");
    let cache = dir.join("cache");
    judge_with_cache(&cache, &["cache", "prune", "--max-size", "lots"], &[])
        .code(2)
        .stderr_has("--max-size")
        .stderr_has("500M");
    let sol = solution(&dir, "bad-cap");
    judge_with_cache(
        &cache,
        &["submit", &base(), &sol],
        &[("JUDGE_CACHE_MAX", "lots")],
    )
    .code(2)
    .stderr_has("JUDGE_CACHE_MAX");
}

#[test]
fn the_cap_removes_older_builds_after_a_judging() {
    let dir = fresh("cap");
    let cache = dir.join("cache");
    let small = [("JUDGE_CACHE_MAX", "1K")];
    let first = solution(&dir, "first");
    judge_with_cache(&cache, &["submit", &base(), &first], &small).code(0);
    let old = builds(&cache);
    assert_eq!(old.len(), 2, "the solution's and the reference's");
    // As if the first judging and the last cap check were an hour ago.
    for part in ["builds", "harness", "answers", "reports"] {
        for path in walk(&cache.join(part)) {
            set_mtime(&path, Duration::from_hours(1));
        }
    }
    set_mtime(&cache.join("last-cap-check"), Duration::from_hours(1));
    let before = usage(&cache);
    let old_bytes = before["kinds"]["builds"]["bytes"].as_u64().unwrap();
    let before = before["total_bytes"].as_u64().unwrap();
    let second = solution(&dir, "second");
    judge_with_cache(&cache, &["submit", &base(), &second], &small)
        .code(0)
        .stderr_has("over its cap");
    // The answers are cached now: the reference's build was not used either.
    for build in &old {
        assert!(!build.exists(), "{} stayed", build.display());
    }
    assert_eq!(builds(&cache).len(), 1);
    // The second judging linked the problem's harness library: that hit made it recent.
    assert_eq!(usage(&cache)["kinds"]["harness"]["entries"], 1);
    // Without the cap the second build would have added about as much as the first holds.
    let after = usage(&cache)["total_bytes"].as_u64().unwrap();
    assert!(
        after < before + old_bytes / 2,
        "{after} vs {before} + {old_bytes}"
    );
}

/// A cache moved to another folder (a volume mounted elsewhere, a restored backup) builds
/// its runtime again there, and cargo's crate hashes include the folder: the problem's
/// harness library, built against the old runtime, no longer links. The judge must build it
/// again, not blame every solution with "can't find crate for `judge_h`".
#[test]
fn a_cache_moved_to_another_folder_judges_as_before() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cache-tests/moved");
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    // A cache of its own, runtime included (not borrowed from the shared one as `fresh`'s).
    let before = dir.join("before");
    let first = solution(&dir, "first");
    judge_with_cache(&before, &["submit", &base(), &first], &[])
        .code(0)
        .stdout_has("verdict: AC");
    assert!(
        !walk(&before.join("harness")).is_empty(),
        "the first judging built no harness library"
    );
    let after = dir.join("after");
    fs::rename(&before, &after).unwrap();
    let second = solution(&dir, "second");
    judge_with_cache(&after, &["submit", &base(), &second], &[])
        .code(0)
        .stdout_has("verdict: AC");
}
