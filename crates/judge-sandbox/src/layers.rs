//! Which isolation layers this machine gives the judge, found once per process by trying
//! them (a namespace is only known to work once a process has entered it).

use std::sync::OnceLock;

use seccompiler::{BackendError, BpfProgram};

use super::cgroup::{CgroupError, Cgroups};

/// The layers a box can use here.
#[derive(Debug)]
pub struct Layers {
    /// Running as root: the box drops to an unprivileged uid itself and needs no user namespace.
    pub root: bool,
    /// Mount, pid, network, IPC and UTS namespaces (with a user namespace when not root).
    pub namespaces: Result<(), NamespaceError>,
    /// cgroup controllers for memory, pids and CPU accounting.
    pub cgroups: Result<Cgroups, CgroupError>,
    /// The seccomp filters every box installs, built once here. Err when the kernel has no
    /// seccomp or the filters could not be built: a box then runs without them, and the
    /// layer is reported missing (it is never counted active with no filter behind it).
    pub seccomp: Result<Vec<BpfProgram>, SeccompError>,
    /// The Landlock ABI version, if the kernel has Landlock enabled.
    pub landlock_abi: Option<i64>,
}

/// Why a box gets no namespaces here.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NamespaceError {
    /// The probe process could not be forked.
    #[error("{}", std::io::Error::from_raw_os_error(*.0))]
    Fork(i32),
    /// The kernel refused to make the namespaces (errno).
    #[error("unshare failed: {}", std::io::Error::from_raw_os_error(*.0))]
    Unshare(i32),
    #[error("the probe process died")]
    ProbeDied,
}

/// Why a box gets no seccomp filter here.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SeccompError {
    /// PR_GET_SECCOMP failed (errno).
    #[error("not in this kernel ({})", std::io::Error::from_raw_os_error(*.0))]
    NotInKernel(i32),
    #[error("the judge built no filter")]
    NoFilter,
    #[error("the judge could not build its filter: {0}")]
    Build(#[source] BackendError),
}

/// The errno of the last failed call, as a number a variant keeps.
fn last_errno() -> i32 {
    std::io::Error::last_os_error()
        .raw_os_error()
        .unwrap_or(libc::EINVAL)
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
            seccomp: seccomp_layer(probe_seccomp(), super::seccomp::filters),
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
                "cgroups ({why}); instead {}",
                without_cgroups(self.root)
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

/// What limits a box without cgroups, and by what: said by doctor and every report.
pub fn without_cgroups(root: bool) -> String {
    let processes = if root {
        "processes by RLIMIT_NPROC (per uid, machine-wide)"
    } else {
        "processes are not limited (RLIMIT_NPROC would count the user's own), only the CPU time and wall clock they share"
    };
    format!(
        "memory is limited by address space (RLIMIT_AS) and not measured, {processes}, and CPU time is read from /proc every 50 ms"
    )
}

/// Forks a child that enters the namespaces a box uses; it works iff the child can.
fn probe_namespaces(root: bool) -> Result<(), NamespaceError> {
    let flags = super::isolate::namespace_flags(root);
    // SAFETY: the child only makes raw syscalls and exits; the parent waits for it.
    unsafe {
        let pid = libc::fork();
        if pid < 0 {
            return Err(NamespaceError::Fork(last_errno()));
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
        libc::waitpid(pid, &raw mut status, 0);
        match libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)) {
            Some(0) => Ok(()),
            Some(errno) => Err(NamespaceError::Unshare(errno)),
            None => Err(NamespaceError::ProbeDied),
        }
    }
}

fn probe_seccomp() -> Result<(), SeccompError> {
    // SAFETY: PR_GET_SECCOMP only reads this thread's mode.
    let mode = unsafe { libc::prctl(libc::PR_GET_SECCOMP, 0, 0, 0, 0) };
    if mode < 0 {
        Err(SeccompError::NotInKernel(last_errno()))
    } else {
        Ok(())
    }
}

/// The seccomp layer: the filters, when the kernel has seccomp and `build` makes them.
fn seccomp_layer(
    kernel: Result<(), SeccompError>,
    build: impl FnOnce() -> Result<Vec<BpfProgram>, BackendError>,
) -> Result<Vec<BpfProgram>, SeccompError> {
    kernel?;
    match build() {
        Ok(filters) if !filters.is_empty() => Ok(filters),
        Ok(_) => Err(SeccompError::NoFilter),
        Err(e) => Err(SeccompError::Build(e)),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn layers_with(seccomp: Result<Vec<BpfProgram>, SeccompError>) -> Layers {
        Layers {
            root: true,
            namespaces: Ok(()),
            cgroups: Err(CgroupError::V1NotMounted {
                controller: "memory",
                root: "/nonexistent".into(),
            }),
            seccomp,
            landlock_abi: Some(1),
        }
    }

    #[test]
    fn a_filter_that_cannot_be_built_is_a_missing_layer() {
        let unsupported = || BackendError::InvalidTargetArch("sparc".into());
        let layer = seccomp_layer(Ok(()), || Err(unsupported()));
        assert_eq!(layer, Err(SeccompError::Build(unsupported())));
        assert_eq!(
            layer.as_ref().unwrap_err().to_string(),
            "the judge could not build its filter: Invalid target arch: sparc."
        );
        let missing = layers_with(layer).missing();
        assert!(
            missing.contains(
                &"seccomp syscall filter: the judge could not build its filter: Invalid target arch: sparc."
                    .to_string()
            ),
            "{missing:?}"
        );
        assert_eq!(
            seccomp_layer(Ok(()), || Ok(Vec::new())),
            Err(SeccompError::NoFilter)
        );
    }

    #[test]
    fn a_kernel_without_seccomp_is_a_missing_layer_whatever_the_filter() {
        let layer = seccomp_layer(Err(SeccompError::NotInKernel(libc::EINVAL)), || {
            panic!("no filter is built for a kernel without seccomp")
        });
        assert_eq!(layer, Err(SeccompError::NotInKernel(libc::EINVAL)));
        assert_eq!(
            layer.unwrap_err().to_string(),
            "not in this kernel (Invalid argument (os error 22))"
        );
    }

    #[test]
    fn the_filters_build_here_and_the_layer_carries_them() {
        let filters = seccomp_layer(Ok(()), super::super::seccomp::filters).unwrap();
        assert_eq!(filters.len(), 2);
        assert!(layers_with(Ok(filters))
            .missing()
            .iter()
            .all(|m| !m.starts_with("seccomp")));
    }
}
