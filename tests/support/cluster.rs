//! A private PostgreSQL cluster (initdb and pg_ctl in a temp dir, on a free loopback port,
//! run by the package's `postgres` user since initdb refuses root), for the integration
//! tests and the service bench alike.

use std::path::PathBuf;
use std::process::Command;

/// A PostgreSQL cluster of its own, stopped when dropped.
pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    pub port: u16,
}

impl Cluster {
    /// A new cluster, or None where PostgreSQL is not installed.
    pub fn new() -> Option<Cluster> {
        let bin = std::fs::read_dir("/usr/lib/postgresql").ok().and_then(|d| {
            d.flatten()
                .map(|e| e.path().join("bin"))
                .find(|b| b.join("initdb").is_file())
        });
        let bin = bin?;
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let cluster = Cluster { dir, bin, port };
        // initdb refuses to run as root: the package's `postgres` user runs the cluster.
        std::os::unix::fs::chown(cluster.dir.path(), Some(postgres_uid()), None).unwrap();
        Cluster::as_postgres(&format!(
            "{}/initdb -D {}/pg -A trust -U judge",
            cluster.bin.display(),
            cluster.dir.path().display()
        ));
        Cluster::as_postgres(&format!(
            "{}/pg_ctl -D {dir}/pg -o '-p {} -k {dir} -c listen_addresses=127.0.0.1' -l {dir}/pg.log start -w",
            cluster.bin.display(),
            cluster.port,
            dir = cluster.dir.path().display()
        ));
        Some(cluster)
    }

    /// One of the server's programs (`pg_dump`, `pg_restore`).
    pub fn program(&self, name: &str) -> PathBuf {
        self.bin.join(name)
    }

    /// The URL of its `postgres` database, as user `judge`.
    pub fn url(&self) -> String {
        format!("postgres://judge@127.0.0.1:{}/postgres", self.port)
    }

    fn as_postgres(command: &str) {
        let out = Command::new("su")
            .args(["postgres", "-s", "/bin/sh", "-c", command])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{command}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let stop = format!(
            "{}/pg_ctl -D {}/pg stop -m immediate",
            self.bin.display(),
            self.dir.path().display()
        );
        let _ = Command::new("su")
            .args(["postgres", "-s", "/bin/sh", "-c", &stop])
            .output();
    }
}

fn postgres_uid() -> u32 {
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap();
    passwd
        .lines()
        .find_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            (f[0] == "postgres").then(|| f[2].parse().unwrap())
        })
        .expect("the postgres package's user")
}
