//! Which isolation layers this machine gives the judge, found once per process by trying
//! them (a namespace is only known to work once a process has entered it).

use std::sync::OnceLock;

use super::cgroup::Cgroups;

/// The layers a box can use here.
#[derive(Debug, Clone)]
pub struct Layers {
    /// Running as root: the box drops to an unprivileged uid itself and needs no user namespace.
    pub root: bool,
    /// Mount, pid, network, IPC and UTS namespaces (with a user namespace when not root).
    pub namespaces: Result<(), String>,
    /// cgroup controllers for memory, pids and CPU accounting.
    pub cgroups: Result<Cgroups, String>,
    /// seccomp filters can be installed.
    pub seccomp: Result<(), String>,
    /// The Landlock ABI version, if the kernel has Landlock enabled.
    pub landlock_abi: Option<i64>,
}

pub fn detect() -> &'static Layers {
    static LAYERS: OnceLock<Layers> = OnceLock::new();
    LAYERS.get_or_init(|| {
        // SAFETY: geteuid has no preconditions.
        let root = unsafe { libc::geteuid() } == 0;
        Layers {
            root,
            namespaces: probe_namespaces(root),
            cgroups: Cgroups::open(),
            seccomp: probe_seccomp(),
            landlock_abi: landlock_abi(),
        }
    })
}

impl Layers {
    /// Human-readable names of the layers that are missing here, for the warning every
    /// report carries.
    pub fn missing(&self) -> Vec<String> {
        let mut missing = Vec::new();
        if let Err(why) = &self.namespaces {
            missing.push(format!(
                "namespaces (private filesystem view, no network, own pid space): {why}"
            ));
        }
        if let Err(why) = &self.cgroups {
            missing.push(format!(
                "cgroup memory/pids/CPU accounting (memory is limited by address space instead, processes by RLIMIT_NPROC only when root): {why}"
            ));
        }
        if let Err(why) = &self.seccomp {
            missing.push(format!("seccomp syscall filter: {why}"));
        }
        if self.landlock_abi.is_none() {
            missing.push(
                "landlock exec rules (a box may execute any file it can see): not in this kernel"
                    .to_string(),
            );
        }
        missing
    }
}

/// Forks a child that enters the namespaces a box uses; it works iff the child can.
fn probe_namespaces(root: bool) -> Result<(), String> {
    let flags = super::isolate::namespace_flags(root);
    // SAFETY: the child only makes raw syscalls and exits; the parent waits for it.
    unsafe {
        let pid = libc::fork();
        if pid < 0 {
            return Err(std::io::Error::last_os_error().to_string());
        }
        if pid == 0 {
            let code = if libc::unshare(flags) == 0 {
                0
            } else {
                *libc::__errno_location()
            };
            libc::_exit(code);
        }
        let mut status = 0;
        libc::waitpid(pid, &mut status, 0);
        match libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)) {
            Some(0) => Ok(()),
            Some(errno) => Err(format!(
                "unshare failed: {}",
                std::io::Error::from_raw_os_error(errno)
            )),
            None => Err("the probe process died".into()),
        }
    }
}

fn probe_seccomp() -> Result<(), String> {
    // SAFETY: PR_GET_SECCOMP only reads this thread's mode.
    let mode = unsafe { libc::prctl(libc::PR_GET_SECCOMP, 0, 0, 0, 0) };
    if mode < 0 {
        Err(format!(
            "not in this kernel ({})",
            std::io::Error::last_os_error()
        ))
    } else {
        Ok(())
    }
}

fn landlock_abi() -> Option<i64> {
    const LANDLOCK_CREATE_RULESET_VERSION: libc::c_uint = 1;
    // SAFETY: with the VERSION flag and no attributes, the call only returns the ABI version.
    let abi = unsafe {
        libc::syscall(
            libc::SYS_landlock_create_ruleset,
            std::ptr::null::<u8>(),
            0usize,
            LANDLOCK_CREATE_RULESET_VERSION,
        )
    };
    (abi > 0).then_some(abi)
}

/// One warning per report for each layer missing here; none when the box is complete.
pub fn missing_isolation() -> Vec<String> {
    let missing = detect().missing();
    if missing.is_empty() {
        return Vec::new();
    }
    vec![format!(
        "sandbox is partial: not enforced here: {}; run only solutions you would run yourself (see `judge doctor`)",
        missing.join("; ")
    )]
}
