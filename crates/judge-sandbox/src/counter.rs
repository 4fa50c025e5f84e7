//! Performance counters (perf_event_open) over a boxed program and every process it starts:
//! what `judge complexity` measures a run's cost by. Instructions retired are nearly the same
//! from one run to the next, however loaded the machine; where the host has no hardware
//! counter (most virtual machines), the software task clock still counts the program's CPU
//! time to the nanosecond, from its exec on, without the box's own setup.
//!
//! The counter is opened in the judge's forked child before it builds the box, with
//! `inherit` (every process forked later carries a copy, whose counts are added to it when
//! that process ends) and `enable_on_exec` (it starts at the program's exec, so the box's
//! setup is not counted), and handed to the judge over a socket (SCM_RIGHTS): the judge
//! reads it once the box is gone. The box's seccomp filter denies perf_event_open, so the
//! program itself can never open or tamper with one, and nothing it writes decides the count.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};

/// What a counter counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Instructions retired in user space (a hardware counter).
    Instructions,
    /// CPU time, in nanoseconds (a software counter every Linux kernel with perf events has).
    TaskClock,
}

impl Event {
    /// (perf type, perf config, flags beyond the common ones).
    fn attr_parts(self) -> (u32, u64, u64) {
        match self {
            // PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS; user space only, which
            // perf_event_paranoid 2 (the usual default) allows an unprivileged process.
            Event::Instructions => (0, 1, FLAG_EXCLUDE_KERNEL | FLAG_EXCLUDE_HV),
            // PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK: user and system time, as the
            // judge's own CPU time counts.
            Event::TaskClock => (1, 1, 0),
        }
    }

    /// The counter's name as perf(1) says it.
    pub fn name(self) -> &'static str {
        match self {
            Event::Instructions => "instructions",
            Event::TaskClock => "task-clock",
        }
    }
}

/// Why a counter is not there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CounterError {
    /// The kernel has no such counter here (no PMU, as in most virtual machines): ENOENT,
    /// EOPNOTSUPP or ENODEV.
    #[error("this machine has no {} counter (perf_event_open: {})", .event.name(), errno_name(*.errno))]
    Unsupported { event: Event, errno: i32 },
    /// perf_event_paranoid (or a security module) forbids it.
    #[error("perf_event_open of {} is not permitted here ({}){}", .event.name(), errno_name(*.errno), paranoid_hint(*.paranoid))]
    Forbidden {
        event: Event,
        errno: i32,
        paranoid: Option<i32>,
    },
    /// The kernel was built without perf events.
    #[error("this kernel has no perf events (perf_event_open: ENOSYS)")]
    NoPerfEvents,
    #[error("perf_event_open of {} failed: {}", .event.name(), io::Error::from_raw_os_error(*.errno))]
    Failed { event: Event, errno: i32 },
    /// The counter never ran: the program did not reach its exec, or the counter could not
    /// be scheduled at all.
    #[error("the {} counter never ran", .0.name())]
    NeverRan(Event),
    /// The box's side sent nothing (its setup failed before the counter was opened).
    #[error("the box sent no counter")]
    NotReceived,
    #[error("reading the counter failed: {0}")]
    Read(String),
}

fn errno_name(errno: i32) -> &'static str {
    match errno {
        libc::ENOENT => "ENOENT",
        libc::EOPNOTSUPP => "EOPNOTSUPP",
        libc::ENODEV => "ENODEV",
        libc::EACCES => "EACCES",
        libc::EPERM => "EPERM",
        libc::ENOSYS => "ENOSYS",
        libc::EINVAL => "EINVAL",
        _ => "error",
    }
}

fn paranoid_hint(paranoid: Option<i32>) -> String {
    match paranoid {
        Some(level) if level > 2 => format!(
            "; kernel.perf_event_paranoid is {level}: at most 2 lets a process count its own user-space events"
        ),
        Some(level) => format!("; kernel.perf_event_paranoid is {level}"),
        None => String::new(),
    }
}

/// The error an errno from perf_event_open means, for `event`.
pub fn error_of(event: Event, errno: i32) -> CounterError {
    match errno {
        libc::ENOENT | libc::EOPNOTSUPP | libc::ENODEV => {
            CounterError::Unsupported { event, errno }
        }
        libc::EACCES | libc::EPERM => CounterError::Forbidden {
            event,
            errno,
            paranoid: paranoid_level(),
        },
        libc::ENOSYS => CounterError::NoPerfEvents,
        _ => CounterError::Failed { event, errno },
    }
}

/// kernel.perf_event_paranoid, where it can be read.
fn paranoid_level() -> Option<i32> {
    std::fs::read_to_string("/proc/sys/kernel/perf_event_paranoid")
        .ok()?
        .trim()
        .parse()
        .ok()
}

const FLAG_DISABLED: u64 = 1 << 0;
const FLAG_INHERIT: u64 = 1 << 1;
const FLAG_EXCLUDE_KERNEL: u64 = 1 << 5;
const FLAG_EXCLUDE_HV: u64 = 1 << 6;
const FLAG_ENABLE_ON_EXEC: u64 = 1 << 12;
/// PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING: a read gives the value,
/// then how long the counter was enabled and how long it really counted (less when the
/// kernel multiplexed it with other counters).
const READ_FORMAT: u64 = 1 | 2;
/// PERF_FLAG_FD_CLOEXEC.
const PERF_FLAG_FD_CLOEXEC: libc::c_ulong = 1 << 3;

/// `struct perf_event_attr` as its first version was (PERF_ATTR_SIZE_VER0, 64 bytes): every
/// field a counting (not sampling) counter needs. The kernel takes the size from `size` and
/// reads later fields as zero.
#[repr(C)]
#[derive(Clone, Copy)]
struct Attr {
    kind: u32,
    size: u32,
    config: u64,
    sample_period: u64,
    sample_type: u64,
    read_format: u64,
    flags: u64,
    wakeup_events: u32,
    bp_type: u32,
    bp_addr: u64,
}

impl Attr {
    /// A counter that starts disabled and turns on at exec, inherited by every child.
    fn for_program(event: Event) -> Attr {
        let (kind, config, extra) = event.attr_parts();
        Attr {
            kind,
            size: std::mem::size_of::<Attr>() as u32,
            config,
            sample_period: 0,
            sample_type: 0,
            read_format: READ_FORMAT,
            flags: FLAG_DISABLED | FLAG_INHERIT | FLAG_ENABLE_ON_EXEC | extra,
            wakeup_events: 0,
            bp_type: 0,
            bp_addr: 0,
        }
    }
}

/// perf_event_open on the calling process, any CPU. Async-signal-safe.
unsafe fn open(attr: &Attr) -> Result<OwnedFd, i32> {
    let fd = libc::syscall(
        libc::SYS_perf_event_open,
        std::ptr::from_ref(attr),
        0 as libc::pid_t,
        -1 as libc::c_int,
        -1 as libc::c_int,
        PERF_FLAG_FD_CLOEXEC,
    );
    if fd < 0 {
        Err(*libc::__errno_location())
    } else {
        Ok(OwnedFd::from_raw_fd(fd as RawFd))
    }
}

/// Whether `event` can be counted here: opened (disabled) on the judge itself and closed.
pub fn probe(event: Event) -> Result<(), CounterError> {
    let mut attr = Attr::for_program(event);
    attr.flags &= !FLAG_ENABLE_ON_EXEC;
    // SAFETY: a valid attr; the returned descriptor is owned and dropped here.
    unsafe { open(&attr) }
        .map(drop)
        .map_err(|errno| error_of(event, errno))
}

/// The two ends of the socket a box's counter travels on, made before the fork.
pub(crate) struct Channel {
    event: Event,
    judge: OwnedFd,
    child: OwnedFd,
}

/// What the forked child needs to open the counter and send it: plain data, copied into the
/// pre-exec closure.
#[derive(Clone, Copy)]
pub(crate) struct Attach {
    attr: Attr,
    socket: RawFd,
}

impl Channel {
    pub(crate) fn new(event: Event) -> io::Result<Channel> {
        let mut fds = [0; 2];
        // SAFETY: socketpair fills two descriptors that we then own.
        let rc = unsafe {
            libc::socketpair(
                libc::AF_UNIX,
                libc::SOCK_SEQPACKET | libc::SOCK_CLOEXEC,
                0,
                fds.as_mut_ptr(),
            )
        };
        if rc != 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: both were just created and belong to nobody else.
        let (judge, child) =
            unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
        Ok(Channel {
            event,
            judge,
            child,
        })
    }

    pub(crate) fn attach(&self) -> Attach {
        Attach {
            attr: Attr::for_program(self.event),
            socket: self.child.as_raw_fd(),
        }
    }

    /// The counter the child sent (or why there is none). Called once the program runs,
    /// which is after the child sent it.
    pub(crate) fn receive(self) -> Result<Counter, CounterError> {
        drop(self.child);
        let mut errno = [0u8; 4];
        let mut iov = libc::iovec {
            iov_base: errno.as_mut_ptr().cast(),
            iov_len: errno.len(),
        };
        let mut control = [0u64; 4];
        // SAFETY: msghdr is plain data; every pointer in it is to a live local buffer.
        let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
        msg.msg_iov = &raw mut iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control.as_mut_ptr().cast();
        msg.msg_controllen = std::mem::size_of_val(&control) as _;
        // SAFETY: receiving into the buffers above; a descriptor that comes is owned below.
        let n = unsafe {
            libc::recvmsg(
                self.judge.as_raw_fd(),
                &raw mut msg,
                libc::MSG_DONTWAIT | libc::MSG_CMSG_CLOEXEC,
            )
        };
        if n != 4 {
            return Err(CounterError::NotReceived);
        }
        // SAFETY: the control buffer was filled by recvmsg and msg describes it.
        let fd = unsafe { received_fd(&msg) };
        match (fd, i32::from_ne_bytes(errno)) {
            (Some(fd), 0) => Ok(Counter {
                event: self.event,
                fd,
            }),
            (_, 0) => Err(CounterError::NotReceived),
            (_, errno) => Err(error_of(self.event, errno)),
        }
    }
}

/// The descriptor an SCM_RIGHTS message carried, owned now.
unsafe fn received_fd(msg: &libc::msghdr) -> Option<OwnedFd> {
    let cmsg = libc::CMSG_FIRSTHDR(msg);
    if cmsg.is_null()
        || (*cmsg).cmsg_level != libc::SOL_SOCKET
        || (*cmsg).cmsg_type != libc::SCM_RIGHTS
    {
        return None;
    }
    let fd = std::ptr::read_unaligned(libc::CMSG_DATA(cmsg).cast::<RawFd>());
    (fd >= 0).then(|| OwnedFd::from_raw_fd(fd))
}

impl Attach {
    /// In the forked child, before anything else of the box: opens the counter on this
    /// process (inherited by the box's processes, on from the program's exec) and sends it,
    /// or the errno of the failure, to the judge. Never fails the run: a box without its
    /// counter is measured by CPU time instead. Async-signal-safe.
    pub(crate) unsafe fn send(self) {
        let (fd, errno) = match open(&self.attr) {
            Ok(fd) => (Some(fd), 0i32),
            Err(errno) => (None, errno),
        };
        let mut payload = errno.to_ne_bytes();
        let mut iov = libc::iovec {
            iov_base: payload.as_mut_ptr().cast(),
            iov_len: payload.len(),
        };
        let mut control = [0u64; 4];
        let mut msg: libc::msghdr = std::mem::zeroed();
        msg.msg_iov = &raw mut iov;
        msg.msg_iovlen = 1;
        if let Some(fd) = &fd {
            let space = libc::CMSG_SPACE(std::mem::size_of::<RawFd>() as u32) as usize;
            msg.msg_control = control.as_mut_ptr().cast();
            msg.msg_controllen = space as _;
            let cmsg = libc::CMSG_FIRSTHDR(&raw const msg);
            (*cmsg).cmsg_level = libc::SOL_SOCKET;
            (*cmsg).cmsg_type = libc::SCM_RIGHTS;
            (*cmsg).cmsg_len = libc::CMSG_LEN(std::mem::size_of::<RawFd>() as u32) as _;
            std::ptr::write_unaligned(libc::CMSG_DATA(cmsg).cast::<RawFd>(), fd.as_raw_fd());
        }
        libc::sendmsg(self.socket, &raw const msg, libc::MSG_NOSIGNAL);
        // The judge's copy (in flight, then received) keeps the counter; the box must not
        // hold one (close-on-exec would close it anyway).
        drop(fd);
        libc::close(self.socket);
    }
}

/// A counter the judge holds over one box.
pub(crate) struct Counter {
    event: Event,
    fd: OwnedFd,
}

impl Counter {
    /// The count over the program and every process it started: read once the box is gone,
    /// when every process's count has been added in.
    pub(crate) fn read(&self) -> Result<u64, CounterError> {
        let mut bytes = [0u8; 24];
        // SAFETY: reading into a live buffer of the size given.
        let n = unsafe { libc::read(self.fd.as_raw_fd(), bytes.as_mut_ptr().cast(), bytes.len()) };
        if n != 24 {
            return Err(CounterError::Read(if n < 0 {
                io::Error::last_os_error().to_string()
            } else {
                format!("{n} bytes instead of 24")
            }));
        }
        parse_reading(self.event, bytes)
    }
}

/// A read in READ_FORMAT: value, time enabled, time running. A counter the kernel had to
/// share with others ran part of the time: its value is scaled up to the whole (as perf
/// stat does).
pub fn parse_reading(event: Event, bytes: [u8; 24]) -> Result<u64, CounterError> {
    let word = |i: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&bytes[i * 8..i * 8 + 8]);
        u64::from_ne_bytes(w)
    };
    let (value, enabled, running) = (word(0), word(1), word(2));
    if running == 0 {
        return Err(CounterError::NeverRan(event));
    }
    if running >= enabled {
        return Ok(value);
    }
    Ok(
        (u128::from(value) * u128::from(enabled) / u128::from(running)).min(u128::from(u64::MAX))
            as u64,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(value: u64, enabled: u64, running: u64) -> [u8; 24] {
        let mut b = [0u8; 24];
        b[..8].copy_from_slice(&value.to_ne_bytes());
        b[8..16].copy_from_slice(&enabled.to_ne_bytes());
        b[16..].copy_from_slice(&running.to_ne_bytes());
        b
    }

    #[test]
    fn a_reading_is_its_value_when_the_counter_ran_throughout() {
        let r = parse_reading(Event::Instructions, reading(1_000_000, 500, 500));
        assert_eq!(r, Ok(1_000_000));
    }

    #[test]
    fn a_shared_counter_is_scaled_to_the_whole_time() {
        let r = parse_reading(Event::Instructions, reading(1_000, 400, 100));
        assert_eq!(r, Ok(4_000));
        let huge = parse_reading(Event::Instructions, reading(u64::MAX, u64::MAX, 1));
        assert_eq!(huge, Ok(u64::MAX));
    }

    #[test]
    fn a_counter_that_never_ran_is_no_reading() {
        let r = parse_reading(Event::TaskClock, reading(0, 0, 0));
        assert_eq!(r, Err(CounterError::NeverRan(Event::TaskClock)));
    }

    #[test]
    fn errnos_say_why_there_is_no_counter() {
        let e = error_of(Event::Instructions, libc::ENOENT);
        assert!(matches!(e, CounterError::Unsupported { .. }), "{e:?}");
        assert_eq!(
            e.to_string(),
            "this machine has no instructions counter (perf_event_open: ENOENT)"
        );
        assert!(matches!(
            error_of(Event::Instructions, libc::EACCES),
            CounterError::Forbidden { .. }
        ));
        assert_eq!(
            error_of(Event::TaskClock, libc::ENOSYS),
            CounterError::NoPerfEvents
        );
        let forbidden = CounterError::Forbidden {
            event: Event::Instructions,
            errno: libc::EACCES,
            paranoid: Some(3),
        };
        assert!(
            forbidden
                .to_string()
                .contains("perf_event_paranoid is 3: at most 2"),
            "{forbidden}"
        );
    }

    #[test]
    fn the_attr_is_the_first_abi_version() {
        assert_eq!(std::mem::size_of::<Attr>(), 64);
        let a = Attr::for_program(Event::Instructions);
        assert_eq!((a.kind, a.config), (0, 1));
        assert_ne!(a.flags & FLAG_INHERIT, 0);
        assert_ne!(a.flags & FLAG_ENABLE_ON_EXEC, 0);
        assert_ne!(a.flags & FLAG_DISABLED, 0);
        assert_ne!(a.flags & FLAG_EXCLUDE_KERNEL, 0);
        let t = Attr::for_program(Event::TaskClock);
        assert_eq!((t.kind, t.config, t.flags & FLAG_EXCLUDE_KERNEL), (1, 1, 0));
    }

    #[test]
    fn probing_agrees_with_the_kernel() {
        // Whatever this machine has, a probe answers without failing the judge, and the
        // software clock is there wherever perf events are.
        match probe(Event::TaskClock) {
            Ok(()) | Err(CounterError::NoPerfEvents | CounterError::Forbidden { .. }) => {}
            Err(e) => panic!("task-clock: {e}"),
        }
        let _ = probe(Event::Instructions);
    }
}
