//! Delegation against a fake cgroupfs in a temp dir that keeps the kernel's rules which
//! matter here: a child lists what its parent enables, a non-root cgroup with processes
//! cannot enable controllers for children (EBUSY) nor take processes once it has (EBUSY), a
//! cgroup with processes or children cannot be removed, a read-only mount refuses writes.
//! Locks are real flocks on the tree's directories.

use std::collections::BTreeSet;
use std::io;
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};

use super::*;

struct FakeFs {
    dir: tempfile::TempDir,
    read_only: bool,
    /// Writes refused with EACCES (a cgroup not delegated to this user).
    denied: bool,
    live: BTreeSet<u32>,
}

fn err(code: i32) -> io::Error {
    io::Error::from_raw_os_error(code)
}

impl FakeFs {
    /// A hierarchy whose root has `controllers`, with `cpu memory pids` enabled for its
    /// children as systemd does.
    fn new(controllers: &str) -> FakeFs {
        let fs = FakeFs {
            dir: tempfile::tempdir().unwrap(),
            read_only: false,
            denied: false,
            live: BTreeSet::new(),
        };
        let root = fs.root();
        std::fs::write(root.join("cgroup.controllers"), controllers).unwrap();
        std::fs::write(root.join("cgroup.subtree_control"), "").unwrap();
        std::fs::write(root.join("cgroup.procs"), "").unwrap();
        fs.write(&root.join("cgroup.subtree_control"), "+cpu +memory +pids")
            .unwrap();
        fs
    }

    /// A hierarchy whose root enables nothing for its children yet, as a kernel boots.
    fn bare(controllers: &str) -> FakeFs {
        let fs = FakeFs::new(controllers);
        let off: Vec<String> = words(controllers).iter().map(|c| format!("-{c}")).collect();
        fs.write(&fs.root().join("cgroup.subtree_control"), &off.join(" "))
            .unwrap();
        fs
    }

    fn root(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    fn is_root(&self, dir: &Path) -> bool {
        dir == self.dir.path()
    }

    fn get(dir: &Path, file: &str) -> Vec<String> {
        words(&std::fs::read_to_string(dir.join(file)).unwrap_or_default())
    }

    fn set(dir: &Path, file: &str, items: &[String]) {
        std::fs::write(dir.join(file), items.join("\n")).unwrap();
    }

    /// A cgroup with `pids` in it, made by whoever set the machine up (not the judge).
    fn cgroup(&mut self, rel: &str, pids: &[u32]) -> PathBuf {
        let dir = self.root().join(rel);
        let (ro, denied) = (self.read_only, self.denied);
        (self.read_only, self.denied) = (false, false);
        for ancestor in Path::new(rel).ancestors().collect::<Vec<_>>().iter().rev() {
            if !ancestor.as_os_str().is_empty() && !self.root().join(ancestor).exists() {
                self.mkdir(&self.root().join(ancestor)).unwrap();
            }
        }
        for pid in pids {
            self.live.insert(*pid);
            let mut procs = Self::get(&dir, "cgroup.procs");
            procs.push(pid.to_string());
            Self::set(&dir, "cgroup.procs", &procs);
        }
        (self.read_only, self.denied) = (ro, denied);
        dir
    }

    /// Every cgroup under the root, as paths from it.
    fn tree(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut todo = vec![self.root()];
        while let Some(dir) = todo.pop() {
            for name in self.children(&dir).unwrap() {
                let child = dir.join(name);
                out.push(
                    child
                        .strip_prefix(self.root())
                        .unwrap()
                        .display()
                        .to_string(),
                );
                todo.push(child);
            }
        }
        out.sort();
        out
    }

    fn find_pid(&self, pid: &str) -> Option<PathBuf> {
        let mut todo = vec![self.root()];
        while let Some(dir) = todo.pop() {
            if Self::get(&dir, "cgroup.procs").iter().any(|p| p == pid) {
                return Some(dir);
            }
            todo.extend(
                self.children(&dir)
                    .unwrap()
                    .into_iter()
                    .map(|n| dir.join(n)),
            );
        }
        None
    }

    fn guard(&self) -> io::Result<()> {
        if self.read_only {
            return Err(err(libc::EROFS));
        }
        if self.denied {
            return Err(err(libc::EACCES));
        }
        Ok(())
    }

    fn subtree_control(&self, dir: &Path, text: &str) -> io::Result<()> {
        let mut on = Self::get(dir, "cgroup.subtree_control");
        let available = Self::get(dir, "cgroup.controllers");
        for word in text.split_whitespace() {
            let (enable, name) = word.split_at(1);
            if enable == "+" {
                if !available.iter().any(|a| a == name) {
                    return Err(err(libc::ENOENT));
                }
                if !self.is_root(dir) && !Self::get(dir, "cgroup.procs").is_empty() {
                    return Err(err(libc::EBUSY));
                }
                if !on.iter().any(|o| o == name) {
                    on.push(name.to_string());
                }
            } else {
                let used = self.children(dir)?.iter().any(|c| {
                    Self::get(&dir.join(c), "cgroup.subtree_control")
                        .iter()
                        .any(|o| o == name)
                });
                if used {
                    return Err(err(libc::EBUSY));
                }
                on.retain(|o| o != name);
            }
        }
        Self::set(dir, "cgroup.subtree_control", &on);
        for child in self.children(dir)? {
            Self::set(&dir.join(child), "cgroup.controllers", &on);
        }
        Ok(())
    }

    fn join(&self, dir: &Path, pid: &str) -> io::Result<()> {
        if !self.is_root(dir) && !Self::get(dir, "cgroup.subtree_control").is_empty() {
            return Err(err(libc::EBUSY));
        }
        let from = self.find_pid(pid).ok_or_else(|| err(libc::ESRCH))?;
        let mut procs = Self::get(&from, "cgroup.procs");
        procs.retain(|p| p != pid);
        Self::set(&from, "cgroup.procs", &procs);
        let mut procs = Self::get(dir, "cgroup.procs");
        procs.push(pid.to_string());
        Self::set(dir, "cgroup.procs", &procs);
        Ok(())
    }
}

impl Fs for FakeFs {
    fn read(&self, path: &Path) -> io::Result<String> {
        std::fs::read_to_string(path)
    }

    fn write(&self, path: &Path, text: &str) -> io::Result<()> {
        self.guard()?;
        let dir = path.parent().unwrap();
        if !path.exists() {
            return Err(err(libc::ENOENT));
        }
        match path.file_name().and_then(|n| n.to_str()) {
            Some("cgroup.subtree_control") => self.subtree_control(dir, text),
            Some("cgroup.procs") => self.join(dir, text.trim()),
            Some("cgroup.kill") => {
                Self::set(dir, "cgroup.procs", &[]);
                Ok(())
            }
            _ => std::fs::write(path, text),
        }
    }

    fn mkdir(&self, path: &Path) -> io::Result<()> {
        self.guard()?;
        std::fs::create_dir(path)?;
        let parent = path.parent().unwrap();
        let on = Self::get(parent, "cgroup.subtree_control");
        Self::set(path, "cgroup.controllers", &on);
        for file in ["cgroup.subtree_control", "cgroup.procs", "cgroup.kill"] {
            std::fs::write(path.join(file), "").unwrap();
        }
        std::fs::write(path.join("cgroup.type"), "domain").unwrap();
        Ok(())
    }

    fn rmdir(&self, path: &Path) -> io::Result<()> {
        self.guard()?;
        if !Self::get(path, "cgroup.procs").is_empty() || !self.children(path)?.is_empty() {
            return Err(err(libc::EBUSY));
        }
        std::fs::remove_dir_all(path)
    }

    fn children(&self, path: &Path) -> io::Result<Vec<String>> {
        RealFs.children(path)
    }

    fn alive(&self, pid: u32) -> bool {
        self.live.contains(&pid)
    }

    fn lock(&self, path: &Path, how: Lock) -> io::Result<Option<OwnedFd>> {
        RealFs.lock(path, how)
    }
}

/// The `/proc/self/cgroup` of a process in `rel`.
fn in_cgroup(rel: &str) -> String {
    format!("0::/{rel}\n")
}

const JUDGE: u32 = 4242;
const MAIN: u32 = 100;

/// A systemd service with `Delegate=yes`: its cgroup lists the controllers, enables none,
/// and holds the service's main process besides the judge.
fn delegated_service() -> (FakeFs, PathBuf) {
    let mut fs = FakeFs::new("cpuset cpu io memory pids");
    let slice = fs.cgroup("system.slice", &[]);
    fs.write(&slice.join("cgroup.subtree_control"), "+cpu +memory +pids")
        .unwrap();
    let service = fs.cgroup("system.slice/judge.service", &[MAIN, JUDGE]);
    (fs, service)
}

/// The judge (as root) setting up in the service's cgroup of `delegated_service`.
fn in_service(fs: &FakeFs) -> Result<Delegation, DelegationError> {
    setup(fs, &fs.root(), &in_cgroup(SERVICE), JUDGE, 0)
}

const SERVICE: &str = "system.slice/judge.service";

#[test]
fn a_delegated_service_moves_its_processes_to_a_leaf_then_hands_controllers_down() {
    let (fs, service) = delegated_service();
    let d = in_service(&fs).unwrap();
    assert_eq!(d.base, service);
    assert_eq!(d.runs, service.join(RUNS));
    assert_eq!(d.place, Place::Unit("judge.service".into()));
    assert_eq!(FakeFs::get(&service, "cgroup.procs"), Vec::<String>::new());
    assert_eq!(
        FakeFs::get(&service.join(LEAF), "cgroup.procs"),
        ["100", "4242"]
    );
    assert_eq!(
        FakeFs::get(&service, "cgroup.subtree_control"),
        ["cpu", "memory", "pids"]
    );
    assert_eq!(
        FakeFs::get(&d.runs, "cgroup.subtree_control"),
        ["cpu", "memory", "pids"]
    );
    // A box's cgroup under `runs` gets the controllers.
    let run = d.runs.join(format!("run-{JUDGE}-00000000-0"));
    fs.mkdir(&run).unwrap();
    assert_eq!(
        FakeFs::get(&run, "cgroup.controllers"),
        ["cpu", "memory", "pids"]
    );
    fs.rmdir(&run).unwrap();
    teardown(&fs, d);
    assert_eq!(FakeFs::get(&service, "cgroup.procs"), ["100", "4242"]);
    assert_eq!(
        FakeFs::get(&service, "cgroup.subtree_control"),
        Vec::<String>::new()
    );
    assert_eq!(fs.tree(), ["system.slice", "system.slice/judge.service"]);
}

#[test]
fn a_service_without_delegation_is_refused_with_the_fix_and_left_untouched() {
    let mut fs = FakeFs::new("cpu memory pids");
    fs.cgroup("system.slice/judge.service", &[MAIN, JUDGE]);
    let why = in_service(&fs).unwrap_err();
    assert!(
        matches!(&why, DelegationError::NotDelegated { missing, .. } if missing == &["memory", "pids"]),
        "{why:?}"
    );
    let why = why.to_string();
    assert_eq!(
        why,
        "cgroup v2: the cgroup of judge.service has no memory or pids controller to hand \
         down (it is not delegated): add Delegate=yes to the [Service] section of \
         judge.service (deploy/judge-serve.service has it), then restart it"
    );
    assert!(!why.contains("root"), "{why}");
    assert_eq!(fs.tree(), ["system.slice", "system.slice/judge.service"]);
}

#[test]
fn a_scope_without_delegation_is_told_to_use_systemd_run() {
    let mut fs = FakeFs::new("cpu memory pids");
    fs.cgroup("user.slice/session-3.scope", &[JUDGE]);
    let why = setup(
        &fs,
        &fs.root(),
        &in_cgroup("user.slice/session-3.scope"),
        JUDGE,
        1000,
    )
    .unwrap_err()
    .to_string();
    assert!(
        why.contains("the cgroup of session-3.scope has no memory or pids controller")
            && why.ends_with("start the judge with systemd-run --scope -p Delegate=yes"),
        "{why}"
    );
}

#[test]
fn a_judge_started_from_the_leaf_manages_the_leafs_parent() {
    let (fs, service) = delegated_service();
    let first = in_service(&fs).unwrap();
    // A second judge, started by a process now in the leaf.
    let mut fs = fs;
    fs.live.insert(JUDGE + 1);
    let leaf = service.join(LEAF);
    let mut procs = FakeFs::get(&leaf, "cgroup.procs");
    procs.push((JUDGE + 1).to_string());
    FakeFs::set(&leaf, "cgroup.procs", &procs);
    let second = setup(
        &fs,
        &fs.root(),
        &in_cgroup("system.slice/judge.service/judge-self"),
        JUDGE + 1,
        0,
    )
    .unwrap();
    assert_eq!(second.base, service);
    // The first to end leaves everything to the second; the last one out restores it.
    teardown(&fs, first);
    assert!(service.join(RUNS).is_dir() && leaf.is_dir());
    teardown(&fs, second);
    assert_eq!(fs.tree(), ["system.slice", "system.slice/judge.service"]);
    assert_eq!(
        FakeFs::get(&service, "cgroup.procs"),
        ["100", "4242", "4243"]
    );
}

#[test]
fn a_container_with_a_private_namespace_is_managed_from_its_root() {
    // The mount shows the container's own cgroup as the root: it has a cgroup.type.
    let mut fs = FakeFs::bare("cpu memory pids");
    let ns_root = fs.cgroup("container", &[1, JUDGE]);
    fs.write(&fs.root().join("cgroup.subtree_control"), "+memory +pids")
        .unwrap();
    let d = setup(&fs, &ns_root, &in_cgroup(""), JUDGE, 0).unwrap();
    assert_eq!(d.place, Place::Container);
    assert_eq!(d.base, ns_root);
    assert_eq!(
        FakeFs::get(&ns_root.join(LEAF), "cgroup.procs"),
        ["1", "4242"]
    );
    // Only the controllers the container has are handed down (no cpu here).
    assert_eq!(
        FakeFs::get(&d.runs, "cgroup.subtree_control"),
        ["memory", "pids"]
    );
    teardown(&fs, d);
    assert_eq!(fs.tree(), ["container"]);
    assert_eq!(FakeFs::get(&ns_root, "cgroup.procs"), ["1", "4242"]);
}

#[test]
fn a_read_only_cgroupfs_in_a_container_names_the_flags_that_make_it_writable() {
    let mut fs = FakeFs::new("cpu memory pids");
    let ns_root = fs.cgroup("container", &[1, JUDGE]);
    fs.read_only = true;
    let why = setup(&fs, &ns_root, &in_cgroup(""), JUDGE, 0).unwrap_err();
    assert!(
        matches!(&why, DelegationError::Refused { source, .. } if source.raw_os_error() == Some(libc::EROFS)),
        "{why:?}"
    );
    let why = why.to_string();
    assert!(
        why.starts_with("cgroup v2: cannot enable controllers in /: ")
            && why.contains("is mounted read-only: run the container with --cgroupns=private and a writable /sys/fs/cgroup"),
        "{why}"
    );
    fs.read_only = false;
    assert_eq!(fs.tree(), ["container"]);
}

#[test]
fn the_root_cgroup_needs_no_leaf_and_keeps_its_controllers() {
    let mut fs = FakeFs::bare("cpu memory pids");
    fs.cgroup("", &[1, JUDGE]);
    let d = setup(&fs, &fs.root(), &in_cgroup(""), JUDGE, 0).unwrap();
    assert_eq!(d.place, Place::Root);
    assert_eq!(fs.tree(), [RUNS]);
    assert_eq!(
        FakeFs::get(&fs.root(), "cgroup.subtree_control"),
        ["cpu", "memory", "pids"]
    );
    teardown(&fs, d);
    assert_eq!(fs.tree(), Vec::<String>::new());
    assert_eq!(FakeFs::get(&fs.root(), "cgroup.procs"), ["1", "4242"]);
}

#[test]
fn a_user_without_write_access_is_told_to_delegate_and_root_is_never_called_unprivileged() {
    let (mut fs, _) = delegated_service();
    fs.denied = true;
    let own = in_cgroup("system.slice/judge.service");
    let user = setup(&fs, &fs.root(), &own, JUDGE, 1000)
        .unwrap_err()
        .to_string();
    assert!(
        user.contains("uid 1000 may not write there (the cgroup of judge.service is not delegated to this user)"),
        "{user}"
    );
    let root = setup(&fs, &fs.root(), &own, JUDGE, 0)
        .unwrap_err()
        .to_string();
    assert!(root.contains("refused even to root"), "{root}");
    assert!(
        !root.contains("not root") && !root.contains("uid 0"),
        "{root}"
    );
}

#[test]
fn leftovers_of_a_killed_judge_are_swept_and_a_live_judges_boxes_are_not() {
    let (mut fs, service) = delegated_service();
    let dead = 7001;
    let alive = 7002;
    fs.live.insert(alive);
    // What a judge killed with SIGKILL leaves: its delegation, an empty box cgroup and one
    // whose box outlived it; beside them a live judge's box and a cgroup of another name.
    let d = in_service(&fs).unwrap();
    let runs = d.runs.clone();
    // Killed: its locks go with it, and nothing is undone.
    drop(d);
    for name in [
        format!("run-{dead}-0badcafe-0"),
        format!("run-{dead}-0badcafe-1"),
        format!("run-{alive}-12345678-0"),
        "other".to_string(),
    ] {
        fs.mkdir(&runs.join(name)).unwrap();
    }
    fs.live.insert(9000);
    FakeFs::set(
        &runs.join(format!("run-{dead}-0badcafe-1")),
        "cgroup.procs",
        &["9000".to_string()],
    );
    let next = setup(
        &fs,
        &fs.root(),
        &in_cgroup("system.slice/judge.service/judge-self"),
        JUDGE + 1,
        0,
    )
    .unwrap();
    assert_eq!(next.base, service);
    let mut left = fs.children(&runs).unwrap();
    left.sort();
    assert_eq!(
        left,
        ["other".to_string(), format!("run-{alive}-12345678-0")]
    );
}

#[test]
fn the_own_cgroup_line_is_read_whatever_else_proc_self_cgroup_says() {
    assert_eq!(
        own_cgroup("12:memory:/x\n0::/system.slice/a.service\n").unwrap(),
        "system.slice/a.service"
    );
    assert_eq!(own_cgroup("0::/\n").unwrap(), "");
    assert!(own_cgroup("0::/../../elsewhere\n")
        .unwrap_err()
        .to_string()
        .contains("outside its cgroup namespace"));
    assert!(matches!(
        own_cgroup("4:memory:/x\n"),
        Err(DelegationError::NoV2Line)
    ));
    assert_eq!(creator_pid("run-123-0badcafe-7"), Some(123));
    assert_eq!(creator_pid("judge-self"), None);
}
