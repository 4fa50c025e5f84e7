//! Keeping the cache bounded: what it holds by kind (`judge cache`), which entries go, least
//! recently used first (`judge cache prune`), and the cap every judging command enforces.
//!
//! An entry is what is removed as one: a build (`builds/<xx>/<key>/`), a harness library
//! (`harness/<key>/`), or one file under `answers/`, `inputs/<generator>/` or `reports/`. Its
//! last use is its mtime, which every cache hit touches (atime is unreliable under relatime
//! and noatime). `runtime/` is never pruned: rebuilding it runs cargo over ndarray and
//! serde_json. `tmp/` holds the work dirs of boxes running now. An entry used in the last
//! minute is kept too: another judge may be running it.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::cache::{Cache, CAP_STAMP};
use judge_sandbox::remove_tree;

/// The cap when `JUDGE_CACHE_MAX` is not set.
pub const DEFAULT_CAP: u64 = 4 << 30;
/// An entry used more recently than this may be in use by another judge.
pub const IN_USE: Duration = Duration::from_mins(1);
/// The automatic cap walks the cache at most this often (unless a large build was stored).
const CHECK_INTERVAL: Duration = Duration::from_mins(10);

#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("cache at {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("JUDGE_CACHE_MAX: {0} (or 0 or off for no cap)")]
    BadCap(SizeError),
}

#[derive(Debug, thiserror::Error)]
#[error("expected a size such as 500M, 2G, 1.5GiB, 800K or a number of bytes, not {0:?}")]
pub struct SizeError(String);

/// Parses a size: a number of bytes, or a number (fractions allowed) with a unit K, M, G or
/// T, also spelled KB/KiB and so on; every unit is a power of 1024.
pub fn parse_size(text: &str) -> Result<u64, SizeError> {
    let bad = || SizeError(text.to_string());
    let trimmed = text.trim();
    let split = trimmed
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(split);
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        "t" | "tb" | "tib" => 40,
        _ => return Err(bad()),
    };
    if number.is_empty() || number.starts_with('.') {
        return Err(bad());
    }
    if let Ok(whole) = number.parse::<u64>() {
        return whole.checked_mul(1 << shift).ok_or_else(bad);
    }
    let value = number.parse::<f64>().map_err(|_| bad())? * (1u64 << shift) as f64;
    if !value.is_finite() || value >= u64::MAX as f64 {
        return Err(bad());
    }
    Ok(value.round() as u64)
}

/// A size for people: "812 B", "3.4 MiB", "1.50 GiB".
pub fn format_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// The cap `JUDGE_CACHE_MAX` asks for: `None` when it is 0 or `off`.
pub fn cap_from_env() -> Result<Option<u64>, CacheError> {
    let Some(text) = std::env::var_os("JUDGE_CACHE_MAX") else {
        return Ok(Some(DEFAULT_CAP));
    };
    let text = text.to_string_lossy();
    if text.trim().eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    let cap = parse_size(&text).map_err(CacheError::BadCap)?;
    Ok((cap > 0).then_some(cap))
}

/// What part of the cache a path belongs to: its first component.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Runtime,
    Harness,
    Builds,
    Answers,
    Inputs,
    Reports,
    Tmp,
    /// Anything else in the cache root (the cap check's stamp).
    Other,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Runtime,
        Kind::Harness,
        Kind::Builds,
        Kind::Answers,
        Kind::Inputs,
        Kind::Reports,
        Kind::Tmp,
        Kind::Other,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Runtime => "runtime",
            Kind::Harness => "harness",
            Kind::Builds => "builds",
            Kind::Answers => "answers",
            Kind::Inputs => "inputs",
            Kind::Reports => "reports",
            Kind::Tmp => "tmp",
            Kind::Other => "other",
        }
    }

    fn of_dir(name: &str) -> Kind {
        Kind::ALL
            .into_iter()
            .find(|k| k.name() == name && *k != Kind::Other)
            .unwrap_or(Kind::Other)
    }

    /// How deep below the kind's folder one entry sits.
    fn entry_depth(self) -> usize {
        match self {
            Kind::Builds | Kind::Inputs => 2,
            _ => 1,
        }
    }

    pub fn prunable(self) -> bool {
        matches!(
            self,
            Kind::Harness | Kind::Builds | Kind::Answers | Kind::Inputs | Kind::Reports
        )
    }
}

/// One entry of the cache.
#[derive(Debug, Clone)]
pub struct Entry {
    pub path: PathBuf,
    pub kind: Kind,
    pub bytes: u64,
    pub last_used: SystemTime,
}

/// Every entry of one cache.
pub struct Usage {
    pub root: PathBuf,
    pub entries: Vec<Entry>,
}

impl Usage {
    pub fn total(&self) -> u64 {
        self.entries.iter().map(|e| e.bytes).sum()
    }

    /// (kind, entries, bytes) for every kind.
    pub fn by_kind(&self) -> Vec<(Kind, usize, u64)> {
        Kind::ALL
            .into_iter()
            .map(|kind| {
                let of_kind = self.entries.iter().filter(|e| e.kind == kind);
                (
                    kind,
                    of_kind.clone().count(),
                    of_kind.map(|e| e.bytes).sum(),
                )
            })
            .collect()
    }
}

/// Walks the cache once (a missing cache is an empty one).
pub fn scan(cache: &Cache) -> Result<Usage, CacheError> {
    let root = cache.root();
    let io_err = |source| CacheError::Io {
        path: root.to_path_buf(),
        source,
    };
    let mut entries = Vec::new();
    let children = match fs::read_dir(root) {
        Ok(c) => c,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(Usage {
                root: root.to_path_buf(),
                entries,
            })
        }
        Err(e) => return Err(io_err(e)),
    };
    for child in children {
        let child = child.map_err(io_err)?;
        let kind = Kind::of_dir(&child.file_name().to_string_lossy());
        let is_dir = child.file_type().map_err(io_err)?.is_dir();
        if kind == Kind::Other || !is_dir {
            entries.push(entry(child.path(), Kind::Other).map_err(io_err)?);
        } else {
            collect(&child.path(), kind, kind.entry_depth(), &mut entries).map_err(io_err)?;
        }
    }
    Ok(Usage {
        root: root.to_path_buf(),
        entries,
    })
}

/// The entries `depth` levels below `dir` (the depth is at most two: no deep recursion).
fn collect(dir: &Path, kind: Kind, depth: usize, out: &mut Vec<Entry>) -> io::Result<()> {
    for child in fs::read_dir(dir)? {
        let child = child?;
        let path = child.path();
        match entry(path.clone(), kind) {
            Ok(e) if depth <= 1 || !child.file_type()?.is_dir() => out.push(e),
            Ok(_) => collect(&path, kind, depth - 1, out)?,
            // Removed by another judge while this one looked.
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn entry(path: PathBuf, kind: Kind) -> io::Result<Entry> {
    let last_used = fs::symlink_metadata(&path)?.modified()?;
    let bytes = tree_size(&path)?;
    Ok(Entry {
        path,
        kind,
        bytes,
        last_used,
    })
}

/// Bytes of every file under `path`, symlinks not followed, walked without recursion.
/// What lies deeper than a path can name (PATH_MAX: a box can nest folders without end in
/// the work dir of a compile that a killed judge left in `tmp/`) is not counted: a size is
/// for people to read, and `judge cache` must not fail on what a box made.
fn tree_size(path: &Path) -> io::Result<u64> {
    let mut total = 0;
    let mut pending = vec![path.to_path_buf()];
    while let Some(p) = pending.pop() {
        let meta = match fs::symlink_metadata(&p) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) if p != path && e.raw_os_error() == Some(libc::ENAMETOOLONG) => continue,
            Err(e) => return Err(e),
        };
        if !meta.is_dir() {
            total += meta.len();
            continue;
        }
        match fs::read_dir(&p) {
            Ok(children) => {
                for child in children {
                    pending.push(child?.path());
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) if e.raw_os_error() == Some(libc::ENAMETOOLONG) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(total)
}

/// What pruning would do: the entries to remove (indices into the list, least recently used
/// first) and how many were kept only because they were used within `IN_USE` of `now`.
#[derive(Debug, PartialEq, Eq)]
pub struct Choice {
    pub remove: Vec<usize>,
    pub kept_in_use: usize,
}

/// Chooses entries to remove, least recently used first, until `total` is at most `max`.
/// Pure: `runtime/`, `tmp/` and entries used within `IN_USE` of `now` are never chosen.
pub fn choose(entries: &[Entry], total: u64, max: u64, now: SystemTime) -> Choice {
    let mut order: Vec<usize> = (0..entries.len())
        .filter(|&i| entries[i].kind.prunable())
        .collect();
    order.sort_by_key(|&i| entries[i].last_used);
    let mut left = total;
    let mut choice = Choice {
        remove: Vec::new(),
        kept_in_use: 0,
    };
    for i in order {
        if left <= max {
            break;
        }
        let e = &entries[i];
        // A clock set back makes the age an error: such an entry counts as in use.
        let in_use = now
            .duration_since(e.last_used)
            .map_or(true, |age| age < IN_USE);
        if in_use {
            choice.kept_in_use += 1;
            continue;
        }
        left = left.saturating_sub(e.bytes);
        choice.remove.push(i);
    }
    choice
}

/// What a prune did.
#[derive(Debug, serde::Serialize)]
pub struct Pruned {
    pub max_bytes: u64,
    pub removed: usize,
    pub removed_bytes: u64,
    pub kept: usize,
    pub kept_bytes: u64,
    pub kept_in_use: usize,
    pub runtime_bytes: u64,
}

/// Removes least recently used entries until the cache is at most `max` bytes.
pub fn prune(cache: &Cache, max: u64) -> Result<Pruned, CacheError> {
    let usage = scan(cache)?;
    let total = usage.total();
    let choice = choose(&usage.entries, total, max, SystemTime::now());
    let mut removed_bytes = 0;
    for &i in &choice.remove {
        let e = &usage.entries[i];
        match remove_tree(&e.path) {
            Ok(()) => {}
            Err(err) if err.kind() == io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(CacheError::Io {
                    path: e.path.clone(),
                    source,
                })
            }
        }
        removed_bytes += e.bytes;
        remove_empty_parent(&usage.root, e);
    }
    let runtime_bytes = usage
        .entries
        .iter()
        .filter(|e| e.kind == Kind::Runtime)
        .map(|e| e.bytes)
        .sum();
    Ok(Pruned {
        max_bytes: max,
        removed: choice.remove.len(),
        removed_bytes,
        kept: usage.entries.len() - choice.remove.len(),
        kept_bytes: total - removed_bytes,
        kept_in_use: choice.kept_in_use,
        runtime_bytes,
    })
}

/// A build's `builds/<xx>/` or a generator's `inputs/<id>-<key>/` left empty goes too.
fn remove_empty_parent(root: &Path, e: &Entry) {
    if e.kind.entry_depth() < 2 {
        return;
    }
    if let Some(parent) = e.path.parent().filter(|p| *p != root) {
        // Fails, as it should, when the folder still holds something.
        let _ = fs::remove_dir(parent);
    }
}

/// The cap after a judging command: walks the cache when the last check is older than
/// `CHECK_INTERVAL` (or a large build asked for one) and prunes it down to `cap` when over.
pub fn enforce_cap(cache: &Cache, cap: u64) -> Result<Option<Pruned>, CacheError> {
    let stamp = cache.path(CAP_STAMP);
    let checked = fs::metadata(&stamp).and_then(|m| m.modified());
    let recent = checked
        .ok()
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .is_some_and(|age| age < CHECK_INTERVAL);
    if recent || !cache.root().is_dir() {
        return Ok(None);
    }
    let io_err = |source| CacheError::Io {
        path: stamp.clone(),
        source,
    };
    let file = fs::File::create(&stamp).map_err(io_err)?;
    file.set_modified(SystemTime::now()).map_err(io_err)?;
    if scan(cache)?.total() <= cap {
        return Ok(None);
    }
    prune(cache, cap).map(Some)
}

/// `judge cache`: the location, the total and a row per kind.
pub fn render_usage(usage: &Usage, cap: Option<u64>) -> String {
    let cap = cap.map_or("none (JUDGE_CACHE_MAX=off)".to_string(), format_size);
    let mut out = format!(
        "cache: {}\ntotal: {}\ncap:   {cap}\n\n",
        usage.root.display(),
        format_size(usage.total())
    );
    let _ = writeln!(out, "{:<8}  {:>7}  {:>10}", "kind", "entries", "size");
    for (kind, count, bytes) in usage.by_kind() {
        if kind == Kind::Other && count == 0 {
            continue;
        }
        let name = match kind {
            Kind::Other => kind.name().to_string(),
            _ => format!("{}/", kind.name()),
        };
        let _ = writeln!(out, "{name:<8}  {count:>7}  {:>10}", format_size(bytes));
    }
    out
}

/// `judge cache --json`.
pub fn usage_json(usage: &Usage, cap: Option<u64>) -> serde_json::Value {
    let kinds: serde_json::Map<String, serde_json::Value> = usage
        .by_kind()
        .into_iter()
        .map(|(kind, entries, bytes)| {
            let row = serde_json::json!({ "entries": entries, "bytes": bytes });
            (kind.name().to_string(), row)
        })
        .collect();
    serde_json::json!({
        "root": usage.root,
        "total_bytes": usage.total(),
        "cap_bytes": cap,
        "kinds": kinds,
    })
}

/// `judge cache prune`: what went, what stayed and why.
pub fn render_pruned(p: &Pruned) -> String {
    let mut out = format!(
        "removed {} entries ({}), least recently used first\nkept {} entries ({}); limit {}\n",
        p.removed,
        format_size(p.removed_bytes),
        p.kept,
        format_size(p.kept_bytes),
        format_size(p.max_bytes)
    );
    if p.kept_in_use > 0 {
        let _ = writeln!(
            out,
            "kept {} entries used in the last {} s: another judge may be using them",
            p.kept_in_use,
            IN_USE.as_secs()
        );
    }
    let _ = writeln!(
        out,
        "runtime/ ({}) is never pruned: rebuilding it compiles ndarray and serde_json again",
        format_size(p.runtime_bytes)
    );
    if p.kept_bytes > p.max_bytes {
        out.push_str("the cache is still over the limit\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_binary_units() {
        assert_eq!(parse_size("500M").unwrap(), 500 << 20);
        assert_eq!(parse_size("2G").unwrap(), 2 << 30);
        assert_eq!(parse_size("1.5GiB").unwrap(), 3 << 29);
        assert_eq!(parse_size("800K").unwrap(), 800 << 10);
        assert_eq!(parse_size("800kb").unwrap(), 800 << 10);
        assert_eq!(parse_size("12345").unwrap(), 12345);
        assert_eq!(parse_size("7 B").unwrap(), 7);
        assert_eq!(parse_size("0").unwrap(), 0);
    }

    #[test]
    fn bad_sizes_are_refused() {
        for bad in [
            "",
            "M",
            "12X",
            "-1G",
            "1.2.3M",
            ".5G",
            "1e3",
            "99999999999T",
            "lots",
        ] {
            assert!(parse_size(bad).is_err(), "{bad:?} parsed");
        }
        let e = parse_size("12X").unwrap_err().to_string();
        assert!(e.contains("500M") && e.contains("\"12X\""), "{e}");
    }

    #[test]
    fn sizes_format_for_people() {
        assert_eq!(format_size(812), "812 B");
        assert_eq!(format_size(3 << 29), "1.5 GiB");
        assert_eq!(format_size(10 << 10), "10.0 KiB");
    }

    fn at(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    }

    fn e(kind: Kind, bytes: u64, last_used: u64) -> Entry {
        Entry {
            path: PathBuf::from(format!("{}-{last_used}", kind.name())),
            kind,
            bytes,
            last_used: at(last_used),
        }
    }

    #[test]
    fn least_recently_used_go_first_until_under_the_limit() {
        let entries = [
            e(Kind::Builds, 100, 3000),
            e(Kind::Reports, 100, 1000),
            e(Kind::Answers, 100, 2000),
            e(Kind::Harness, 100, 4000),
        ];
        let choice = choose(&entries, 400, 200, at(10_000));
        assert_eq!(choice.remove, vec![1, 2]);
        assert_eq!(choice.kept_in_use, 0);
        assert_eq!(
            choose(&entries, 400, 400, at(10_000)).remove,
            Vec::<usize>::new()
        );
    }

    #[test]
    fn entries_used_in_the_last_minute_are_kept() {
        let entries = [e(Kind::Builds, 100, 9_950), e(Kind::Inputs, 100, 9_000)];
        let choice = choose(&entries, 200, 0, at(10_000));
        assert_eq!(choice.remove, vec![1]);
        assert_eq!(choice.kept_in_use, 1);
        // A last use in the future (a clock set back) also counts as in use.
        let future = [e(Kind::Builds, 100, 20_000)];
        assert_eq!(choose(&future, 100, 0, at(10_000)).kept_in_use, 1);
    }

    #[test]
    fn runtime_and_tmp_are_never_chosen() {
        let entries = [
            e(Kind::Runtime, 1000, 1),
            e(Kind::Tmp, 1000, 1),
            e(Kind::Other, 10, 1),
            e(Kind::Builds, 100, 2),
        ];
        let choice = choose(&entries, 2110, 0, at(10_000));
        assert_eq!(choice.remove, vec![3]);
    }

    #[test]
    fn trees_are_removed_without_following_symlinks() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside");
        fs::write(&outside, b"keep").unwrap();
        let mut deep = dir.path().join("entry");
        for _ in 0..200 {
            deep.push("d");
        }
        fs::create_dir_all(&deep).unwrap();
        fs::write(deep.join("f"), b"x").unwrap();
        std::os::unix::fs::symlink(dir.path(), deep.join("up")).unwrap();
        std::os::unix::fs::symlink(&outside, dir.path().join("entry/link")).unwrap();
        assert!(tree_size(&dir.path().join("entry")).unwrap() > 0);
        remove_tree(&dir.path().join("entry")).unwrap();
        assert!(!dir.path().join("entry").exists());
        assert_eq!(fs::read(&outside).unwrap(), b"keep");
    }

    #[test]
    fn a_tree_deeper_than_a_path_can_name_is_counted_as_far_as_it_can() {
        use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
        let root = tempfile::tempdir().unwrap();
        let cache = Cache::at(root.path());
        let work = root.path().join("tmp/box-deep");
        fs::create_dir_all(&work).unwrap();
        fs::write(work.join("f"), b"12345").unwrap();
        // 3000 levels of "dd/": 9000 bytes of path, over PATH_MAX (4096).
        let open = |at: i32, name: &std::ffi::CStr| {
            // SAFETY: openat on a descriptor this test holds; the result is checked.
            let fd =
                unsafe { libc::openat(at, name.as_ptr(), libc::O_DIRECTORY | libc::O_CLOEXEC) };
            assert!(fd >= 0);
            // SAFETY: a descriptor just opened and owned by nothing else.
            unsafe { OwnedFd::from_raw_fd(fd) }
        };
        let top = std::ffi::CString::new(work.to_str().unwrap()).unwrap();
        let mut dir = open(libc::AT_FDCWD, &top);
        for _ in 0..3000 {
            // SAFETY: mkdirat on a descriptor this test holds.
            assert_eq!(
                unsafe { libc::mkdirat(dir.as_raw_fd(), c"dd".as_ptr(), 0o755) },
                0
            );
            dir = open(dir.as_raw_fd(), c"dd");
        }
        let usage = scan(&cache).expect("a deep tree does not fail the scan");
        assert!(usage.total() >= 5);
        remove_tree(&work).unwrap();
    }
}
