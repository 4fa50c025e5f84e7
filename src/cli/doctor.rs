//! `judge doctor`: what this machine gives the judge (toolchain, cache, the bank, isolation
//! layers), and the warning every report carries about the layers that are not enforced.

use std::fmt::Write;

use crate::build::toolchain::Toolchain;
use crate::cache::Cache;
use crate::languages::Languages;
use crate::problem::bank::{Bank, BankError};
use crate::sandbox::layers::{self, Layers};

/// What every run gets, whatever the machine.
const ALWAYS: &[&str] = &[
    "rlimits: CPU time (also watched every 50 ms), address space, file size, no core dumps",
    "a fresh process group per run, killed when the run ends; a wall-clock backstop",
    "an empty environment and a private working directory per run",
    "capped output pipes, all drained at once",
];

/// `judge doctor`: 0 when the judge can judge here, 2 when something it needs is missing.
pub(super) fn print_report(cache: &Cache, bank: &Result<Bank, BankError>) -> i32 {
    let (text, ok) = report(cache, bank);
    super::emit(format_args!("{text}"));
    if ok {
        0
    } else {
        2
    }
}

/// `judge doctor --selftest`: 1 when the box allows something it must not.
pub(super) fn print_selftest(cache: &Cache) -> i32 {
    let (text, ok) = selftest(cache);
    super::emit(format_args!("{text}"));
    i32::from(!ok)
}

pub fn report(cache: &Cache, bank: &Result<Bank, BankError>) -> (String, bool) {
    let mut out = String::new();
    let mut ok = true;
    let _ = writeln!(out, "cache: {}", cache.root().display());
    match bank {
        Ok(bank) => {
            let _ = writeln!(
                out,
                "bank: {}, {} problem(s)",
                bank.describe(),
                bank.ids().len()
            );
        }
        Err(e) => {
            ok = false;
            let _ = writeln!(out, "bank: MISSING: {e}");
        }
    }
    match Toolchain::open(cache) {
        Ok(t) => {
            let release = t.version.lines().next().unwrap_or("").to_string();
            let _ = writeln!(
                out,
                "toolchain: ok, {release}; solution runtime (ndarray, serde_json) built"
            );
        }
        Err(e) => {
            ok = false;
            let _ = writeln!(out, "toolchain: MISSING: {e}");
        }
    }
    ok &= languages(&mut out, bank.as_ref().ok(), cache);
    let _ = writeln!(out, "isolation layers:");
    for layer in layer_lines(layers::detect()) {
        let _ = writeln!(
            out,
            "  {}  {}",
            if layer.active { "yes" } else { "NO " },
            layer.text
        );
        for (label, text) in [("why", &layer.why), ("instead", &layer.instead)] {
            if let Some(text) = text {
                let _ = writeln!(out, "       {label}: {text}");
            }
        }
    }
    for line in ALWAYS {
        let _ = writeln!(out, "  yes  {line}");
    }
    let missing = layers::detect().missing();
    if missing.is_empty() {
        let _ = writeln!(
            out,
            "every layer is active: reports carry no isolation warning"
        );
    } else {
        let _ = writeln!(
            out,
            "NOT enforced here (every report says so): {}",
            missing.join("; ")
        );
    }
    (out, ok)
}

/// The languages table (`languages.toml` built in, and the bank's own when it has one):
/// each language with its version, or "not installed" and why. A missing language is no
/// failure (a machine may judge fewer languages); a table that does not load is.
fn languages(out: &mut String, bank: Option<&Bank>, cache: &Cache) -> bool {
    let root = bank.map(|b| b.root.as_path());
    let table = match Languages::load(root) {
        Ok(table) => table,
        Err(e) => {
            let _ = writeln!(out, "languages: BROKEN: {e}");
            return false;
        }
    };
    let from = root
        .map(|r| r.join(crate::languages::FILE_NAME))
        .filter(|p| p.is_file())
        .map_or_else(
            || "built into the judge".to_string(),
            |p| format!("built in, changed by {}", p.display()),
        );
    let _ = writeln!(out, "languages ({from}; --lang <id> picks one):");
    let width = table.all().iter().map(|l| l.name.len()).max().unwrap_or(0);
    for language in table.all() {
        let state = match language.version() {
            Ok(version) => version,
            Err(crate::languages::LanguageError::NotInstalled { why, .. }) => {
                format!("not installed ({why})")
            }
            Err(e) => format!("not usable: {e}"),
        };
        let _ = writeln!(
            out,
            "  {:<8} {:<width$}  {state}",
            language.id, language.name
        );
        if language.functions.is_some() && language.installed().is_ok() {
            let _ = writeln!(
                out,
                "  {:<8} {:<width$}  function problems: {}",
                "",
                "",
                crate::build::python::packages::status(cache, language)
            );
        }
    }
    true
}

/// One isolation layer as doctor shows it: a layer that is not active says why (the cause
/// and what to change) and what holds in its place.
struct Layer {
    active: bool,
    text: String,
    why: Option<String>,
    instead: Option<String>,
}

impl Layer {
    fn new<T, E: std::fmt::Display>(
        state: &Result<T, E>,
        text: impl Into<String>,
        instead: &str,
    ) -> Layer {
        Layer {
            active: state.is_ok(),
            text: text.into(),
            why: state.as_ref().err().map(E::to_string),
            instead: state.is_err().then(|| instead.to_string()),
        }
    }
}

fn layer_lines(l: &Layers) -> Vec<Layer> {
    let who = if l.root {
        "running as root: boxes drop to uid 65534 with no capabilities"
    } else {
        "not root: boxes use a user namespace and drop every capability"
    };
    let cgroups = match &l.cgroups {
        Ok(c) => format!(
            "cgroups: memory limit (OOM kill -> MLE), peak memory, pids limit, CPU time summed over every process and thread ({})",
            c.describe()
        ),
        Err(_) => "cgroups: memory limit, peak memory, pids limit, CPU time of the whole box".into(),
    };
    let landlock = l.landlock_abi.ok_or(
        "not in this kernel: boot one built with CONFIG_SECURITY_LANDLOCK=y and landlock in its lsm= list",
    );
    let disk = l
        .namespaces
        .as_ref()
        .map_err(|_| "it is a mount of the box's own: it needs the namespaces layer");
    let facts = l.cgroups.as_ref().map(|_| ()).map_err(|_| {
        "peak memory and the CPU time of every process of a box come from its cgroup: get the cgroups layer (above)"
    });
    vec![
        Layer {
            active: true,
            text: who.to_string(),
            why: None,
            instead: None,
        },
        Layer::new(
            &l.namespaces,
            "namespaces: mount (read-only tmpfs root, only the toolchain, libraries and work dir), pid, network (no interfaces, not even loopback), IPC, UTS",
            "a box sees the host's files as the judge's user does, can reach the network and sees the host's processes: rlimits, an empty environment and a private work dir only",
        ),
        Layer::new(&l.cgroups, cgroups, &layers::without_cgroups(l.root)),
        Layer::new(
            &l.seccomp,
            "seccomp: denies ptrace, keyrings, io_uring, bpf, perf, userfaultfd, new namespaces, mounts, modules, vsock, memfd_create, execveat",
            "a box may make any system call its namespaces and uid allow",
        ),
        Layer::new(
            &landlock,
            match l.landlock_abi {
                Some(abi) => format!("landlock (ABI {abi}): a run box may execute its own program (and its ELF loader) only, a compile box the toolchain only"),
                None => "landlock: a run box may execute its own program only".to_string(),
            },
            "a box may execute any file it can see",
        ),
        Layer::new(
            &disk,
            "box disk: each run writes to its own tmpfs (work dir and /tmp; size and inode limits, counted as its memory), gone with the box",
            "a run writes to a folder on the host's disk, each file limited by RLIMIT_FSIZE",
        ),
        Layer {
            active: true,
            text: "descriptors: a box keeps stdin, stdout, stderr and its answer pipe only; whatever the judge inherited is closed before exec".to_string(),
            why: None,
            instead: None,
        },
        Layer::new(
            &facts,
            "verdict facts: CPU time, peak memory and the disk's state are measured outside the box; only the answer comes from it",
            "CPU time is read from /proc every 50 ms (what a process spends after the last look and before it ends is missed); peak memory is not measured: reports say 0 MiB, and MLE comes only from a failed allocation under the address-space limit",
        ),
    ]
}

/// `judge doctor --selftest`: boxes a shell (no compiler needed, so it runs for any user)
/// and checks from inside what the box must and must not allow. Each line says ok or FAILED.
pub fn selftest(cache: &Cache) -> (String, bool) {
    let mut out = String::new();
    let mut ok = true;
    let user = if layers::detect().root {
        "root"
    } else {
        "not root"
    };
    let _ = writeln!(out, "sandbox self-test ({user}):");
    let secret = match cache.temp_dir() {
        Ok(d) => d,
        Err(e) => {
            return (
                format!("cannot make a temporary folder in the cache: {e}\n"),
                false,
            )
        }
    };
    let secret_file = secret.path().join("secret.txt");
    let _ = std::fs::write(&secret_file, "host data");
    let tools = Setup::Tools;
    let checks: [(&str, String, Setup, &Check); 8] = [
        ("a box starts and reads its stdin", "cat".into(), tools, &|o| o.stdout == b"case"),
        (
            "host files are out of sight",
            format!("test -e {} && echo seen; ls / | tr '\\n' ' '", secret_file.display()),
            tools,
            &|o| !String::from_utf8_lossy(&o.stdout).contains("seen"),
        ),
        (
            "only the work dir is writable",
            "touch ./mine && ! touch /usr/theirs 2>/dev/null && ! touch /etc/theirs 2>/dev/null && echo fine".into(),
            tools,
            &|o| o.stdout == b"fine\n",
        ),
        (
            "its own pid namespace: the judge's processes are not there",
            "ls /proc | grep -c '^[0-9]'".into(),
            tools,
            &|o| String::from_utf8_lossy(&o.stdout).trim().parse::<u32>().is_ok_and(|n| n <= 4),
        ),
        (
            "no network interfaces but a downed loopback",
            "cat /proc/net/dev | tail -n +3 | grep -v '^ *lo:' | wc -l".into(),
            tools,
            &|o| String::from_utf8_lossy(&o.stdout).trim() == "0",
        ),
        (
            "a sleeper is stopped by the wall clock",
            "sleep 10".into(),
            tools,
            &|o| o.wall_exceeded,
        ),
        (
            "a run box executes its own program only",
            "/usr/bin/env true 2>/dev/null && echo ran; echo done".into(),
            Setup::Run,
            &|o| o.stdout == b"done\n",
        ),
        (
            "a run box writes to its own small disk, and its filling is seen",
            // 4 KiB a write (built-ins only: the box runs no other program), so that the
            // disk fills in a few hundred writes, well within the wall clock on a busy
            // machine; a line at a time once took over the second allowed under load.
            "s=0123456789abcdef; s=$s$s$s$s; s=$s$s$s$s; s=$s$s$s$s; s=$s$s$s$s; while printf %s \"$s\" >> f 2>/dev/null; do :; done; echo full".into(),
            Setup::Run,
            &|o| o.stdout == b"full\n" && o.disk_full,
        ),
    ];
    for (what, script, setup, pass) in checks {
        let result = shell_in_box(cache, &script, setup);
        let good = result.as_ref().is_ok_and(pass);
        ok &= good;
        let detail = match &result {
            Ok(o) if !good => format!(
                " (exit {:?}, stdout {:?}, stderr {:?})",
                o.exit,
                String::from_utf8_lossy(&o.stdout).trim(),
                String::from_utf8_lossy(&o.stderr).trim()
            ),
            Err(e) => format!(" ({e})"),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "  {}  {what}{detail}",
            if good { "ok    " } else { "FAILED" }
        );
    }
    (out, ok)
}

/// What a self-test line requires of the boxed shell's outcome.
type Check = dyn Fn(&crate::sandbox::Outcome) -> bool;

/// How a self-test's box is set up: `Tools` lets the shell run the system's tools (as a
/// compile box may); `Run` is a run box's setup: it may execute the shell alone, and it
/// writes to a private 1 MiB disk.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Setup {
    Tools,
    Run,
}

fn shell_in_box(
    cache: &Cache,
    script: &str,
    setup: Setup,
) -> std::io::Result<crate::sandbox::Outcome> {
    use crate::sandbox::{self, Input, Job, Mount, RunLimits, TOOLCHAIN_PATHS};
    let work = cache.temp_dir()?;
    let run = setup == Setup::Run;
    let job = Job {
        program: "/bin/sh".into(),
        args: vec!["-c".into(), script.into()],
        env: vec![("PATH".into(), "/usr/bin:/bin".into())],
        cwd: work.path().to_path_buf(),
        stdin: Input::Bytes(b"case".to_vec()),
        answer_pipe: true,
        // A shell and its tools live where a compiler's do.
        mounts: TOOLCHAIN_PATHS.iter().map(Mount::read_only).collect(),
        executables: run.then(|| vec!["/bin/sh".into()]),
    };
    sandbox::run(
        &job,
        &RunLimits {
            cpu_ms: 2000,
            wall_ms: 1000,
            address_space: 1 << 30,
            output_bytes: 1 << 16,
            file_bytes: 4 << 20,
            memory_bytes: 256 << 20,
            processes: 16,
            disk: run.then(|| crate::judge::runner::disk(1)),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::{CgroupError, DelegationError, NamespaceError, Place, SeccompError};

    /// A machine with no layer at all, as an unprivileged user.
    fn bare() -> Layers {
        Layers {
            root: false,
            namespaces: Err(NamespaceError::Unshare(libc::EPERM)),
            cgroups: Err(CgroupError::Delegation(DelegationError::NotDelegated {
                place: Place::Unit("x.service".into()),
                missing: vec!["memory", "pids"],
            })),
            seccomp: Err(SeccompError::NotInKernel(libc::ENOSYS)),
            landlock_abi: None,
        }
    }

    #[test]
    fn every_no_says_why_and_what_holds_instead() {
        let lines = layer_lines(&bare());
        let off: Vec<&Layer> = lines.iter().filter(|l| !l.active).collect();
        assert_eq!(
            off.len(),
            6,
            "every layer but the uid and descriptors lines"
        );
        for layer in off {
            let why = layer.why.as_deref().unwrap_or_default();
            let instead = layer.instead.as_deref().unwrap_or_default();
            assert!(!why.is_empty() && !instead.is_empty(), "{}", layer.text);
        }
        let cgroups = lines
            .iter()
            .find(|l| l.text.starts_with("cgroups"))
            .unwrap();
        assert!(cgroups.why.as_deref().unwrap().contains("Delegate=yes"));
        assert!(cgroups
            .instead
            .as_deref()
            .unwrap()
            .contains("processes are not limited"));
    }

    #[test]
    fn layers_that_work_say_nothing_more() {
        let mut l = bare();
        l.namespaces = Ok(());
        l.landlock_abi = Some(2);
        let lines = layer_lines(&l);
        for layer in lines.iter().filter(|l| l.active) {
            assert!(
                layer.why.is_none() && layer.instead.is_none(),
                "{}",
                layer.text
            );
        }
        assert!(lines.iter().any(|l| l.text.starts_with("landlock (ABI 2)")));
    }
}
