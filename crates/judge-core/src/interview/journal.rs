//! The session's durable record: an append-only file of lines `<checksum> <json>\n`.
//!
//! Each event is appended whole with one `write` and made durable (`fsync`) before the
//! command says it happened. A judge killed mid-append can leave only a torn last line
//! (no newline, or a checksum that does not match); loading drops it and the next append
//! cuts it off first, so the record is never corrupted and every event before it stays.
//! Appends hold an exclusive lock on the file, so two commands never interleave.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::InterviewError;

/// What loading found: the good events in order, and the lines it had to drop.
pub struct Loaded {
    pub events: Vec<serde_json::Value>,
    /// Line numbers (1-based) of dropped lines: a torn tail, or a damaged line.
    pub dropped: Vec<usize>,
    /// Bytes up to the end of the last good line.
    good_len: u64,
}

fn checksum(json: &str) -> String {
    crate::cache::hex(&Sha256::digest(json.as_bytes())[..8])
}

fn journal_error(path: &Path, source: std::io::Error) -> InterviewError {
    InterviewError::Journal {
        path: path.to_path_buf(),
        source,
    }
}

/// Reads every intact event of the journal at `path`.
pub fn load(path: &Path) -> Result<Loaded, InterviewError> {
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|e| journal_error(path, e))?;
    Ok(parse(&bytes))
}

fn parse(bytes: &[u8]) -> Loaded {
    let mut loaded = Loaded {
        events: Vec::new(),
        dropped: Vec::new(),
        good_len: 0,
    };
    let mut offset = 0usize;
    for (i, line) in bytes.split_inclusive(|b| *b == b'\n').enumerate() {
        offset += line.len();
        match parse_line(line) {
            Some(event) => {
                loaded.events.push(event);
                loaded.good_len = offset as u64;
            }
            None => loaded.dropped.push(i + 1),
        }
    }
    loaded
}

fn parse_line(line: &[u8]) -> Option<serde_json::Value> {
    let line = std::str::from_utf8(line.strip_suffix(b"\n")?).ok()?;
    let (sum, json) = line.split_once(' ')?;
    (checksum(json) == sum)
        .then(|| serde_json::from_str(json).ok())
        .flatten()
}

/// Creates the journal with its first event; fails if one exists.
pub fn create(path: &Path, event: &serde_json::Value) -> Result<(), InterviewError> {
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| journal_error(path, e))?;
    write_event(path, file, event)?;
    // The new file's directory entry must be durable too.
    if let Some(dir) = path.parent() {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| journal_error(path, e))?;
    }
    Ok(())
}

/// Appends one event durably, first cutting off a torn tail a killed judge left.
pub fn append(path: &Path, event: &serde_json::Value) -> Result<(), InterviewError> {
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(|e| journal_error(path, e))?;
    file.lock().map_err(|e| journal_error(path, e))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)
        .map_err(|e| journal_error(path, e))?;
    let loaded = parse(&bytes);
    if loaded.good_len < bytes.len() as u64 && loaded.dropped.len() == 1 {
        // Only a torn last line is cut; damage in the middle is left for a person to see.
        file.set_len(loaded.good_len)
            .map_err(|e| journal_error(path, e))?;
    }
    file.seek(SeekFrom::End(0))
        .map_err(|e| journal_error(path, e))?;
    write_event(path, file, event)
}

fn write_event(
    path: &Path,
    mut file: File,
    event: &serde_json::Value,
) -> Result<(), InterviewError> {
    let json = event.to_string();
    let line = format!("{} {json}\n", checksum(&json));
    file.write_all(line.as_bytes())
        .and_then(|()| file.sync_data())
        .map_err(|e| journal_error(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(json: &str) -> String {
        format!("{} {json}\n", checksum(json))
    }

    #[test]
    fn intact_lines_load_in_order() {
        let text = line(r#"{"a":1}"#) + &line(r#"{"b":2}"#);
        let l = parse(text.as_bytes());
        assert_eq!(l.events.len(), 2);
        assert_eq!(l.events[1]["b"], 2);
        assert!(l.dropped.is_empty());
        assert_eq!(l.good_len, text.len() as u64);
    }

    #[test]
    fn a_torn_tail_is_dropped() {
        let good = line(r#"{"a":1}"#);
        let torn = &line(r#"{"b":2,"code":"fn main"}"#)[..20];
        let l = parse(format!("{good}{torn}").as_bytes());
        assert_eq!(l.events.len(), 1);
        assert_eq!(l.dropped, vec![2]);
        assert_eq!(l.good_len, good.len() as u64);
    }

    #[test]
    fn a_damaged_line_fails_its_checksum() {
        let text = line(r#"{"a":1}"#).replace("1}", "7}") + &line(r#"{"b":2}"#);
        let l = parse(text.as_bytes());
        assert_eq!(l.events.len(), 1);
        assert_eq!(l.dropped, vec![1]);
    }

    #[test]
    fn append_cuts_a_torn_tail_first() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal");
        create(&path, &serde_json::json!({"n": 1})).unwrap();
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(b"0123 {\"n\": 2, \"tor").unwrap();
        append(&path, &serde_json::json!({"n": 3})).unwrap();
        let l = load(&path).unwrap();
        let ns: Vec<i64> = l.events.iter().map(|e| e["n"].as_i64().unwrap()).collect();
        assert_eq!(ns, vec![1, 3]);
        assert!(l.dropped.is_empty());
    }
}
