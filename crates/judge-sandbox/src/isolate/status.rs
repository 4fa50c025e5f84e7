//! The status pipe from the box's pid 1 to the judge: fixed-size records saying how B ended,
//! how full its disk was, or which setup step failed with what errno.

use std::io;
use std::os::fd::RawFd;

use crate::job::Disk;

/// Status pipe records: what A says of B and of the box's disk.
pub const RECORD_EXIT: i32 = 1;
pub const RECORD_SETUP_FAILED: i32 = 2;
/// Free space left on the box's disk when B ended, in KiB.
pub const RECORD_DISK_FREE_KB: i32 = 3;
/// Free inodes left on the box's disk when B ended.
pub const RECORD_DISK_FREE_INODES: i32 = 4;
/// When B ended (CLOCK_MONOTONIC, shared with the judge: the box has no time namespace),
/// in whole seconds and the nanoseconds past them.
pub const RECORD_ENDED_SECONDS: i32 = 5;
pub const RECORD_ENDED_NANOS: i32 = 6;

/// Setup steps, reported with the errno when one fails.
#[derive(Debug, Clone, Copy)]
#[repr(i32)]
pub enum Step {
    Cgroup = 1,
    Unshare,
    IdMaps,
    Fork,
    MountPrivate,
    RootTmpfs,
    Mkdir,
    Bind,
    Remount,
    Proc,
    Tmp,
    PivotRoot,
    Chdir,
    DropPrivileges,
    Rlimits,
    Seccomp,
    AnswerFd,
    Disk,
    Landlock,
    Descriptors,
}

impl Step {
    pub fn name(code: i32) -> &'static str {
        const NAMES: [&str; 21] = [
            "?",
            "joining the cgroup",
            "unshare",
            "writing the id maps",
            "fork",
            "making mounts private",
            "mounting the root tmpfs",
            "mkdir",
            "bind mount",
            "read-only remount",
            "mounting /proc",
            "mounting /tmp",
            "pivot_root",
            "chdir",
            "dropping privileges",
            "rlimits",
            "seccomp",
            "the answer descriptor",
            "mounting the box's disk",
            "landlock",
            "closing inherited descriptors",
        ];
        NAMES.get(code as usize).copied().unwrap_or("?")
    }
}

/// What A said on the status pipe.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct BoxReport {
    /// B's wait status.
    pub status: Option<i32>,
    /// The setup step that failed, in words.
    pub setup_failed: Option<String>,
    pub disk_free_kb: Option<u64>,
    pub disk_free_inodes: Option<u64>,
    /// When B ended: CLOCK_MONOTONIC seconds and nanoseconds.
    pub ended_seconds: Option<i64>,
    pub ended_nanos: Option<i64>,
}

/// Less room than this left on a box's disk counts as full: a write that failed for want of
/// space can leave a little behind (tmpfs allocates whole pages).
const DISK_FULL_MARGIN_KB: u64 = 64;

impl BoxReport {
    /// Whether the box's disk was full (of bytes or of inodes) when its program ended.
    pub fn disk_full(&self, disk: Disk) -> bool {
        let low_space = self
            .disk_free_kb
            .is_some_and(|kb| kb < DISK_FULL_MARGIN_KB.min(disk.bytes / 1024 / 2));
        low_space || self.disk_free_inodes == Some(0)
    }
}

/// Reads A's records from the status pipe: the disk's state and B's wait status, or the
/// setup step that failed. Written by the judge's own code (A), never by the program.
pub fn read_status(bytes: &[u8]) -> BoxReport {
    let mut report = BoxReport::default();
    for record in bytes.chunks_exact(8) {
        let kind = i32::from_ne_bytes([record[0], record[1], record[2], record[3]]);
        let value = i32::from_ne_bytes([record[4], record[5], record[6], record[7]]);
        match kind {
            RECORD_EXIT => report.status = Some(value),
            RECORD_DISK_FREE_KB => report.disk_free_kb = Some(value as u64),
            RECORD_DISK_FREE_INODES => report.disk_free_inodes = Some(value as u64),
            RECORD_ENDED_SECONDS => report.ended_seconds = Some(i64::from(value)),
            RECORD_ENDED_NANOS => report.ended_nanos = Some(i64::from(value)),
            _ => {
                report.setup_failed.get_or_insert(format!(
                    "the sandbox could not be set up: {} failed: {}",
                    Step::name(value / 1000),
                    io::Error::from_raw_os_error(value % 1000)
                ));
            }
        }
    }
    report
}

/// Writes one record. Async-signal-safe.
pub(super) unsafe fn report(fd: RawFd, kind: i32, value: i32) {
    let mut record = [0u8; 8];
    record[..4].copy_from_slice(&kind.to_ne_bytes());
    record[4..].copy_from_slice(&value.to_ne_bytes());
    libc::write(fd, record.as_ptr().cast(), record.len());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: i32, value: i32) -> Vec<u8> {
        [kind.to_ne_bytes(), value.to_ne_bytes()].concat()
    }

    #[test]
    fn status_records_are_read_in_any_number() {
        let bytes = [
            record(RECORD_DISK_FREE_KB, 10),
            record(RECORD_DISK_FREE_INODES, 0),
            record(RECORD_EXIT, 9),
        ]
        .concat();
        let report = read_status(&bytes);
        assert_eq!(report.status, Some(9));
        let ended = [
            record(RECORD_ENDED_SECONDS, 12),
            record(RECORD_ENDED_NANOS, 5),
            record(RECORD_EXIT, 0),
        ]
        .concat();
        let ended = read_status(&ended);
        assert_eq!(
            (ended.ended_seconds, ended.ended_nanos),
            (Some(12), Some(5))
        );
        assert!(
            ended.setup_failed.is_none(),
            "an end time is not a setup failure"
        );
        assert!(report.disk_full(Disk {
            bytes: 16 << 20,
            inodes: 100
        }));
        assert_eq!(read_status(&[]), BoxReport::default());
        let failed = read_status(&record(
            RECORD_SETUP_FAILED,
            Step::Landlock as i32 * 1000 + 1,
        ));
        assert!(failed.setup_failed.unwrap().contains("landlock failed"));
    }

    #[test]
    fn a_disk_with_room_left_is_not_full() {
        let disk = Disk {
            bytes: 16 << 20,
            inodes: 100,
        };
        let report = |kb, inodes| BoxReport {
            disk_free_kb: Some(kb),
            disk_free_inodes: Some(inodes),
            ..BoxReport::default()
        };
        assert!(!report(8000, 50).disk_full(disk));
        assert!(report(4, 50).disk_full(disk));
        assert!(!BoxReport::default().disk_full(disk));
    }
}
