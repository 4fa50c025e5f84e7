//! cgroup v2 delegation: which cgroup the judge may manage on a unified host, and how it
//! hands memory, pids and cpu down to one cgroup per box there.
//!
//! The judge manages the cgroup it was started in (`base`): the root, a systemd unit's
//! cgroup with `Delegate=yes`, or a container's cgroup seen through a private cgroup
//! namespace. A non-root cgroup that holds processes cannot enable controllers for its
//! children (the "no internal processes" rule, EBUSY), so every process in `base` first
//! moves to a leaf child, `base/judge-self`; then `base/cgroup.subtree_control` gets
//! `+cpu +memory +pids`, and the boxes live under `base/judge`. When the last judge using
//! `base` ends, it puts everything back: the boxes' parent and the leaf removed, the
//! processes back in `base`, its controllers off again. Judges sharing `base` agree through
//! `flock` on its directory (setup and teardown one at a time) and a shared lock on
//! `base/judge` held for a judge's life, so the last one out knows it is the last.
//!
//! Written against `Fs` so that these rules are tested on a fake tree (`tests`); `RealFs`
//! is the kernel's cgroupfs. Where nothing can be delegated, the refusal names the cause
//! and the fix in one line.

use std::io;
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

mod error;
pub use error::DelegationError;
use error::Refuse;

/// Where cgroup v2 is mounted on a unified host (and in a container's own mount namespace).
pub const MOUNT: &str = "/sys/fs/cgroup";
/// The leaf child every process of `base` moves to.
pub const LEAF: &str = "judge-self";
/// The parent of the boxes' cgroups.
pub const RUNS: &str = "judge";
/// The controllers the judge hands down, those `base` has of them.
const WANTED: [&str; 3] = ["cpu", "memory", "pids"];
/// The controllers without which a box has no cgroup at all.
const REQUIRED: [&str; 2] = ["memory", "pids"];

/// The file operations delegation needs: the kernel's cgroupfs, or a fake tree in tests.
pub trait Fs {
    fn read(&self, path: &Path) -> io::Result<String>;
    fn write(&self, path: &Path, text: &str) -> io::Result<()>;
    fn mkdir(&self, path: &Path) -> io::Result<()>;
    fn rmdir(&self, path: &Path) -> io::Result<()>;
    /// The names of the child cgroups of `path`.
    fn children(&self, path: &Path) -> io::Result<Vec<String>>;
    /// Whether a process with this pid exists (in this pid namespace).
    fn alive(&self, pid: u32) -> bool;
    /// Takes an flock on the directory `path`, kept until the descriptor is dropped
    /// (`None` where locks mean nothing, as in a fake tree).
    fn lock(&self, path: &Path, how: Lock) -> io::Result<Option<OwnedFd>>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lock {
    /// Waits for every other holder.
    Exclusive,
    /// Waits for an exclusive holder only.
    Shared,
    /// Exclusive, or `WouldBlock` at once if anyone else holds it.
    ExclusiveNow,
}

/// What the judge set up in `base`: where boxes go, and what to undo at the end.
#[derive(Debug)]
pub struct Delegation {
    /// The cgroup the judge manages.
    pub base: PathBuf,
    /// `base/judge`, the parent of every box's cgroup.
    pub runs: PathBuf,
    /// Where `base` is, for messages and for the tests' fake trees.
    pub place: Place,
    /// This process, as the boxes' cgroup names carry it.
    pid: u32,
    /// The shared lock on `runs`, held while this judge lives.
    held: Option<OwnedFd>,
}

/// What kind of cgroup the judge was started in: it decides what a refusal tells to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The root of the whole hierarchy (a host without systemd, or a judge moved there).
    Root,
    /// The root of a private cgroup namespace: a container's own cgroup.
    Container,
    /// A systemd unit's cgroup (`*.service`, `*.scope`), by its name.
    Unit(String),
    /// Any other cgroup, by its path from the mount.
    Other(String),
}

impl Place {
    fn of(fs: &dyn Fs, mount: &Path, rel: &str) -> Place {
        if rel.is_empty() {
            // The real root has no `cgroup.type`; a namespace's root, a cgroup like any
            // other underneath, has one.
            return match fs.read(&mount.join("cgroup.type")) {
                Ok(_) => Place::Container,
                Err(_) => Place::Root,
            };
        }
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let suffix = Path::new(name).extension().and_then(|e| e.to_str());
        if matches!(suffix, Some("service" | "scope")) {
            Place::Unit(name.to_string())
        } else {
            Place::Other(format!("/{rel}"))
        }
    }

    fn describe(&self) -> String {
        match self {
            Place::Root => "the root cgroup".into(),
            Place::Container => "this container's cgroup".into(),
            Place::Unit(name) => format!("the cgroup of {name}"),
            Place::Other(path) => format!("the judge's cgroup {path}"),
        }
    }

    /// How to hand this cgroup's controllers down to the judge.
    fn delegate_fix(&self) -> String {
        match self {
            Place::Root => "the kernel lacks them (CONFIG_MEMCG, CONFIG_CGROUP_PIDS) or they are \
                 bound to a cgroup v1 hierarchy: boot with only the unified hierarchy"
                .into(),
            Place::Container => "the container manager must give the container a cgroup with \
                 them: run it with --cgroupns=private on a host whose cgroup v2 has them \
                 (docker and podman then do)"
                .into(),
            Place::Unit(name) if Path::new(name).extension().is_some_and(|e| e == "service") => {
                format!(
                "add Delegate=yes to the [Service] section of {name} (deploy/judge-serve.service \
                 has it), then restart it"
            )
            }
            Place::Unit(_) => "start the judge with systemd-run --scope -p Delegate=yes".into(),
            Place::Other(_) => "run the judge where its cgroup is delegated: a systemd unit with \
                 Delegate=yes, systemd-run --scope -p Delegate=yes, or a container with \
                 --cgroupns=private and a writable /sys/fs/cgroup"
                .into(),
        }
    }

    fn read_only_fix(&self) -> String {
        match self {
            Place::Container => "run the container with --cgroupns=private and a writable \
                 /sys/fs/cgroup (podman: --security-opt unmask=/sys/fs/cgroup; docker 28 and \
                 later: --security-opt writable-cgroups=true; older docker: --privileged)"
                .into(),
            _ => "mount it read-write (mount -o remount,rw /sys/fs/cgroup)".into(),
        }
    }
}

/// Delegation set up by this process, undone by `release`.
static HELD: Mutex<Option<(Delegation, RealFs)>> = Mutex::new(None);

/// Sets up delegation in the cgroup this process is in, or says in one line why it cannot
/// and what to change. The result is kept for `release`.
pub fn open() -> Result<PathBuf, DelegationError> {
    let fs = RealFs;
    let own =
        std::fs::read_to_string("/proc/self/cgroup").map_err(DelegationError::ReadOwnCgroup)?;
    // SAFETY: geteuid and getpid have no preconditions.
    let (uid, pid) = unsafe { (libc::geteuid(), libc::getpid() as u32) };
    let delegation = setup(&fs, Path::new(MOUNT), &own, pid, uid)?;
    let runs = delegation.runs.clone();
    let mut held = HELD
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((previous, fs)) = held.take() {
        teardown(&fs, previous);
    }
    *held = Some((delegation, fs));
    Ok(runs)
}

/// Where this process set up delegation, in words (`None` before `open`, or after `release`).
pub fn held_place() -> Option<String> {
    let held = HELD
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    held.as_ref().map(|(d, _)| {
        let leaf = if d.base.join(LEAF).is_dir() {
            format!(", its processes moved to its leaf {LEAF}")
        } else {
            String::new()
        };
        format!("{}{leaf}", d.place.describe())
    })
}

/// Undoes this process's delegation when no other judge still uses it (see the module
/// doc). Called as the judge ends; a judge killed before it is swept up by the next one.
pub fn release() {
    let taken = HELD
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .take();
    if let Some((delegation, fs)) = taken {
        teardown(&fs, delegation);
    }
}

/// The cgroup named by the `0::` line of `/proc/self/cgroup`, relative to the mount ("" for
/// the root), or why there is none.
fn own_cgroup(proc_self_cgroup: &str) -> Result<String, DelegationError> {
    let path = proc_self_cgroup
        .lines()
        .find_map(|l| l.strip_prefix("0::"))
        .ok_or(DelegationError::NoV2Line)?;
    let path = path.trim_end_matches(" (deleted)");
    if path.starts_with("/..") {
        return Err(DelegationError::OutsideNamespace(path.to_string()));
    }
    Ok(path.trim_matches('/').to_string())
}

/// Finds `base` and sets it up under its lock: the refusal, if any, says why in one line.
pub fn setup(
    fs: &dyn Fs,
    mount: &Path,
    proc_self_cgroup: &str,
    pid: u32,
    uid: u32,
) -> Result<Delegation, DelegationError> {
    let own = own_cgroup(proc_self_cgroup)?;
    // A judge started by a process that an earlier judge moved into the leaf manages the
    // leaf's parent, as that judge did.
    let rel = match own.rsplit_once('/') {
        Some((parent, LEAF)) => parent.to_string(),
        None if own == LEAF => String::new(),
        _ => own,
    };
    let base = mount.join(&rel);
    let place = Place::of(fs, &base, &rel);
    let refuse = Refuse {
        place: &place,
        mount,
        uid,
    };
    let guard = fs
        .lock(&base, Lock::Exclusive)
        .map_err(|e| refuse.io("lock", &base, e))?;
    let available = words(
        &fs.read(&base.join("cgroup.controllers"))
            .unwrap_or_default(),
    );
    let missing: Vec<&str> = REQUIRED
        .into_iter()
        .filter(|c| !available.iter().any(|a| a == c))
        .collect();
    if !missing.is_empty() {
        return Err(DelegationError::NotDelegated { place, missing });
    }
    let wanted: Vec<&str> = WANTED
        .into_iter()
        .filter(|c| available.iter().any(|a| a == c))
        .collect();
    enable(fs, &base, &wanted, &refuse)?;
    let runs = base.join(RUNS);
    make_dir(fs, &runs).map_err(|e| refuse.io("create", &runs, e))?;
    let control = runs.join("cgroup.subtree_control");
    if !has_all(fs, &control, &wanted) {
        fs.write(&control, &plus(&wanted))
            .map_err(|e| refuse.io("enable controllers in", &runs, e))?;
    }
    sweep(fs, &runs, pid);
    let held = fs
        .lock(&runs, Lock::Shared)
        .map_err(|e| refuse.io("lock", &runs, e))?;
    drop(guard);
    Ok(Delegation {
        base,
        runs,
        place,
        pid,
        held,
    })
}

/// Enables `wanted` in `base`'s subtree_control, first moving every process of `base` into
/// the leaf when the kernel says `base` holds processes.
fn enable(
    fs: &dyn Fs,
    base: &Path,
    wanted: &[&str],
    refuse: &Refuse<'_>,
) -> Result<(), DelegationError> {
    let control = base.join("cgroup.subtree_control");
    if has_all(fs, &control, wanted) {
        return Ok(());
    }
    match fs.write(&control, &plus(wanted)) {
        Ok(()) => return Ok(()),
        Err(e) if e.raw_os_error() == Some(libc::EBUSY) => {}
        Err(e) => return Err(refuse.io("enable controllers in", base, e)),
    }
    let leaf = base.join(LEAF);
    make_dir(fs, &leaf).map_err(|e| refuse.io("create", &leaf, e))?;
    move_all(fs, base, &leaf).map_err(|e| refuse.io("move processes into", &leaf, e))?;
    fs.write(&control, &plus(wanted))
        .map_err(|e| refuse.io("enable controllers in", base, e))
}

/// Moves every process of `from` into `to`; a process that ends meanwhile is no matter.
/// Processes that keep joining `from` faster than they can be moved are `EBUSY`.
///
/// Passes after the first wait a little, doubling from 1 ms (about 0.7 s in all): in a
/// container whose health check keeps starting processes beside the judge, sixteen passes
/// back to back all met a newcomer, and the judge started without cgroups.
fn move_all(fs: &dyn Fs, from: &Path, to: &Path) -> io::Result<()> {
    let target = to.join("cgroup.procs");
    let mut pause = std::time::Duration::from_millis(1);
    for pass in 0..16 {
        if pass > 0 {
            std::thread::sleep(pause);
            pause = (pause * 2).min(std::time::Duration::from_millis(64));
        }
        let pids = words(&fs.read(&from.join("cgroup.procs"))?);
        if pids.is_empty() {
            return Ok(());
        }
        for pid in pids {
            match fs.write(&target, &pid) {
                Err(e) if e.raw_os_error() != Some(libc::ESRCH) => return Err(e),
                _ => {}
            }
        }
    }
    Err(io::Error::from_raw_os_error(libc::EBUSY))
}

/// Puts `base` back as it was found, unless another judge still uses it.
pub fn teardown(fs: &dyn Fs, delegation: Delegation) {
    let Delegation {
        base,
        runs,
        pid,
        held,
        ..
    } = delegation;
    let Ok(guard) = fs.lock(&base, Lock::Exclusive) else {
        return;
    };
    // The last judge out is the one that can hold `runs` alone.
    drop(held);
    let Ok(alone) = fs.lock(&runs, Lock::ExclusiveNow) else {
        return;
    };
    sweep(fs, &runs, pid);
    if fs.rmdir(&runs).is_err() {
        return;
    }
    drop(alone);
    let leaf = base.join(LEAF);
    if fs.read(&leaf.join("cgroup.procs")).is_err() {
        // No leaf: `base` was the root, or held no process; its controllers stay on.
        return;
    }
    // `base` held processes before the judge came, so no controller was on for its
    // children: turn them off, then the processes can go back.
    let control = base.join("cgroup.subtree_control");
    let on = words(&fs.read(&control).unwrap_or_default());
    let off: Vec<String> = on.iter().map(|c| format!("-{c}")).collect();
    if (off.is_empty() || fs.write(&control, &off.join(" ")).is_ok())
        && move_all(fs, &leaf, &base).is_ok()
    {
        let _ = fs.rmdir(&leaf);
    }
    drop(guard);
}

/// Removes the box cgroups under `runs` that no live judge owns: their creator (the pid in
/// the name) is gone, or is this very process (which has made none yet when it sweeps at
/// start, and has ended every box when it sweeps at the end). A box still running in one is
/// killed first (its judge was killed with SIGKILL and its box outlived it).
fn sweep(fs: &dyn Fs, runs: &Path, own_pid: u32) {
    let Ok(names) = fs.children(runs) else {
        return;
    };
    for name in names {
        let Some(creator) = creator_pid(&name) else {
            continue;
        };
        if creator != own_pid && fs.alive(creator) {
            continue;
        }
        let dir = runs.join(&name);
        let _ = fs.write(&dir.join("cgroup.kill"), "1");
        for _ in 0..200 {
            if fs.rmdir(&dir).is_ok() || fs.read(&dir.join("cgroup.procs")).is_err() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
}

/// The pid in a box cgroup's name (`run-<pid>-<salt>-<n>`).
pub fn creator_pid(name: &str) -> Option<u32> {
    name.strip_prefix("run-")?.split('-').next()?.parse().ok()
}

fn make_dir(fs: &dyn Fs, dir: &Path) -> io::Result<()> {
    match fs.mkdir(dir) {
        Err(e) if e.kind() != io::ErrorKind::AlreadyExists => Err(e),
        _ => Ok(()),
    }
}

fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_string).collect()
}

fn has_all(fs: &dyn Fs, control: &Path, wanted: &[&str]) -> bool {
    let on = words(&fs.read(control).unwrap_or_default());
    wanted.iter().all(|w| on.iter().any(|o| o == w))
}

fn plus(controllers: &[&str]) -> String {
    controllers
        .iter()
        .map(|c| format!("+{c}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The kernel's cgroupfs.
#[derive(Debug)]
pub struct RealFs;

impl Fs for RealFs {
    fn read(&self, path: &Path) -> io::Result<String> {
        std::fs::read_to_string(path)
    }

    fn write(&self, path: &Path, text: &str) -> io::Result<()> {
        // One write call: the kernel takes each write to a cgroup file as one command.
        use std::io::Write;
        std::fs::OpenOptions::new()
            .write(true)
            .open(path)?
            .write_all(text.as_bytes())
    }

    fn mkdir(&self, path: &Path) -> io::Result<()> {
        std::fs::create_dir(path)
    }

    fn rmdir(&self, path: &Path) -> io::Result<()> {
        std::fs::remove_dir(path)
    }

    fn children(&self, path: &Path) -> io::Result<Vec<String>> {
        Ok(std::fs::read_dir(path)?
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter_map(|e| e.file_name().into_string().ok())
            .collect())
    }

    fn alive(&self, pid: u32) -> bool {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: signal 0 only checks that the process exists.
        unsafe { libc::kill(pid, 0) == 0 || *libc::__errno_location() == libc::EPERM }
    }

    fn lock(&self, path: &Path, how: Lock) -> io::Result<Option<OwnedFd>> {
        use std::os::fd::AsRawFd;
        use std::os::unix::fs::OpenOptionsExt;
        let dir: OwnedFd = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_DIRECTORY | libc::O_CLOEXEC)
            .open(path)?
            .into();
        let op = match how {
            Lock::Exclusive => libc::LOCK_EX,
            Lock::Shared => libc::LOCK_SH,
            Lock::ExclusiveNow => libc::LOCK_EX | libc::LOCK_NB,
        };
        loop {
            // SAFETY: flock on a descriptor this function owns.
            if unsafe { libc::flock(dir.as_raw_fd(), op) } == 0 {
                return Ok(Some(dir));
            }
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::Interrupted {
                return Err(e);
            }
        }
    }
}

#[cfg(test)]
mod tests;
