//! The command line: clap's parsed arguments become calls into the library (the engine,
//! authoring, interviews: `interview.rs`), whose text reaches stdout only through here;
//! exit codes are decided here and only here (0 accepted or all fine, 1 judged but not
//! accepted, 2 the judge could not judge).

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::authoring::{calibrate, scaffold, stress, verify, AuthoringError};
use crate::cache::prune;
use crate::cache::Cache;
use crate::error::{Error, UsageError};
use crate::judge::{history, Engine, JudgeError, Mode};
use crate::languages::Languages;
use crate::problem::bank::Bank;
use crate::problem::{spec, statement};
use crate::report::json::JsonReport;
use crate::report::text::escape_controls;
use crate::report::Verdict;
use crate::service;
mod complexity;
mod doctor;
mod interview;
mod kattis;
mod progress;
mod similarity;

/// Writes to stdout; a reader that went away (`judge verify | head`) ends the judge quietly
/// instead of a panic. SIGPIPE itself stays ignored: the judge writes into boxes' pipes.
fn emit(args: std::fmt::Arguments) {
    use std::io::Write;
    let _ = quiet_on_broken_pipe(std::io::stdout().lock().write_fmt(args));
}

/// Stdout for code that writes its text to a writer it is given (the interview commands):
/// a broken pipe ends the judge quietly, as in `emit`; other failures are the writer's
/// caller's to report.
struct Stdout;

impl std::io::Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        quiet_on_broken_pipe(std::io::stdout().lock().write(buf))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        quiet_on_broken_pipe(std::io::stdout().lock().flush())
    }
}

/// Exits with 0 if the reader of stdout went away: whatever the judge had left to say, no
/// one is reading it.
fn quiet_on_broken_pipe<T>(result: std::io::Result<T>) -> std::io::Result<T> {
    if let Err(e) = &result {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
    }
    result
}

// Every print in this module goes through `emit`.
macro_rules! print {
    ($($t:tt)*) => { emit(format_args!($($t)*)) };
}
macro_rules! println {
    () => { emit(format_args!("\n")) };
    ($($t:tt)*) => {{ emit(format_args!($($t)*)); emit(format_args!("\n")); }};
}

#[derive(Parser)]
#[command(
    name = "judge",
    version,
    about = "Grades Rust solutions to machine-learning interview problems"
)]
struct Args {
    /// The bank folder (holding problems/ and reference/); default: $JUDGE_BANK, ./ when it
    /// holds problems/, <judge's folder>/../share/judge, else the bank bundled into the judge
    #[arg(long, global = true, value_name = "DIR")]
    bank: Option<PathBuf>,
    /// Cases run at once (default: the number of CPUs)
    #[arg(long, global = true, value_name = "N")]
    jobs: Option<usize>,
    /// Show cases done out of total while judging (default: only when stderr is a terminal)
    #[arg(long, global = true)]
    progress: bool,
    /// Judge again even when this exact source was judged before on this problem version
    #[arg(long, global = true)]
    fresh: bool,
    /// Wall-clock limit on compiling a solution, in seconds
    #[arg(long, global = true, value_name = "S", default_value_t = 60)]
    compile_seconds: u64,
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Judge a solution on the samples and the hidden cases; print the verdict and score
    Submit {
        /// A problem id, or a path to a problem folder
        problem: String,
        solution: PathBuf,
        /// Print the report as one JSON object
        #[arg(long)]
        json: bool,
        /// The solution's language (an id `judge doctor` lists); default: by its extension
        #[arg(long, value_name = "ID")]
        lang: Option<String>,
        /// Also measure how the solution's cost grows with the input's size, against the
        /// reference (as `judge complexity`), in a section of the report
        #[arg(long)]
        complexity: bool,
        #[command(flatten)]
        bounds: complexity::Bounds,
    },
    /// Judge a solution on the samples only, with full diffs (practice)
    Run {
        problem: String,
        solution: PathBuf,
        #[arg(long)]
        json: bool,
        /// The solution's language (an id `judge doctor` lists); default: by its extension
        #[arg(long, value_name = "ID")]
        lang: Option<String>,
        /// Run on this one input instead of the samples: a TOML file holding each argument
        /// by name (as a case of tests.toml); the answer is shown beside the reference's
        #[arg(long, value_name = "CASE.toml")]
        input: Option<PathBuf>,
    },
    /// List the bank: id, title, difficulty, tags
    List {
        /// Only problems of this difficulty (easy, medium, hard)
        #[arg(long)]
        difficulty: Option<String>,
        /// Only problems carrying this tag (repeat for several: all must match)
        #[arg(long = "tag")]
        tags: Vec<String>,
        /// Print one JSON array
        #[arg(long)]
        json: bool,
    },
    /// Print a problem's statement, or a stub solution that compiles
    Show {
        problem: String,
        /// Print a compilable stub instead of the statement
        #[arg(long)]
        stub: bool,
        /// The stub's language: `rust` or `python` for a function problem, any language the
        /// package allows for a Kattis package; default: Rust (a package's first allowed)
        #[arg(long, value_name = "ID", requires = "stub")]
        lang: Option<String>,
    },
    /// Print every case of a problem (samples, then groups; generated ones filled in) with its
    /// expected answer, as JSON lines: for authors and for cross-checking references
    Cases { problem: String },
    /// Check problems: spec, reference, known submissions (all problems when none is named)
    Verify {
        problems: Vec<String>,
        /// Instead: time the reference and accepted submissions, propose a time limit, and
        /// check that known-TLE submissions stay too slow under it
        #[arg(long)]
        calibrate: bool,
        /// Runs per program when calibrating (each case's median is used)
        #[arg(long, default_value_t = 3)]
        repeats: usize,
    },
    /// Create a complete, working problem to edit: problem.toml (every field explained),
    /// tests.toml, generator.rs, a reference and known submissions. Written into --bank,
    /// $JUDGE_BANK or the current folder
    New {
        /// Lowercase words joined by hyphens; the function is named after it
        id: String,
        /// Instead: a Kattis problem package (stdin/stdout programs); its id is lowercase
        /// letters and digits
        #[arg(long)]
        kattis: bool,
    },
    /// Random cases from the problem's generator, a solution against the reference; the first
    /// disagreement is shrunk to a smallest failing case, printed as TOML for tests.toml
    Stress {
        problem: String,
        solution: PathBuf,
        /// Seed of the first case (case i uses seed + i)
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// How many random cases to try (at least 1)
        #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u64).range(1..))]
        iterations: u64,
        /// Largest `size` passed to the generator (sizes cycle 1, 2, ..., max)
        #[arg(long, default_value_t = 10)]
        max_size: u64,
        /// Most candidates tried while shrinking
        #[arg(long, default_value_t = 2000)]
        budget: usize,
    },
    /// Measure how a solution's cost grows with the input's size (the generator's size),
    /// against the reference's: the fitted exponents and what they mean at the largest case
    Complexity(complexity::Args),
    /// Rank pairs of submissions by how much code they share (renamed variables,
    /// reformatting, reordered functions and rewritten comments change little), and show the
    /// shared code side by side
    Similarity(similarity::Args),
    /// Show the toolchain and which sandbox layers this machine enforces
    Doctor {
        /// Also box a shell and check from inside what the box allows (needs no compiler)
        #[arg(long)]
        selftest: bool,
    },
    /// Show the cache: its location, total size, and entries and size of each part
    Cache {
        /// Print one JSON object
        #[arg(long)]
        json: bool,
        #[command(subcommand)]
        command: Option<CacheCmd>,
    },
    /// Mock interviews: a timed session over a few problems, in a workspace folder
    Interview {
        /// The workspace (default: the one holding the current folder; for `start`, ./interview)
        #[arg(long, global = true, value_name = "DIR")]
        dir: Option<PathBuf>,
        #[command(subcommand)]
        command: interview::Command,
    },
    /// Run the judge as a service: an HTTP API over a durable queue, judged by workers
    Serve {
        /// The address to listen on (port 0: any free port, printed at start)
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
        /// The service's data dir: its database (default: $XDG_DATA_HOME/judge/service)
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// Keep the store in PostgreSQL instead (postgres://user@host:port/db)
        #[arg(long, value_name = "URL")]
        db: Option<String>,
        /// Judgings at once (default: one per core; 0 with --db: other hosts' `judge worker`s
        /// judge)
        #[arg(long, value_name = "N")]
        workers: Option<u16>,
        /// Requests a minute per token (over it: 429 with Retry-After)
        #[arg(long, value_name = "N", default_value_t = 600, value_parser = clap::value_parser!(u32).range(1..))]
        rate: u32,
        /// Submissions per token waiting or being judged at once (over it: 429)
        #[arg(long, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(i64).range(1..))]
        max_queued: i64,
        /// The service is reached over HTTPS (a proxy ends TLS): session cookies are Secure
        /// and named __Host-judge_session
        #[arg(long)]
        secure_cookies: bool,
        /// The address users reach the service at (https://judge.example.com): interview
        /// and webhook links are built on it, never on a request's Host header (without it
        /// they are paths)
        #[arg(long, value_name = "URL")]
        public_url: Option<service::reach::PublicUrl>,
        /// A network webhooks may call besides public addresses (10.0.0.0/8, 127.0.0.1);
        /// repeat for more. Without it loopback, private and link-local targets are refused
        #[arg(long, value_name = "NET")]
        webhook_allow: Vec<service::webhook_target::Net>,
        /// A reverse proxy whose X-Forwarded-For names the client (sign-ins are throttled
        /// per client address); repeat for more
        #[arg(long, value_name = "IP")]
        trusted_proxy: Vec<std::net::IpAddr>,
        /// Database connections this server keeps at most
        #[arg(long, value_name = "N", default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=1000))]
        db_connections: u32,
        /// Forget a registered worker after this many seconds without a heartbeat (it shows
        /// as gone after 15)
        #[arg(long, value_name = "S", default_value_t = 3600, value_parser = clap::value_parser!(u64).range(15..))]
        prune_workers_after: u64,
        /// The log on stderr: text lines, or one JSON object a line
        #[arg(long, value_name = "FORMAT", default_value = "text", value_parser = ["text", "json"])]
        log_format: String,
    },
    /// Judge jobs of a service whose store is PostgreSQL, on this machine (`--jobs` of them
    /// at once)
    Worker {
        /// The service's PostgreSQL database (postgres://user@host:port/db)
        #[arg(long, value_name = "URL")]
        db: String,
        /// Judge even where isolation layers are missing (`judge doctor` lists them)
        #[arg(long)]
        allow_partial_isolation: bool,
        /// Serve /healthz and /metrics on this address (port 0: any free port, printed)
        #[arg(long, value_name = "ADDR")]
        listen: Option<std::net::SocketAddr>,
        /// The log on stderr: text lines, or one JSON object a line
        #[arg(long, value_name = "FORMAT", default_value = "text", value_parser = ["text", "json"])]
        log_format: String,
    },
    /// The workers registered in a service's store, a line each: state (alive, or gone
    /// after 15 s without a heartbeat), jobs held, last heartbeat, results stored
    Workers {
        /// The service's PostgreSQL database, or its data dir
        #[arg(long, value_name = "URL|DIR")]
        db: String,
        /// Print them as a JSON array
        #[arg(long)]
        json: bool,
    },
    /// Copy a running service's SQLite database to a file, consistently, while it runs
    /// (PostgreSQL: use pg_dump; docs/operations.md)
    Backup {
        /// The service's data dir (default: $XDG_DATA_HOME/judge/service)
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// The file to write (a new SQLite database; restore by putting it in a data dir
        /// as judge.db)
        to: PathBuf,
    },
    /// The service's users and their tokens
    User {
        #[command(subcommand)]
        command: UserCmd,
    },
}

#[derive(Subcommand)]
enum UserCmd {
    /// Add a user; prints its bearer token once, as the last word of the output
    Add {
        name: String,
        /// candidate (submits, reads its own), author (reads all), admin, interviewer (creates
        /// mock interviews on the service)
        #[arg(long, default_value = "candidate", value_parser = ["candidate", "author", "admin", "interviewer"])]
        role: String,
        /// The service's data dir (default: $XDG_DATA_HOME/judge/service)
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// The service's PostgreSQL database instead (postgres://user@host:port/db)
        #[arg(long, value_name = "URL")]
        db: Option<String>,
        /// Also a password to sign in to the web pages with, read as one line from stdin
        #[arg(long)]
        password_stdin: bool,
    },
    /// End every web session of a user: its browsers must sign in again
    SignOut {
        name: String,
        /// The service's data dir (default: $XDG_DATA_HOME/judge/service)
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// The service's PostgreSQL database instead (postgres://user@host:port/db)
        #[arg(long, value_name = "URL")]
        db: Option<String>,
    },
    /// Set a user's password for the web pages, read as one line from stdin
    Password {
        name: String,
        /// The service's data dir (default: $XDG_DATA_HOME/judge/service)
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// The service's PostgreSQL database instead (postgres://user@host:port/db)
        #[arg(long, value_name = "URL")]
        db: Option<String>,
    },
}

/// One line of stdin, without its line ending.
fn password_line() -> Result<String, Error> {
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| Error::Usage(crate::error::UsageError::Stdin(e)))?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

#[derive(Subcommand)]
enum CacheCmd {
    /// Remove least recently used entries until the cache is at most SIZE (runtime/ and
    /// entries used in the last minute are kept)
    Prune {
        /// 500M, 2G, 1.5GiB, 800K, or bytes (units are powers of 1024)
        #[arg(long, value_name = "SIZE", value_parser = size_arg)]
        max_size: u64,
    },
}

fn size_arg(text: &str) -> Result<u64, String> {
    prune::parse_size(text).map_err(|e| e.to_string())
}

impl Cmd {
    /// Whether the command may compile or judge, filling the cache (and so enforces its cap).
    fn fills_cache(&self) -> bool {
        matches!(
            self,
            Cmd::Submit { .. }
                | Cmd::Run { .. }
                | Cmd::Show { .. }
                | Cmd::Cases { .. }
                | Cmd::Verify { .. }
                | Cmd::Stress { .. }
                | Cmd::Complexity(_)
                | Cmd::Interview { .. }
                | Cmd::Serve { .. }
        )
    }
}

pub fn run(argv: Vec<std::ffi::OsString>) -> i32 {
    let args = match Args::try_parse_from(argv) {
        Ok(a) => a,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    match dispatch(args) {
        Ok(code) => code,
        Err(e) => {
            // Errors carry boxes' output (a reference's panic, a generator's or checker's
            // compile errors), which is the candidate's or author's text.
            eprintln!("error: {}", escape_controls(&e.to_string()));
            e.exit_code()
        }
    }
}

fn dispatch(args: Args) -> Result<i32, Error> {
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, std::num::NonZero::get));
    let cache = Cache::from_env();
    let flags = JudgingFlags {
        progress: args.progress,
        fresh: args.fresh,
        compile_seconds: args.compile_seconds,
    };
    // Read before judging: a bad JUDGE_CACHE_MAX should fail now, not after a long verify.
    let cap = if args.command.fills_cache() {
        prune::cap_from_env()?
    } else {
        None
    };
    let result = command(args, &cache, jobs, flags);
    if let Some(cap) = cap {
        enforce_cap(&cache, cap);
    }
    result
}

fn command(args: Args, cache: &Cache, jobs: usize, flags: JudgingFlags) -> Result<i32, Error> {
    // Found when a command needs it: `doctor`, `cache` and `new` never unpack the bundled
    // bank, and a bad --bank fails only the commands that read the bank.
    let bank_flag = args.bank.clone();
    let bank = || Bank::locate(bank_flag.as_deref());
    match args.command {
        Cmd::Submit {
            problem,
            solution,
            json,
            lang,
            complexity,
            bounds,
        } => {
            let mut judging = Judging::new(flags, problem, solution, json, Mode::Submit);
            judging.complexity = complexity.then_some(bounds);
            judging.lang = lang;
            judge(&bank()?, cache, jobs, judging)
        }
        Cmd::Run {
            problem,
            solution,
            json,
            lang,
            input: Some(input),
        } => {
            let mut judging = Judging::new(flags, problem, solution, json, Mode::Run);
            judging.lang = lang;
            try_input(&bank()?, cache, jobs, &judging, &input)
        }
        Cmd::Run {
            problem,
            solution,
            json,
            lang,
            input: None,
        } => {
            let mut judging = Judging::new(flags, problem, solution, json, Mode::Run);
            judging.lang = lang;
            judge(&bank()?, cache, jobs, judging)
        }
        Cmd::List {
            difficulty,
            tags,
            json,
        } => Ok(list(&bank()?, cache, difficulty.as_deref(), &tags, json)),
        Cmd::Show {
            problem,
            stub,
            lang,
        } => show(&bank()?, cache, jobs, &problem, (stub, lang.as_deref())),
        Cmd::Cases { problem } => cases(&bank()?, cache, jobs, &problem),
        Cmd::Verify {
            problems,
            calibrate: false,
            ..
        } => verify_all(&bank()?, cache, jobs, flags, &problems),
        Cmd::Verify {
            problems, repeats, ..
        } => {
            // One program at a time, each case alone: timings are not disturbed by other
            // runs; and always run again, never taken from the report cache.
            let engine = flags.engine(cache, 1, false)?.fresh(true);
            calibrate_all(&bank()?, &engine, &problems, repeats)
        }
        Cmd::New { id, kattis } => {
            // A new problem goes where the author is, not into the judge's own bank.
            let root = args
                .bank
                .clone()
                .or_else(|| std::env::var_os("JUDGE_BANK").map(PathBuf::from))
                .unwrap_or_else(|| PathBuf::from("."));
            if kattis {
                return kattis::new(&root, &id);
            }
            for path in scaffold::create(&root, &id)? {
                println!("created {}", path.display());
            }
            let dir = root.join("problems").join(&id);
            println!(
                "\nNext: edit {}/problem.toml, then `judge verify {}`.\nAUTHORING.md walks through every step.",
                dir.display(),
                dir.display()
            );
            Ok(0)
        }
        Cmd::Stress {
            problem,
            solution,
            seed,
            iterations,
            max_size,
            budget,
        } => {
            let opts = stress::Options {
                seed,
                iterations,
                max_size,
                budget,
            };
            let engine = flags.engine(cache, jobs, false)?;
            stress_test(&bank()?, &engine, &problem, &solution, &opts)
        }
        Cmd::Complexity(args) => complexity::run(&bank()?, cache, jobs, flags, &args),
        Cmd::Similarity(args) => similarity::run(|| Ok(bank()?), &args),
        Cmd::Interview { dir, command } => {
            interview::run(&bank()?, cache, jobs, flags, dir, command)
        }
        Cmd::Serve {
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
        } => {
            service::logs::init(log_format_of(&log_format));
            let bank = bank()?;
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
        Cmd::Worker {
            db,
            allow_partial_isolation,
            listen,
            log_format,
        } => {
            service::logs::init(log_format_of(&log_format));
            let bank = bank()?;
            let engine = flags.engine(cache, jobs, false)?;
            let options = service::WorkerOptions {
                db,
                jobs,
                allow_partial_isolation,
                listen,
            };
            service::work(&options, engine, bank)?;
            Ok(0)
        }
        Cmd::Workers { db, json } => {
            let store = service::store::Store::at(&db).map_err(service::ServiceError::from)?;
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
        Cmd::Backup { data, to } => {
            let data = service_data(data)?;
            let pages = service::backup(&data, &to)?;
            println!(
                "backed up {} ({pages} pages) to {}",
                data.join("judge.db").display(),
                to.display()
            );
            Ok(0)
        }
        Cmd::User {
            command:
                UserCmd::Add {
                    name,
                    role,
                    data,
                    db,
                    password_stdin,
                },
        } => {
            let role = service::Role::parse(&role).unwrap_or(service::Role::Candidate);
            let password = if password_stdin {
                Some(password_line()?)
            } else {
                None
            };
            let token = service::add_user(
                &service_data(data)?,
                db.as_deref(),
                &name,
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
        Cmd::User {
            command: UserCmd::SignOut { name, data, db },
        } => {
            let ended = service::sign_out_everywhere(&service_data(data)?, db.as_deref(), &name)?;
            println!("{name} signed out of {ended} session(s)");
            Ok(0)
        }
        Cmd::User {
            command: UserCmd::Password { name, data, db },
        } => {
            let password = password_line()?;
            service::set_password(&service_data(data)?, db.as_deref(), &name, &password)?;
            println!("password set for {name}");
            Ok(0)
        }
        Cmd::Cache {
            json,
            command: None,
        } => cache_usage(cache, json),
        Cmd::Cache {
            command: Some(CacheCmd::Prune { max_size }),
            ..
        } => {
            print!("{}", prune::render_pruned(&prune::prune(cache, max_size)?));
            Ok(0)
        }
        Cmd::Doctor { selftest: true } => {
            let (text, ok) = doctor::selftest(cache);
            print!("{text}");
            Ok(i32::from(!ok))
        }
        Cmd::Doctor { selftest: false } => {
            let (text, ok) = doctor::report(cache, &bank());
            print!("{text}");
            Ok(if ok { 0 } else { 2 })
        }
    }
}

fn cache_usage(cache: &Cache, json: bool) -> Result<i32, Error> {
    let usage = prune::scan(cache)?;
    let cap = prune::cap_from_env()?;
    if json {
        println!("{}", prune::usage_json(&usage, cap));
    } else {
        print!("{}", prune::render_usage(&usage, cap));
    }
    Ok(0)
}

/// The automatic cap after a command that may have filled the cache. It never fails the
/// command: the judging is done and its result stands.
fn enforce_cap(cache: &Cache, cap: u64) {
    match prune::enforce_cap(cache, cap) {
        Ok(Some(p)) if p.removed > 0 => eprintln!(
            "note: the cache was over its cap of {} (JUDGE_CACHE_MAX): removed {} least recently used entries ({})",
            prune::format_size(cap),
            p.removed,
            prune::format_size(p.removed_bytes)
        ),
        Ok(_) => {}
        Err(e) => eprintln!("warning: could not keep the cache under its cap: {e}"),
    }
}

/// The global flags that shape a judging, for every command that judges.
#[derive(Clone, Copy)]
struct JudgingFlags {
    progress: bool,
    fresh: bool,
    compile_seconds: u64,
}

impl JudgingFlags {
    /// An engine as the flags ask: the compile limit, `--fresh`, and the progress line when
    /// `progress_line` (only where one judging at a time is on the terminal).
    fn engine(self, cache: &Cache, jobs: usize, progress_line: bool) -> Result<Engine, JudgeError> {
        let limits = crate::build::toolchain::CompileLimits {
            wall_ms: self.compile_seconds.max(1) * 1000,
            ..Default::default()
        };
        let engine = Engine::new(cache.clone(), jobs)?
            .fresh(self.fresh)
            .compile_limits(limits);
        let progress = progress_line
            .then(|| crate::cli::progress::on_stderr(self.progress))
            .flatten();
        Ok(match progress {
            Some(p) => engine.with_progress(p),
            None => engine,
        })
    }
}

/// One `submit` or `run` as the command line asked for it.
struct Judging {
    problem: String,
    solution: PathBuf,
    json: bool,
    mode: Mode,
    flags: JudgingFlags,
    /// `submit --complexity`: a measured-complexity section, within these bounds.
    complexity: Option<complexity::Bounds>,
    /// `--lang`: the solution's language, over its extension.
    lang: Option<String>,
}

impl Judging {
    fn new(
        flags: JudgingFlags,
        problem: String,
        solution: PathBuf,
        json: bool,
        mode: Mode,
    ) -> Judging {
        Judging {
            problem,
            solution,
            json,
            mode,
            flags,
            complexity: None,
            lang: None,
        }
    }
}

fn judge(bank: &Bank, cache: &Cache, jobs: usize, j: Judging) -> Result<i32, Error> {
    let Judging {
        problem,
        solution,
        json,
        mode,
        flags,
        complexity: measure,
        lang,
    } = j;
    let solution = solution.as_path();
    let languages = Languages::load(Some(&bank.root))?;
    kattis::refuse_python2(solution, lang.as_deref())?;
    let language = languages.choose(lang.as_deref(), solution)?;
    if let Some(dir) = kattis::package_dir(bank, &problem) {
        if measure.is_some() {
            eprintln!(
                "note: no complexity section: {}",
                UsageError::NoComplexity { dir: dir.clone() }
            );
        }
        return kattis::judge(
            &dir,
            (solution, language, &languages),
            mode,
            json,
            (cache, jobs, flags),
        );
    }
    let problem = spec::load(&bank.resolve(&problem)?)?;
    if !solution.is_file() {
        return Err(UsageError::NoSolution(solution.to_path_buf()).into());
    }
    function_language(language, solution)?;
    let engine = flags
        .engine(cache, jobs, true)?
        .with_languages(languages.clone());
    if language.functions.is_some() && crate::build::python::packages::first_use(cache, language) {
        eprintln!(
            "judge: setting up numpy and pandas for Python solutions (the first time only: installing them into the cache takes about half a minute)"
        );
    }
    let report = engine.judge_in(
        &problem,
        &problem.reference_path(),
        solution,
        mode,
        Some(&language.id),
    )?;
    // The user's own record (`judge list`): only what they judge here, never verify's.
    history::record(cache, &report);
    let measured = match measure {
        Some(bounds) if report.compile.ok => {
            complexity::for_submission(&engine, &problem, solution, bounds)?
        }
        _ => None,
    };
    if json {
        let json = JsonReport::new(&report).with_complexity(measured.as_ref());
        println!("{}", json.to_pretty());
    } else {
        print!("{}", report.to_text(&problem.title));
        if let Some(c) = &measured {
            print!("\n{}", escape_controls(&c.to_text()));
        }
    }
    Ok(verdict_code(report.verdict))
}

/// A function problem's solution is Rust (its harness is the judge's own Rust), or in a
/// language whose entry names one of the judge's harnesses (`functions`: Python).
fn function_language(
    language: &crate::languages::Language,
    solution: &Path,
) -> Result<(), UsageError> {
    if language.build == crate::languages::Build::Judge || language.functions.is_some() {
        return Ok(());
    }
    Err(UsageError::LanguageNotJudged {
        path: solution.to_path_buf(),
        language: language.name.clone(),
        kind: "function-signature",
        takes: "Rust and Python",
    })
}

/// `judge run --input`: one input of the user's own, the answer beside the reference's.
/// Exit codes as a judging's; an input the reference fails on (it breaks the problem's
/// rules) is the user's mistake: 2.
fn try_input(
    bank: &Bank,
    cache: &Cache,
    jobs: usize,
    j: &Judging,
    input: &Path,
) -> Result<i32, Error> {
    kattis::refuse(bank, &j.problem, "judge run --input")?;
    let problem = spec::load(&bank.resolve(&j.problem)?)?;
    let languages = Languages::load(Some(&bank.root))?;
    function_language(
        languages.choose(j.lang.as_deref(), &j.solution)?,
        &j.solution,
    )?;
    let case = spec::load_input(&problem, input)?;
    let source = std::fs::read_to_string(&j.solution)
        .map_err(|_| UsageError::NoSolution(j.solution.clone()))?;
    let engine = j.flags.engine(cache, jobs, false)?;
    let report = engine.try_input(
        &problem,
        &problem.reference_path(),
        &source,
        &j.solution,
        &case,
    )?;
    if j.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    } else {
        print!("{}", report.to_text());
    }
    Ok(report.verdict().map_or(2, verdict_code))
}

/// A judging's exit code (`submit`, `run`, and the interview's): 0 accepted (or the samples
/// passed), 2 the judge could not judge (JE), 1 judged and not accepted.
fn verdict_code(verdict: Verdict) -> i32 {
    match verdict {
        Verdict::AC => 0,
        Verdict::JE => 2,
        _ => 1,
    }
}

/// The bank, with the user's own state of each problem (not tried, tried, solved, best
/// score) from the record `submit` and `run` keep in the cache.
fn list(bank: &Bank, cache: &Cache, difficulty: Option<&str>, tags: &[String], json: bool) -> i32 {
    let mut code = 0;
    let mut rows = Vec::new();
    let (packages, ids): (Vec<String>, Vec<String>) = bank
        .ids()
        .into_iter()
        .partition(|id| crate::problem::package::is_package(&bank.problems_dir().join(id)));
    // Packages have no difficulty or tags: a filter on either leaves them out.
    let packages = if difficulty.is_none() && tags.is_empty() {
        packages
    } else {
        Vec::new()
    };
    let (package_rows, package_code) = kattis::list_rows(bank, &packages);
    code = code.max(package_code);
    for id in ids {
        match spec::load(&bank.problems_dir().join(&id)) {
            Ok(p) => rows.push(p),
            Err(e) => {
                let e = Error::from(e);
                code = code.max(e.exit_code());
                eprintln!("{id}: cannot load: {}", escape_controls(&e.to_string()));
            }
        }
    }
    rows.retain(|p| {
        difficulty.is_none_or(|d| p.difficulty.to_string().eq_ignore_ascii_case(d))
            && tags.iter().all(|t| p.tags.contains(t))
    });
    let own = history::load_all(cache, rows.iter().map(|p| p.id.as_str()));
    if json {
        let mut items: Vec<serde_json::Value> = rows
            .iter()
            .map(|p| {
                let record = own.get(&p.id);
                serde_json::json!({
                    "id": p.id, "title": p.title, "difficulty": p.difficulty.to_string(),
                    "tags": p.tags, "cases": p.cases().count(), "max_score": p.max_score(),
                    "state": history::Record::state(record).key(),
                    "best_score": record.filter(|r| r.submissions > 0).map(|r| r.best_score),
                    "submissions": record.map_or(0, |r| r.submissions),
                })
            })
            .collect();
        items.extend(kattis::list_json(
            &package_rows,
            &own_packages(cache, &package_rows),
        ));
        println!("{}", serde_json::Value::Array(items));
        return code;
    }
    // "solved 100/100", "tried 40/100", "tried" (practice runs only), "not tried".
    let states: Vec<String> = rows
        .iter()
        .map(|p| {
            let record = own.get(&p.id);
            let state = history::Record::state(record).name();
            match record {
                Some(r) if r.submissions > 0 => {
                    format!("{state} {}/{}", r.best_score, r.max_score)
                }
                _ => state.to_string(),
            }
        })
        .collect();
    let state_width = states.iter().map(String::len).max().unwrap_or(4).max(4);
    let id_width = rows.iter().map(|p| p.id.len()).max().unwrap_or(2).max(2);
    let title_width = rows
        .iter()
        .map(|p| p.title.chars().count())
        .max()
        .unwrap_or(5);
    // A bank of packages alone has no table of function problems to head.
    if !rows.is_empty() || package_rows.is_empty() {
        println!(
            "{:<id_width$}  {:<6}  {:<state_width$}  {:<title_width$}  tags",
            "id", "level", "yours", "title"
        );
    }
    for (p, state) in rows.iter().zip(&states) {
        println!(
            "{:<id_width$}  {:<6}  {:<state_width$}  {:<title_width$}  {}",
            p.id,
            p.difficulty.to_string(),
            state,
            p.title,
            p.tags.join(", ")
        );
    }
    print!(
        "{}",
        kattis::list_text(&package_rows, &own_packages(cache, &package_rows))
    );
    code
}

/// The user's own record of each package listed.
fn own_packages(
    cache: &Cache,
    rows: &[(String, String, usize)],
) -> std::collections::HashMap<String, history::Record> {
    history::load_all(cache, rows.iter().map(|(id, _, _)| id.as_str()))
}

fn cases(bank: &Bank, cache: &Cache, jobs: usize, problem: &str) -> Result<i32, Error> {
    use std::io::Write;
    kattis::refuse(bank, problem, "judge cases")?;

    let problem = spec::load(&bank.resolve(problem)?)?;
    let engine = Engine::new(cache.clone(), jobs)?;
    let problem = engine.prepare(&problem)?;
    let answers = engine.answers(&problem, &problem.reference_path())?;
    let groups = std::iter::once(("sample", &problem.samples))
        .chain(problem.groups.iter().map(|g| (g.name.as_str(), &g.cases)));
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (group, cases) in groups {
        for case in cases {
            let args: serde_json::Map<String, serde_json::Value> = problem
                .signature
                .args
                .iter()
                .map(|(name, _)| name.clone())
                .zip(case.arguments().map_err(|e| JudgeError::CaseInput {
                    case: case.name.clone(),
                    why: e.to_string(),
                })?)
                .collect();
            let line = serde_json::json!({
                "name": case.name, "group": group, "args": args, "expected": answers.expected(&case.name),
            });
            match writeln!(out, "{line}") {
                // A reader that stops early (`| head`) is not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(0),
                other => other.map_err(UsageError::Output)?,
            }
        }
    }
    Ok(0)
}

fn show(
    bank: &Bank,
    cache: &Cache,
    jobs: usize,
    problem: &str,
    (stub, lang): (bool, Option<&str>),
) -> Result<i32, Error> {
    if let Some(dir) = kattis::package_dir(bank, problem) {
        return kattis::show(bank, &dir, (stub, lang));
    }
    let problem = spec::load(&bank.resolve(problem)?)?;
    let languages = Languages::load(Some(&bank.root))?;
    if stub {
        let language = languages.get(lang.unwrap_or("rust"))?;
        let Some(text) = crate::build::function_stub(&problem, language) else {
            return Err(UsageError::LanguageNotJudged {
                path: problem.dir.clone(),
                language: language.name.clone(),
                kind: "function-signature",
                takes: "Rust and Python",
            }
            .into());
        };
        print!("{text}");
        return Ok(0);
    }
    let answers = crate::judge::sample_answers(&problem, || Engine::new(cache.clone(), jobs))?;
    // The limits as they are in each language that has its own (Python's 5x time).
    let scaled = crate::build::scaled_limits(languages.all());
    print!("{}", statement::markdown_in(&problem, &answers, &scaled));
    Ok(0)
}

fn stress_test(
    bank: &Bank,
    engine: &Engine,
    problem: &str,
    solution: &Path,
    opts: &stress::Options,
) -> Result<i32, Error> {
    kattis::refuse(bank, problem, "judge stress")?;
    let problem = spec::load(&bank.resolve(problem)?)?;
    if !solution.is_file() {
        return Err(UsageError::NoSolution(solution.to_path_buf()).into());
    }
    let outcome = stress::stress(engine, &problem, &problem.reference_path(), solution, opts)?;
    print!(
        "{}",
        escape_controls(&stress::render(&problem, &outcome, opts))
    );
    Ok(match outcome {
        stress::Outcome::Agreed { .. } => 0,
        _ => 1,
    })
}

fn problem_dirs(bank: &Bank, problems: &[String]) -> Result<Vec<PathBuf>, Error> {
    let dirs: Vec<PathBuf> = if problems.is_empty() {
        bank.ids()
            .iter()
            .map(|id| bank.problems_dir().join(id))
            .collect()
    } else {
        problems
            .iter()
            .map(|p| bank.resolve(p))
            .collect::<Result<_, _>>()?
    };
    if dirs.is_empty() {
        return Err(UsageError::NoProblems(bank.problems_dir()).into());
    }
    Ok(dirs)
}

fn calibrate_all(
    bank: &Bank,
    engine: &Engine,
    problems: &[String],
    repeats: usize,
) -> Result<i32, Error> {
    for problem in problems {
        kattis::refuse(bank, problem, "judge verify --calibrate")?;
    }
    let dirs = problem_dirs(bank, problems)?;
    let mut code = 0;
    for dir in dirs {
        let c = calibrate::calibrate(engine, &dir, repeats)?;
        print!("{}", calibrate::render(&c));
        if !c.warnings.is_empty() {
            code = 1;
        }
    }
    Ok(code)
}

fn verify_all(
    bank: &Bank,
    cache: &Cache,
    jobs: usize,
    flags: JudgingFlags,
    problems: &[String],
) -> Result<i32, Error> {
    let dirs = problem_dirs(bank, problems)?;
    // Problems are verified side by side, each worker running its cases one at a time: while
    // one compiles (single-threaded rustc), another runs. The first engine builds the runtime.
    let workers = jobs.clamp(1, dirs.len());
    // Known submissions' languages come from the bank's own table, as a judging's do.
    let languages = Languages::load(Some(&bank.root))?;
    let engines: Vec<Engine> = (0..workers)
        .map(|_| {
            let engine = flags.engine(cache, (jobs / workers).max(1), false)?;
            Ok::<_, JudgeError>(engine.with_languages(languages.clone()))
        })
        .collect::<Result<_, _>>()?;
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done: std::sync::Mutex<Vec<Option<Result<verify::Verification, AuthoringError>>>> =
        std::sync::Mutex::new((0..dirs.len()).map(|_| None).collect());
    let printed = std::sync::Mutex::new((0usize, 0i32));
    std::thread::scope(|scope| {
        for engine in &engines {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(dir) = dirs.get(i) else { break };
                let result = verify::verify(engine, dir);
                done.lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)[i] = Some(result);
                print_finished(&dirs, &done, &printed);
            });
        }
    });
    let worst = printed
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .1;
    Ok(worst)
}

/// Prints, in bank order, every verification that is finished and not yet printed; returns
/// through `printed` (count printed, worst exit code so far).
fn print_finished(
    dirs: &[PathBuf],
    done: &std::sync::Mutex<Vec<Option<Result<verify::Verification, AuthoringError>>>>,
    printed: &std::sync::Mutex<(usize, i32)>,
) {
    let mut printed = printed
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut done = done
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    while let Some(result) = done.get_mut(printed.0).and_then(Option::take) {
        let code = print_verification(&dirs[printed.0], result);
        printed.1 = printed.1.max(code);
        printed.0 += 1;
    }
}

/// What a verify could not check here, never counted as passing.
fn print_skipped(skipped: &[String]) {
    for s in skipped {
        println!("        SKIPPED {}", escape_controls(s));
    }
}

fn print_verification(dir: &Path, result: Result<verify::Verification, AuthoringError>) -> i32 {
    match result {
        Ok(v) if v.failures.is_empty() => {
            let skipped = match v.skipped.len() {
                0 => String::new(),
                n => format!("; {n} skipped, not run here"),
            };
            println!("ok      {} ({:.1} s{skipped})", v.id, v.seconds);
            v.notes.iter().for_each(|n| println!("          {n}"));
            print_skipped(&v.skipped);
            0
        }
        Ok(v) => {
            println!("FAILED  {} ({:.1} s)", v.id, v.seconds);
            v.failures
                .iter()
                .map(|f| escape_controls(f).replace('\n', "\n          "))
                .for_each(|f| println!("          {f}"));
            // What did pass is worth knowing too.
            if !v.notes.is_empty() {
                println!("        checked:");
                v.notes
                    .iter()
                    .for_each(|n| println!("          {}", escape_controls(n)));
            }
            print_skipped(&v.skipped);
            1
        }
        Err(e) => {
            let e = Error::from(e);
            println!(
                "ERROR   {}\n          {}",
                dir.display(),
                escape_controls(&e.to_string()).replace('\n', "\n          ")
            );
            e.exit_code()
        }
    }
}

/// The service's data dir: `--data`, else `$XDG_DATA_HOME/judge/service`.
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

fn service_data(data: Option<PathBuf>) -> Result<PathBuf, Error> {
    data.or_else(|| crate::problem::bank::data_home().map(|d| d.join("judge/service")))
        .ok_or_else(|| Error::Usage(crate::error::UsageError::NoDataDir))
}
