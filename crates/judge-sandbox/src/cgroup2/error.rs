//! Why the judge cannot manage a cgroup v2 here, as data; its words are one line naming the
//! cause and the fix.

use std::io;
use std::path::{Path, PathBuf};

use super::{Place, LEAF};

/// Why delegation could not be set up in the judge's cgroup.
#[derive(Debug, thiserror::Error)]
pub enum DelegationError {
    #[error("cgroup v2: cannot read /proc/self/cgroup: {0}")]
    ReadOwnCgroup(#[source] io::Error),
    #[error("cgroup v2: /proc/self/cgroup has no cgroup v2 line (0::)")]
    NoV2Line,
    /// The judge's cgroup, as /proc/self/cgroup names it, is above its namespace's root.
    #[error(
        "cgroup v2: the judge's cgroup ({0}) is outside its cgroup namespace: start it \
         inside the namespace it sees"
    )]
    OutsideNamespace(String),
    /// `place` lacks a controller a box needs: nothing was delegated to it.
    #[error(
        "cgroup v2: {} has no {} controller to hand down (it is not delegated): {}",
        .place.describe(),
        .missing.join(" or "),
        .place.delegate_fix()
    )]
    NotDelegated {
        place: Place,
        missing: Vec<&'static str>,
    },
    /// A step of the setup failed.
    #[error("{}", refusal(.action, .path, .mount, .place, *.uid, .source))]
    Refused {
        /// What the judge tried ("create", "lock", "enable controllers in", ...).
        action: &'static str,
        /// The cgroup, from the mount (`/` is the mount itself).
        path: PathBuf,
        mount: PathBuf,
        place: Place,
        uid: u32,
        #[source]
        source: io::Error,
    },
}

/// Turns a failed step into a `Refused`: what the setup knows of the place and the user.
pub(super) struct Refuse<'a> {
    pub place: &'a Place,
    pub mount: &'a Path,
    pub uid: u32,
}

impl Refuse<'_> {
    pub fn io(&self, action: &'static str, path: &Path, source: io::Error) -> DelegationError {
        DelegationError::Refused {
            action,
            path: Path::new("/").join(path.strip_prefix(self.mount).unwrap_or(path)),
            mount: self.mount.to_path_buf(),
            place: self.place.clone(),
            uid: self.uid,
            source,
        }
    }
}

/// A refused step in one line: what failed, and what to change by its cause.
fn refusal(
    action: &str,
    path: &Path,
    mount: &Path,
    place: &Place,
    uid: u32,
    e: &io::Error,
) -> String {
    let what = format!("cgroup v2: cannot {action} {}", path.display());
    match e.raw_os_error() {
        Some(libc::EROFS) => format!(
            "{what}: {} is mounted read-only: {}",
            mount.display(),
            place.read_only_fix()
        ),
        Some(libc::EACCES | libc::EPERM) if uid != 0 => format!(
            "{what}: uid {uid} may not write there ({} is not delegated to this user): run \
             the judge as a systemd unit with User= and Delegate=yes, or under \
             systemd-run --user --scope -p Delegate=yes",
            place.describe()
        ),
        Some(libc::EACCES | libc::EPERM) => format!(
            "{what}: refused even to root ({e}): a security module (AppArmor, SELinux) or \
             the container's runtime forbids it; in a container, see --cgroupns=private \
             with a writable /sys/fs/cgroup"
        ),
        Some(libc::EBUSY) => format!(
            "{what}: processes keep joining {} while the judge moves them to its leaf \
             {LEAF}: start the judge where nothing else starts processes at that moment",
            place.describe()
        ),
        _ => format!("{what}: {e}"),
    }
}
