//! The deployment files (deploy/): the systemd units are valid units with the hardening they
//! claim, and what they take away (privileges, capabilities, root) leaves the judge's
//! sandbox whole. The container image's command is run in a VM's private cgroup namespace
//! by `cgroup2::a_container_with_a_private_cgroup_namespace_judges_and_serves_with_a_cgroup_per_box`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::repo;

const UNITS: [&str; 2] = ["judge-serve.service", "judge-worker.service"];

/// Says loudly that a test did not run, or fails under CI=true.
fn skipped(why: &str) {
    assert!(
        std::env::var_os("CI").is_none_or(|v| v != "true"),
        "{why}, and CI=true requires the deployment tests to run"
    );
    eprintln!("SKIPPED: {why}; a deployment test (tests/integration/deploy.rs) did not run");
}

fn systemd_analyze() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("systemd-analyze"))
        .find(|p| p.is_file())
}

fn unit_text(name: &str) -> String {
    std::fs::read_to_string(repo().join("deploy").join(name)).unwrap()
}

/// The values a unit gives `key` (`Key=value` lines of its sections).
fn settings(text: &str, key: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix(key)?.strip_prefix('='))
        .map(str::to_string)
        .collect()
}

/// A copy of the unit whose ExecStart runs this build's judge (the checks need the program
/// to exist).
fn unit_copy(name: &str, dir: &Path) -> PathBuf {
    let text = unit_text(name).replace("/usr/local/bin/judge", env!("CARGO_BIN_EXE_judge"));
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn the_systemd_units_are_valid_and_keep_their_hardening() {
    let Some(analyze) = systemd_analyze() else {
        skipped("systemd-analyze is not installed (apt-get install systemd)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for name in UNITS {
        let unit = unit_copy(name, dir.path());
        let out = Command::new(&analyze)
            .arg("verify")
            .arg(&unit)
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && said.trim().is_empty(),
            "{name}: {said}"
        );
        // Exposure 5.0 ("OK") at most, as systemd rates it.
        let out = Command::new(&analyze)
            .args(["security", "--offline=yes", "--threshold=50"])
            .arg(&unit)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
        let text = unit_text(name);
        assert_eq!(settings(&text, "Delegate"), ["yes"], "{name}");
        assert_eq!(settings(&text, "KillMode"), ["mixed"], "{name}");
        assert!(settings(&text, "ProtectControlGroups").is_empty(), "{name}");
    }
}

#[test]
fn what_the_units_take_away_leaves_the_sandbox_whole() {
    // SAFETY: geteuid only reads this process's credentials.
    if unsafe { libc::geteuid() } != 0 {
        skipped("not root: the judge cannot be started as another user here");
        return;
    }
    for name in UNITS {
        // The unit's user is unprivileged, gains no privilege and holds no capability:
        // `judge doctor --selftest` so, from a copy that user may run, with a cache it owns.
        let text = unit_text(name);
        assert_eq!(settings(&text, "User"), ["judge"], "{name}");
        assert_eq!(settings(&text, "NoNewPrivileges"), ["yes"], "{name}");
        assert_eq!(settings(&text, "CapabilityBoundingSet"), [""], "{name}");
        let stdout = crate::redteam::selftest_as_nobody(&[
            "--no-new-privs",
            "--bounding-set=-all",
            "--inh-caps=-all",
        ]);
        assert!(stdout.contains("sandbox self-test (not root)"), "{stdout}");
    }
}
