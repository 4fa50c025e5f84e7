//! The red-team suite for stdin/stdout programs in C, Java and Python (issue 28 item 7):
//! each attack runs for real as a submission to a small package, says on stdout what it
//! managed, and the test asserts it managed nothing (and, where it matters, that the host
//! is untouched). Each assertion is one the attack would break if its protection were
//! removed: the pids limit (fork and thread bombs), the network namespace (connecting to a
//! listener the test holds on loopback), the mount namespace (the package's answers, the
//! host's files), Landlock and the noexec work dir (exec of /bin/sh, of a file the program
//! wrote, of a JVM helper), and the memory limit.

use std::net::TcpListener;
use std::path::Path;

use crate::kattis_languages::installed;
use crate::{judge, Run};

/// A sum package with a 256 MiB memory limit and a generous time limit (a JVM that starts
/// a hundred threads takes a while on a loaded machine).
fn package() -> tempfile::TempDir {
    package_with_memory(256)
}

fn package_with_memory(mb: u64) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let yaml = format!("name: Sum\nlimits:\n  time_limit: 5\n  memory: {mb}\n");
    for (path, text) in [
        ("problem.yaml", yaml.as_str()),
        ("data/sample/1.in", "1 2\n"),
        ("data/sample/1.ans", "3\n"),
        ("data/secret/1.in", "5 6\n"),
        ("data/secret/1.ans", "11 (a secret)\n"),
    ] {
        let path = dir.path().join("pkg").join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// Judges `source` as `name` on a fresh package (never from the report cache): the run and
/// what the program printed on the first sample.
fn attack(name: &str, source: &str) -> (Run, String) {
    attack_on(&package(), name, source)
}

/// `attack` on the package `pkg` made by `package()`.
fn attack_on(pkg: &tempfile::TempDir, name: &str, source: &str) -> (Run, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, source).unwrap();
    let run = judge(&[
        "submit",
        pkg.path().join("pkg").to_str().unwrap(),
        file.to_str().unwrap(),
        "--json",
        "--fresh",
    ]);
    let printed = run.json()["samples"][0]["output"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    (run, printed)
}

fn verdict(run: &Run) -> String {
    run.json()["verdict"].as_str().unwrap_or("").to_string()
}

/// The number after `key=` in what a program printed.
fn count(printed: &str, key: &str) -> u64 {
    let at = printed
        .find(&format!("{key}="))
        .unwrap_or_else(|| panic!("no {key}= in:\n{printed}"));
    printed[at + key.len() + 1..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

/// A listener on the host's loopback that must never see a connection.
struct Listener(TcpListener);

impl Listener {
    fn new() -> Listener {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.set_nonblocking(true).unwrap();
        Listener(l)
    }

    fn port(&self) -> u16 {
        self.0.local_addr().unwrap().port()
    }

    #[track_caller]
    fn assert_untouched(&self) {
        match self.0.accept() {
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            other => panic!("a box reached the host's loopback: {other:?}"),
        }
    }
}

/// The most processes and threads a box holds (the table's JVM limit, the judge's default
/// for the rest) and some slack for the runtime's own.
const MOST_JVM_THREADS: u64 = 128;
const MOST_PROCESSES: u64 = 64;

#[test]
fn c_a_fork_bomb_stops_at_the_boxs_process_limit() {
    if !installed(&["c"], "c_a_fork_bomb_stops_at_the_boxs_process_limit") {
        return;
    }
    // Forks until fork fails (at most 3000 times), each child waiting to be killed with
    // the box; then says how many it made.
    let source = "#include <stdio.h>\n#include <unistd.h>\nint main(void) { int n = 0; for (; n < 3000; n++) { pid_t p = fork(); if (p < 0) break; if (p == 0) { pause(); _exit(0); } } printf(\"forks=%d\\n\", n); fflush(stdout); return 0; }\n";
    let (run, printed) = attack("bomb.c", source);
    assert_eq!(verdict(&run), "WA", "{}", run.stdout);
    let forks = count(&printed, "forks");
    assert!(forks < MOST_PROCESSES, "the box made {forks} processes");
}

#[test]
fn c_no_network_not_even_the_hosts_loopback() {
    if !installed(&["c"], "c_no_network_not_even_the_hosts_loopback") {
        return;
    }
    let listener = Listener::new();
    let source = format!(
        "#include <stdio.h>\n#include <string.h>\n#include <errno.h>\n#include <arpa/inet.h>\n#include <sys/socket.h>\nint main(void) {{ int s = socket(AF_INET, SOCK_STREAM, 0); if (s < 0) {{ printf(\"socket failed: %s\\n\", strerror(errno)); return 0; }} struct sockaddr_in a; memset(&a, 0, sizeof a); a.sin_family = AF_INET; a.sin_port = htons({}); a.sin_addr.s_addr = htonl(0x7f000001); if (connect(s, (struct sockaddr *)&a, sizeof a) == 0) printf(\"connected\\n\"); else printf(\"connect failed: %s\\n\", strerror(errno)); return 0; }}\n",
        listener.port()
    );
    let (run, printed) = attack("net.c", &source);
    assert!(printed.contains("failed"), "{printed}\n{}", run.stdout);
    assert!(!printed.contains("connected"), "{printed}");
    listener.assert_untouched();
}

#[test]
fn c_writes_outside_the_work_dir_reach_nothing_of_the_host() {
    if !installed(
        &["c"],
        "c_writes_outside_the_work_dir_reach_nothing_of_the_host",
    ) {
        return;
    }
    let host = tempfile::tempdir().unwrap();
    let target = host.path().join("planted");
    let host_tmp = format!("/tmp/judge-redteam-c-{}", std::process::id());
    let source = format!(
        "#include <stdio.h>\nstatic void plant(const char *p) {{ FILE *f = fopen(p, \"w\"); if (f && fputs(\"pwned\", f) >= 0 && fclose(f) == 0) printf(\"wrote %s\\n\", p); else printf(\"denied %s\\n\", p); }}\nint main(void) {{ plant(\"{}\"); plant(\"{host_tmp}\"); plant(\"/etc/judge-planted\"); plant(\"/usr/judge-planted\"); return 0; }}\n",
        target.display()
    );
    let (run, printed) = attack("write.c", &source);
    assert!(
        printed.contains(&format!("denied {}", target.display())),
        "{printed}\n{}",
        run.stdout
    );
    assert!(printed.contains("denied /etc/judge-planted"), "{printed}");
    assert!(printed.contains("denied /usr/judge-planted"), "{printed}");
    // The box's /tmp is its own: the write may succeed there, and nothing reaches the host.
    assert!(!target.exists() && !Path::new(&host_tmp).exists());
    assert!(!Path::new("/etc/judge-planted").exists() && !Path::new("/usr/judge-planted").exists());
}

#[test]
fn c_can_exec_neither_a_shell_nor_a_file_it_wrote() {
    if !installed(&["c"], "c_can_exec_neither_a_shell_nor_a_file_it_wrote") {
        return;
    }
    // With an argument, the program says it ran; without, it tries /bin/sh, then a copy of
    // itself in its work dir (and in its /tmp), each of which would print "ran".
    let source = "#include <stdio.h>\n#include <string.h>\n#include <errno.h>\n#include <unistd.h>\n#include <sys/stat.h>\nstatic void copy(const char *to) { FILE *in = fopen(\"/proc/self/exe\", \"rb\"), *out = fopen(to, \"wb\"); char b[65536]; size_t n; if (!in || !out) { printf(\"no copy at %s\\n\", to); return; } while ((n = fread(b, 1, sizeof b, in)) > 0) fwrite(b, 1, n, out); fclose(in); fclose(out); chmod(to, 0755); }\nstatic void try_exec(const char *p, char *const argv[]) { pid_t c = fork(); if (c == 0) { execv(p, argv); printf(\"exec %s failed: %s\\n\", p, strerror(errno)); fflush(stdout); _exit(1); } int st; waitpid(c, &st, 0); }\nint main(int argc, char **argv) { if (argc > 1) { printf(\"ran %s\\n\", argv[1]); return 0; } fflush(stdout); char *sh[] = {\"sh\", \"-c\", \"echo ran shell\", 0}; try_exec(\"/bin/sh\", sh); copy(\"./me\"); char *me[] = {\"./me\", \"copy\", 0}; try_exec(\"./me\", me); copy(\"/tmp/me\"); char *tmp[] = {\"/tmp/me\", \"tmp copy\", 0}; try_exec(\"/tmp/me\", tmp); return 0; }\n";
    let source = source.replace(
        "#include <sys/stat.h>\n",
        "#include <sys/stat.h>\n#include <sys/wait.h>\n",
    );
    let (run, printed) = attack("exec.c", &source);
    assert!(!printed.contains("ran"), "{printed}\n{}", run.stdout);
    assert!(printed.contains("exec /bin/sh failed"), "{printed}");
    assert!(printed.contains("exec ./me failed"), "{printed}");
    assert!(printed.contains("exec /tmp/me failed"), "{printed}");
}

#[test]
fn java_a_thread_bomb_stops_at_the_boxs_limit() {
    if !installed(&["java"], "java_a_thread_bomb_stops_at_the_boxs_limit") {
        return;
    }
    let source = "public class Bomb {\n  public static void main(String[] a) {\n    int n = 0;\n    try {\n      for (; n < 3000; n++) {\n        Thread t = new Thread(() -> { try { Thread.sleep(60000); } catch (InterruptedException e) {} });\n        t.setDaemon(true);\n        t.start();\n      }\n    } catch (Throwable e) {}\n    System.out.println(\"threads=\" + n);\n    System.exit(0);\n  }\n}\n";
    let (run, printed) = attack("Bomb.java", source);
    let threads = count(&printed, "threads");
    assert!(
        threads < MOST_JVM_THREADS,
        "the box started {threads} threads\n{}",
        run.stdout
    );
}

#[test]
fn java_runtime_exec_starts_nothing() {
    if !installed(&["java"], "java_runtime_exec_starts_nothing") {
        return;
    }
    let source = "public class Exec {\n  public static void main(String[] a) {\n    for (String[] cmd : new String[][] {{\"/bin/sh\", \"-c\", \"echo ran shell\"}, {\"java\", \"-version\"}}) {\n      try {\n        Process p = Runtime.getRuntime().exec(cmd);\n        System.out.println(\"ran \" + cmd[0] + \": \" + new String(p.getInputStream().readAllBytes()) + p.waitFor());\n      } catch (Throwable e) {\n        System.out.println(\"exec \" + cmd[0] + \" failed: \" + e);\n      }\n    }\n  }\n}\n";
    let (run, printed) = attack("Exec.java", source);
    assert!(!printed.contains("ran "), "{printed}\n{}", run.stdout);
    assert!(printed.contains("exec /bin/sh failed"), "{printed}");
    assert!(printed.contains("exec java failed"), "{printed}");
}

#[test]
fn java_reads_nothing_of_the_package_or_the_host() {
    if !installed(&["java"], "java_reads_nothing_of_the_package_or_the_host") {
        return;
    }
    // The secret answer of its own package, the judge's binary and the test data folder.
    let pkg = package();
    let secret = pkg.path().join("pkg/data/secret/1.ans");
    let source = format!(
        "import java.nio.file.*;\npublic class Peek {{\n  public static void main(String[] a) {{\n    for (String p : new String[] {{\"{}\", \"{}\", \"/etc/passwd\", \"/root\"}}) {{\n      try {{ System.out.println(\"read \" + p + \": \" + new String(Files.readAllBytes(Paths.get(p)))); }}\n      catch (Throwable e) {{ System.out.println(\"hidden \" + p); }}\n    }}\n  }}\n}}\n",
        secret.display(),
        env!("CARGO_BIN_EXE_judge"),
    );
    let (run, printed) = attack_on(&pkg, "Peek.java", &source);
    assert!(!printed.contains("read "), "{printed}\n{}", run.stdout);
    assert!(!printed.contains("a secret"), "{printed}");
    assert!(
        printed.contains(&format!("hidden {}", secret.display())),
        "{printed}"
    );
}

#[test]
fn java_a_huge_heap_is_held_to_the_memory_limit() {
    if !installed(&["java"], "java_a_huge_heap_is_held_to_the_memory_limit") {
        return;
    }
    // Holds 64 MiB blocks, each written to, up to 2 GiB: eight times the limit.
    let source = "import java.util.*;\npublic class Heap {\n  public static void main(String[] a) {\n    List<byte[]> held = new ArrayList<>();\n    for (int i = 0; i < 32; i++) { byte[] b = new byte[64 << 20]; Arrays.fill(b, (byte) 1); held.add(b); }\n    System.out.println(\"held=\" + held.size());\n  }\n}\n";
    let (run, printed) = attack("Heap.java", source);
    let v = verdict(&run);
    assert!(v == "MLE" || v == "RE", "{v}: {printed}\n{}", run.stdout);
    assert!(!printed.contains("held=32"), "{printed}");
    let report = run.json();
    let peak_kb = report["samples"][0]["memory_kb"].as_u64().unwrap();
    assert!(
        peak_kb < (256 + 64) * 1024,
        "peak {peak_kb} KiB over a 256 MiB limit"
    );
}

#[test]
fn python_os_system_and_ctypes_reach_no_shell_and_no_network() {
    if !installed(
        &["python"],
        "python_os_system_and_ctypes_reach_no_shell_and_no_network",
    ) {
        return;
    }
    let listener = Listener::new();
    let source = format!(
        "import ctypes, os, socket\nprint('system', os.system('echo ran shell'))\nlibc = ctypes.CDLL(None)\nlibc.execv.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_char_p)]\nargv = (ctypes.c_char_p * 4)(b'sh', b'-c', b'echo ran ctypes', None)\nprint('execv', libc.execv(b'/bin/sh', argv), ctypes.get_errno())\ns = libc.socket(2, 1, 0)\nprint('socket', s)\ntry:\n    socket.create_connection(('127.0.0.1', {}), timeout=2)\n    print('connected')\nexcept OSError as e:\n    print('connect failed', e.errno)\n",
        listener.port()
    );
    let (run, printed) = attack("attack.py", &source);
    assert!(!printed.contains("ran "), "{printed}\n{}", run.stdout);
    assert!(printed.contains("execv -1"), "{printed}");
    assert!(printed.contains("connect failed"), "{printed}");
    assert!(!printed.contains("connected"), "{printed}");
    listener.assert_untouched();
}

#[test]
fn python_a_subprocess_fork_bomb_stops_at_the_boxs_limit() {
    if !installed(
        &["python"],
        "python_a_subprocess_fork_bomb_stops_at_the_boxs_limit",
    ) {
        return;
    }
    // Its own interpreter is the one program it may start: the pids limit holds it (the
    // memory limit is raised so that it is the pids limit that does: each interpreter
    // holds a few MiB).
    let source = "import subprocess, sys\nn = 0\ntry:\n    while n < 3000:\n        subprocess.Popen([sys.executable, '-S', '-c', 'import time; time.sleep(60)'])\n        n += 1\nexcept OSError:\n    pass\nprint('forks=%d' % n, flush=True)\nimport os\nos._exit(0)\n";
    let (run, printed) = attack_on(&package_with_memory(2048), "bomb.py", source);
    let forks = count(&printed, "forks");
    assert!(
        forks < MOST_PROCESSES,
        "the box started {forks} processes\n{}",
        run.stdout
    );
}

#[test]
fn python_reads_nothing_of_the_package() {
    if !installed(&["python"], "python_reads_nothing_of_the_package") {
        return;
    }
    let pkg = package();
    let secret = pkg.path().join("pkg/data/secret/1.ans");
    let source = format!(
        "for p in [{:?}, {:?}, '/etc/passwd']:\n    try:\n        print('read', p, open(p).read())\n    except OSError:\n        print('hidden', p)\n",
        secret.display().to_string(),
        env!("CARGO_BIN_EXE_judge"),
    );
    let (run, printed) = attack_on(&pkg, "peek.py", &source);
    assert!(!printed.contains("read "), "{printed}\n{}", run.stdout);
    assert!(!printed.contains("a secret"), "{printed}");
}
