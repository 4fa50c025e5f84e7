//! The pipes between the judge and a box: stdin fed, stdout, stderr and the answer drained,
//! each kept up to its cap.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};

use super::job::KEPT_OUTPUT_BYTES;

pub(super) struct Pipes<'a> {
    pub(super) stdin: Option<OwnedFd>,
    pub(super) stdout: Option<OwnedFd>,
    pub(super) stderr: Option<OwnedFd>,
    pub(super) answer: Option<OwnedFd>,
    pub(super) input: &'a [u8],
    pub(super) written: usize,
    pub(super) out: [Vec<u8>; 3],
    /// Bytes read from each pipe, kept or not.
    pub(super) seen: [u64; 3],
    pub(super) cap: u64,
}

impl Pipes<'_> {
    pub(super) fn readers_open(&self) -> bool {
        self.stdout.is_some() || self.stderr.is_some() || self.answer.is_some()
    }

    /// Reads what is available on output pipe `i`; returns true when the cap was passed.
    pub(super) fn read(&mut self, i: usize) -> bool {
        let slot = match i {
            0 => &mut self.stdout,
            1 => &mut self.stderr,
            _ => &mut self.answer,
        };
        let Some(fd) = slot.as_ref() else {
            return false;
        };
        #[expect(
            clippy::large_stack_arrays,
            reason = "64 KiB on a judge thread's stack of megabytes, with no allocation per read"
        )]
        let mut buf = [0u8; 65536];
        loop {
            // SAFETY: reading into a local buffer from an fd we own.
            let n = unsafe { libc::read(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
            if n > 0 {
                self.seen[i] += n as u64;
                // The answer is kept whole (up to the cap) to be checked; stdout and stderr
                // only as far as anyone will read them.
                let keep = if i == 2 {
                    self.cap as usize + 1
                } else {
                    KEPT_OUTPUT_BYTES
                };
                let out = &mut self.out[i];
                let room = keep.saturating_sub(out.len());
                out.extend_from_slice(&buf[..(n as usize).min(room)]);
                if self.seen[i] > self.cap {
                    *slot = None;
                    if i == 2 {
                        // An answer over the limit decides nothing: none of it is kept.
                        // (Prefixes of stdout and stderr stay, to be shown.)
                        self.out[i] = Vec::new();
                    }
                    return true;
                }
                continue;
            }
            if n == 0 {
                *slot = None;
                return false;
            }
            match io::Error::last_os_error().kind() {
                // A signal came first: read again.
                io::ErrorKind::Interrupted => {}
                io::ErrorKind::WouldBlock => return false,
                _ => {
                    *slot = None;
                    return false;
                }
            }
        }
    }

    pub(super) fn write_input(&mut self) {
        let Some(fd) = self.stdin.as_ref() else {
            return;
        };
        let rest = &self.input[self.written..];
        if rest.is_empty() {
            self.stdin = None;
            return;
        }
        // SAFETY: writing from a live slice to an fd we own.
        let n = unsafe { libc::write(fd.as_raw_fd(), rest.as_ptr().cast(), rest.len().min(65536)) };
        if n > 0 {
            self.written += n as usize;
            if self.written == self.input.len() {
                self.stdin = None;
            }
        } else if io::Error::last_os_error().kind() != io::ErrorKind::WouldBlock {
            // The process closed stdin or died: it will not read the rest.
            self.stdin = None;
        }
    }
}

/// A pipe, both ends close-on-exec (a box gets its end as stdin or stdout).
pub fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    // SAFETY: pipe2 fills two fds that we then own.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: both fds were just created and are owned by nobody else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

pub(super) fn set_nonblocking(fd: RawFd) -> io::Result<()> {
    // SAFETY: fcntl on an fd we own.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        if flags < 0 || libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) < 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}
