//! The service's commands: `serve`, `worker`, `workers`, `backup` and `user`.

use std::path::PathBuf;

use super::args::{ServeArgs, StoreArgs};
use super::flags::{BankChoice, JudgingFlags};
use crate::cache::Cache;
use crate::error::{Error, UsageError};
use crate::service;

pub(super) enum Command {
    Serve {
        args: ServeArgs,
        bank: BankChoice,
        jobs: usize,
        flags: JudgingFlags,
    },
    Worker {
        options: service::WorkerOptions,
        log_format: String,
        bank: BankChoice,
        flags: JudgingFlags,
    },
    Workers {
        db: String,
        json: bool,
    },
    Backup {
        data: Option<PathBuf>,
        to: PathBuf,
    },
    AddUser {
        name: String,
        role: String,
        store: StoreArgs,
        password_stdin: bool,
    },
    SignOut {
        name: String,
        store: StoreArgs,
    },
    Password {
        name: String,
        store: StoreArgs,
    },
}

impl Command {
    pub(super) fn fills_cache(&self) -> bool {
        matches!(self, Command::Serve { .. })
    }

    pub(super) fn run(self, cache: &Cache) -> Result<i32, Error> {
        match self {
            Command::Serve {
                args,
                bank,
                jobs,
                flags,
            } => serve(cache, args, &bank, (jobs, flags)),
            Command::Worker {
                options,
                log_format,
                bank,
                flags,
            } => {
                service::logs::init(log_format_of(&log_format));
                let bank = bank.locate()?;
                let engine = flags.engine(cache, options.jobs, false)?;
                service::work(&options, engine, bank)?;
                Ok(0)
            }
            Command::Workers { db, json } => workers(&db, json),
            Command::Backup { data, to } => {
                let data = service_data(data)?;
                let pages = service::backup(&data, &to)?;
                println!(
                    "backed up {} ({pages} pages) to {}",
                    data.join("judge.db").display(),
                    to.display()
                );
                Ok(0)
            }
            Command::AddUser {
                name,
                role,
                store,
                password_stdin,
            } => add_user(&name, &role, store, password_stdin),
            Command::SignOut { name, store } => {
                let ended = service::sign_out_everywhere(
                    &service_data(store.data)?,
                    store.db.as_deref(),
                    &name,
                )?;
                println!("{name} signed out of {ended} session(s)");
                Ok(0)
            }
            Command::Password { name, store } => {
                let password = password_line()?;
                service::set_password(
                    &service_data(store.data)?,
                    store.db.as_deref(),
                    &name,
                    &password,
                )?;
                println!("password set for {name}");
                Ok(0)
            }
        }
    }
}

fn serve(
    cache: &Cache,
    args: ServeArgs,
    bank: &BankChoice,
    (jobs, flags): (usize, JudgingFlags),
) -> Result<i32, Error> {
    let ServeArgs {
        listen,
        data,
        db,
        workers,
        rate,
        max_queued,
        secure_cookies,
        public_url,
        webhook_allow,
        trusted_proxy,
        db_connections,
        prune_workers_after,
        log_format,
    } = args;
    service::logs::init(log_format_of(&log_format));
    let bank = bank.locate()?;
    let workers = workers.map_or(jobs, usize::from);
    if workers == 0 && db.is_none() {
        return Err(UsageError::NoWorkers.into());
    }
    let engine = flags.engine(cache, jobs, false)?;
    // With PostgreSQL the service keeps nothing in a folder unless told to.
    let data = match (&db, data) {
        (Some(_), data) => data,
        (None, data) => Some(service_data(data)?),
    };
    let options = service::Options {
        listen,
        data,
        db,
        workers,
        connections: db_connections,
        prune_workers_after: std::time::Duration::from_secs(prune_workers_after),
        limits: service::Limits {
            per_minute: rate,
            queued: max_queued,
        },
        secure_cookies,
        reach: service::reach::Reach {
            public_url,
            webhook_allow,
            trusted_proxies: trusted_proxy,
        },
    };
    service::serve(options, engine, bank)?;
    Ok(0)
}

fn workers(db: &str, json: bool) -> Result<i32, Error> {
    let store = service::store::Store::at(db).map_err(service::ServiceError::from)?;
    let workers = store.workers().map_err(service::ServiceError::from)?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&workers).unwrap_or_default()
        );
        return Ok(0);
    }
    if workers.is_empty() {
        println!("no workers registered");
    }
    let now = service::store::now_ms();
    for w in workers {
        println!("{}", worker_line(&w, now));
    }
    Ok(0)
}

fn add_user(name: &str, role: &str, store: StoreArgs, password_stdin: bool) -> Result<i32, Error> {
    let role = service::Role::parse(role).unwrap_or(service::Role::Candidate);
    let password = if password_stdin {
        Some(password_line()?)
    } else {
        None
    };
    let token = service::add_user(
        &service_data(store.data)?,
        store.db.as_deref(),
        name,
        role,
        password.as_deref(),
    )?;
    println!(
        "added user {name}, role {} ({})",
        role.name(),
        role.describe()
    );
    println!("token (shown once; keep it secret): {token}");
    Ok(0)
}

/// One line of stdin, without its line ending.
fn password_line() -> Result<String, Error> {
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| Error::Usage(UsageError::Stdin(e)))?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

fn log_format_of(name: &str) -> service::logs::LogFormat {
    if name == "json" {
        service::logs::LogFormat::Json
    } else {
        service::logs::LogFormat::Text
    }
}

/// A worker as `judge workers` shows it: name, state, host and pid, jobs held, heartbeat,
/// results stored, then what it runs.
fn worker_line(w: &service::store::WorkerInfo, now: i64) -> String {
    let current = if w.current.is_empty() {
        "idle".to_string()
    } else {
        let ids: Vec<String> = w.current.iter().map(ToString::to_string).collect();
        format!("judging {}", ids.join(", "))
    };
    let listen = w
        .listen
        .as_deref()
        .map_or(String::new(), |a| format!("  metrics http://{a}"));
    format!(
        "{}  {}  host {} pid {}  {} at once, {current}  heartbeat {} s ago  judged {}  {}  isolation {}{listen}",
        w.name,
        w.state.name(),
        w.host,
        w.pid,
        w.jobs,
        (now - w.heartbeat_ms).max(0) / 1000,
        w.judged,
        w.toolchain,
        w.isolation
    )
}

/// The service's data dir: `--data`, else `$XDG_DATA_HOME/judge/service`.
fn service_data(data: Option<PathBuf>) -> Result<PathBuf, Error> {
    data.or_else(|| crate::problem::bank::data_home().map(|d| d.join("judge/service")))
        .ok_or_else(|| Error::Usage(UsageError::NoDataDir))
}
