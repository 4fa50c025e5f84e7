//! The first stage of the command line: clap's types, one per subcommand, each declaring
//! only the flags that command uses (so its `--help` lists only those). The flags before
//! the subcommand (`judge --bank DIR --fresh submit ...`) are declared once at the top;
//! `command.rs` hands each to the command that uses it and refuses the rest.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand};

use crate::cache::prune;
use crate::judge::complexity::Options;
#[cfg(feature = "service")]
use crate::service;
use crate::similarity::{DEFAULT_K, DEFAULT_WINDOW};

#[derive(Parser)]
#[command(
    name = "judge",
    version,
    about = "Grades Rust solutions to machine-learning interview problems"
)]
pub(super) struct Args {
    #[command(
        flatten,
        next_help_heading = "Before a command (each command's --help lists those it takes)"
    )]
    pub(super) bank: BankArg,
    #[command(flatten)]
    pub(super) jobs: JobsArg,
    #[command(flatten)]
    pub(super) progress: ProgressArg,
    #[command(flatten)]
    pub(super) compile: CompileArgs,
    #[command(subcommand)]
    pub(super) command: Cmd,
}

/// `--bank`: for the commands that read the bank.
#[derive(clap::Args)]
pub(super) struct BankArg {
    /// The bank folder (holding problems/ and reference/); default: $JUDGE_BANK, ./ when it
    /// holds problems/, <judge's folder>/../share/judge, else the bank bundled into the judge
    #[arg(long, value_name = "DIR")]
    pub(super) bank: Option<PathBuf>,
}

/// `--jobs`: for the commands that run programs.
#[derive(clap::Args, Clone, Copy)]
pub(super) struct JobsArg {
    /// Cases run at once (default: the number of CPUs)
    #[arg(long, value_name = "N")]
    pub(super) jobs: Option<usize>,
}

/// `--progress`: for the commands that judge one solution with the terminal to themselves.
#[derive(clap::Args, Clone, Copy)]
pub(super) struct ProgressArg {
    /// Show cases done out of total while judging (default: only when stderr is a terminal)
    #[arg(long)]
    pub(super) progress: bool,
}

/// `--fresh` and `--compile-seconds`: for the commands that compile and judge solutions.
#[derive(clap::Args, Clone, Copy)]
pub(super) struct CompileArgs {
    /// Judge again even when this exact source was judged before on this problem version
    #[arg(long)]
    pub(super) fresh: bool,
    /// Wall-clock limit on compiling a solution, in seconds (default: 60)
    #[arg(long, value_name = "S")]
    pub(super) compile_seconds: Option<u64>,
}

/// What a command that judges one solution at a time takes.
#[derive(clap::Args)]
pub(super) struct JudgingArgs {
    #[command(flatten)]
    pub(super) bank: BankArg,
    #[command(flatten)]
    pub(super) jobs: JobsArg,
    #[command(flatten)]
    pub(super) progress: ProgressArg,
    #[command(flatten)]
    pub(super) compile: CompileArgs,
}

/// What a command that judges without a progress line takes.
#[derive(clap::Args)]
pub(super) struct EngineArgs {
    #[command(flatten)]
    pub(super) bank: BankArg,
    #[command(flatten)]
    pub(super) jobs: JobsArg,
    #[command(flatten)]
    pub(super) compile: CompileArgs,
}

#[derive(Subcommand)]
pub(super) enum Cmd {
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
        bounds: Bounds,
        #[command(flatten)]
        judging: JudgingArgs,
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
        #[command(flatten)]
        judging: JudgingArgs,
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
        #[command(flatten)]
        bank: BankArg,
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
        #[command(flatten)]
        bank: BankArg,
        #[command(flatten)]
        jobs: JobsArg,
    },
    /// Print every case of a problem (samples, then groups; generated ones filled in) with its
    /// expected answer, as JSON lines: for authors and for cross-checking references
    Cases {
        problem: String,
        #[command(flatten)]
        bank: BankArg,
        #[command(flatten)]
        jobs: JobsArg,
    },
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
        #[command(flatten)]
        engine: EngineArgs,
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
        #[command(flatten)]
        bank: BankArg,
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
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Measure how a solution's cost grows with the input's size (the generator's size),
    /// against the reference's: the fitted exponents and what they mean at the largest case
    Complexity {
        #[command(flatten)]
        args: ComplexityArgs,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Rank pairs of submissions by how much code they share (renamed variables,
    /// reformatting, reordered functions and rewritten comments change little), and show the
    /// shared code side by side
    Similarity {
        #[command(flatten)]
        args: SimilarityArgs,
        #[command(flatten)]
        bank: BankArg,
    },
    /// Show the toolchain and which sandbox layers this machine enforces
    Doctor {
        /// Also box a shell and check from inside what the box allows (needs no compiler)
        #[arg(long)]
        selftest: bool,
        #[command(flatten)]
        bank: BankArg,
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
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        #[command(subcommand)]
        command: InterviewCmd,
    },
    /// Run the judge as a service: an HTTP API over a durable queue, judged by workers
    #[cfg(feature = "service")]
    Serve {
        #[command(flatten)]
        args: ServeArgs,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Judge jobs of a service whose store is PostgreSQL, on this machine (`--jobs` of them
    /// at once)
    #[cfg(feature = "service")]
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
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// The workers registered in a service's store, a line each: state (alive, or gone
    /// after 15 s without a heartbeat), jobs held, last heartbeat, results stored
    #[cfg(feature = "service")]
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
    #[cfg(feature = "service")]
    Backup {
        /// The service's data dir (default: $XDG_DATA_HOME/judge/service)
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// The file to write (a new SQLite database; restore by putting it in a data dir
        /// as judge.db)
        to: PathBuf,
    },
    /// The service's users and their tokens
    #[cfg(feature = "service")]
    User {
        #[command(subcommand)]
        command: UserCmd,
    },
}

/// `judge serve`'s own flags.
#[cfg(feature = "service")]
#[derive(clap::Args)]
pub(super) struct ServeArgs {
    /// The address to listen on (port 0: any free port, printed at start)
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub(super) listen: std::net::SocketAddr,
    /// The service's data dir: its database (default: $XDG_DATA_HOME/judge/service)
    #[arg(long, value_name = "DIR")]
    pub(super) data: Option<PathBuf>,
    /// Keep the store in PostgreSQL instead (postgres://user@host:port/db)
    #[arg(long, value_name = "URL")]
    pub(super) db: Option<String>,
    /// Judgings at once (default: one per core; 0 with --db: other hosts' `judge worker`s
    /// judge)
    #[arg(long, value_name = "N")]
    pub(super) workers: Option<u16>,
    /// Requests a minute per token (over it: 429 with Retry-After)
    #[arg(long, value_name = "N", default_value_t = 600, value_parser = clap::value_parser!(u32).range(1..))]
    pub(super) rate: u32,
    /// Submissions per token waiting or being judged at once (over it: 429)
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(i64).range(1..))]
    pub(super) max_queued: i64,
    /// The service is reached over HTTPS (a proxy ends TLS): session cookies are Secure
    /// and named __Host-judge_session
    #[arg(long)]
    pub(super) secure_cookies: bool,
    /// The address users reach the service at (https://judge.example.com): interview
    /// and webhook links are built on it, never on a request's Host header (without it
    /// they are paths)
    #[arg(long, value_name = "URL")]
    pub(super) public_url: Option<service::reach::PublicUrl>,
    /// A network webhooks may call besides public addresses (10.0.0.0/8, 127.0.0.1);
    /// repeat for more. Without it loopback, private and link-local targets are refused
    #[arg(long, value_name = "NET")]
    pub(super) webhook_allow: Vec<service::webhook_target::Net>,
    /// A reverse proxy whose X-Forwarded-For names the client (sign-ins are throttled
    /// per client address); repeat for more
    #[arg(long, value_name = "IP")]
    pub(super) trusted_proxy: Vec<std::net::IpAddr>,
    /// Database connections this server keeps at most
    #[arg(long, value_name = "N", default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub(super) db_connections: u32,
    /// Forget a registered worker after this many seconds without a heartbeat (it shows
    /// as gone after 15)
    #[arg(long, value_name = "S", default_value_t = 3600, value_parser = clap::value_parser!(u64).range(15..))]
    pub(super) prune_workers_after: u64,
    /// The log on stderr: text lines, or one JSON object a line
    #[arg(long, value_name = "FORMAT", default_value = "text", value_parser = ["text", "json"])]
    pub(super) log_format: String,
}

/// Where a user command finds the service's store.
#[cfg(feature = "service")]
#[derive(clap::Args)]
pub(super) struct StoreArgs {
    /// The service's data dir (default: $XDG_DATA_HOME/judge/service)
    #[arg(long, value_name = "DIR")]
    pub(super) data: Option<PathBuf>,
    /// The service's PostgreSQL database instead (postgres://user@host:port/db)
    #[arg(long, value_name = "URL")]
    pub(super) db: Option<String>,
}

#[cfg(feature = "service")]
#[derive(Subcommand)]
pub(super) enum UserCmd {
    /// Add a user; prints its bearer token once, as the last word of the output
    Add {
        name: String,
        /// candidate (submits, reads its own), author (reads all), admin, interviewer (creates
        /// mock interviews on the service)
        #[arg(long, default_value = "candidate", value_parser = ["candidate", "author", "admin", "interviewer"])]
        role: String,
        #[command(flatten)]
        store: StoreArgs,
        /// Also a password to sign in to the web pages with, read as one line from stdin
        #[arg(long)]
        password_stdin: bool,
    },
    /// End every web session of a user: its browsers must sign in again
    SignOut {
        name: String,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Set a user's password for the web pages, read as one line from stdin
    Password {
        name: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Subcommand)]
pub(super) enum CacheCmd {
    /// Remove least recently used entries until the cache is at most SIZE (runtime/ and
    /// entries used in the last minute are kept)
    Prune {
        /// 500M, 2G, 1.5GiB, 800K, or bytes (units are powers of 1024)
        #[arg(long, value_name = "SIZE", value_parser = prune::parse_size)]
        max_size: u64,
    },
}

/// `judge complexity`'s arguments.
#[derive(clap::Args)]
pub(super) struct ComplexityArgs {
    /// A problem id, or a path to a problem folder (one with a generator.rs)
    pub(super) problem: String,
    /// One or more solutions; the reference is measured once for all
    #[arg(required = true)]
    pub(super) solutions: Vec<PathBuf>,
    /// Print the measurement as one JSON object (an array of them for several solutions)
    #[arg(long)]
    pub(super) json: bool,
    #[command(flatten)]
    pub(super) bounds: Bounds,
}

/// How long a measurement may take: shared by `judge complexity`, `judge submit
/// --complexity` and `judge interview report --complexity`.
#[derive(clap::Args, Clone, Copy)]
pub(super) struct Bounds {
    /// The measurement's time budget in seconds, compiling aside; it says when it stopped early
    #[arg(long, value_name = "S", default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=3600))]
    budget: u64,
    /// A program stops climbing once one of its runs takes this much CPU time
    #[arg(long, value_name = "MS", default_value_t = 200, value_parser = clap::value_parser!(u64).range(10..=60_000))]
    target_ms: u64,
}

impl Bounds {
    pub(super) fn options(self) -> Options {
        Options {
            budget: Duration::from_secs(self.budget),
            target_ms: self.target_ms as f64,
        }
    }
}

/// `judge similarity`'s arguments.
#[derive(clap::Args)]
pub(super) struct SimilarityArgs {
    /// Submission files, or folders walked for them (files ending in .rs, .c, .cpp, .java,
    /// .py, ...)
    #[arg(required = true, value_name = "FILE|DIR")]
    pub(super) paths: Vec<PathBuf>,
    /// The problem they answer (an id or a folder): its stub is code everyone was given and
    /// does not count
    #[arg(long)]
    pub(super) problem: Option<String>,
    /// A file of code everyone was given (a template): none of it counts; repeat for more
    #[arg(long, value_name = "FILE")]
    pub(super) base: Vec<PathBuf>,
    /// Print the comparison as one JSON object
    #[arg(long)]
    pub(super) json: bool,
    /// Pairs listed, best first
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub(super) top: usize,
    /// Pairs whose shared code is shown side by side (text only)
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub(super) show: usize,
    /// Tokens in a k-gram: no shorter match is seen
    #[arg(long, value_name = "N", default_value_t = DEFAULT_K, value_parser = clap::value_parser!(u16).range(2..=200))]
    pub(super) k: u16,
    /// Hashes in a winnowing window: any match of window + k - 1 tokens is seen
    #[arg(long, value_name = "N", default_value_t = DEFAULT_WINDOW, value_parser = clap::value_parser!(u16).range(1..=200))]
    pub(super) window: u16,
    /// Fingerprints in more than this share of the submissions (and in at least three) are
    /// code everyone writes, and do not count
    #[arg(long, value_name = "SHARE", default_value_t = 0.5, value_parser = share)]
    pub(super) common: f64,
}

/// `--common` given something other than a share.
#[derive(Debug, thiserror::Error)]
#[error("{0} is not a share between 0 (excluded) and 1")]
pub(super) struct NotAShare(String);

fn share(text: &str) -> Result<f64, NotAShare> {
    match text.parse::<f64>() {
        Ok(x) if x > 0.0 && x <= 1.0 => Ok(x),
        _ => Err(NotAShare(text.to_string())),
    }
}

/// `--dir` of an interview command that works in an existing workspace.
#[derive(clap::Args)]
pub(super) struct WorkspaceArg {
    /// The workspace (default: the one holding the current folder)
    #[arg(long, value_name = "DIR")]
    pub(super) dir: Option<PathBuf>,
}

#[derive(Subcommand)]
pub(super) enum InterviewCmd {
    /// Start a session: pick problems, make the workspace, start the clock
    Start {
        /// These problems (ids or folders), in this order
        #[arg(long, value_delimiter = ',', conflicts_with_all = ["count", "difficulty", "tags"])]
        pick: Vec<String>,
        /// How many problems to draw from the bank
        #[arg(long, default_value_t = 2)]
        count: usize,
        /// Draw only problems of this difficulty (easy, medium, hard)
        #[arg(long)]
        difficulty: Option<String>,
        /// Draw only problems carrying every one of these tags
        #[arg(long, value_delimiter = ',')]
        tags: Vec<String>,
        /// Length of the session (fractions allowed)
        #[arg(long, default_value_t = 60.0)]
        minutes: f64,
        /// The workspace folder to create (must be new or empty; default: ./interview)
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Seed for drawing problems (default: the clock); the same seed draws the same problems
        #[arg(long)]
        seed: Option<u64>,
        /// Interviewer's setting: hidden cases' details stay hidden until the session ends
        #[arg(long)]
        hide_hidden: bool,
        /// Interviewer's setting: hidden cases show their verdicts only (no time, memory or
        /// message), for the whole session and in the report
        #[arg(long)]
        verdicts_only: bool,
        #[command(flatten)]
        bank: BankArg,
        #[command(flatten)]
        jobs: JobsArg,
    },
    /// Create a session on a judge service for a candidate to take in the browser; prints
    /// the candidate's link and the interviewer's (each holds its secret)
    #[cfg(feature = "service")]
    Create {
        /// The service's address (http://host:port)
        #[arg(long, value_name = "URL")]
        serve: String,
        /// An interviewer's, author's or admin's bearer token
        #[arg(long)]
        token: String,
        /// These problems, in this order
        #[arg(long, value_delimiter = ',', conflicts_with_all = ["count", "difficulty", "tags"])]
        pick: Vec<String>,
        /// How many problems to draw from the service's bank
        #[arg(long, default_value_t = 2)]
        count: usize,
        /// Draw only problems of this difficulty (easy, medium, hard)
        #[arg(long)]
        difficulty: Option<String>,
        /// Draw only problems carrying every one of these tags
        #[arg(long, value_delimiter = ',')]
        tags: Vec<String>,
        /// Seed for drawing problems
        #[arg(long)]
        seed: Option<u64>,
        /// Length of the session (its clock starts when the candidate opens the link)
        #[arg(long, default_value_t = 60.0)]
        minutes: f64,
        /// Hidden cases' details stay hidden from the candidate until the session ends
        #[arg(long)]
        hide_hidden: bool,
        /// Measure every submission's complexity against the reference (about 20 s more
        /// each), for the interviewer's report
        #[arg(long)]
        complexity: bool,
    },
    /// Time left, and each problem's state and score
    Status {
        /// Keep redrawing the countdown until the session closes
        #[arg(long)]
        watch: bool,
        #[command(flatten)]
        workspace: WorkspaceArg,
    },
    /// Judge your solution to a problem on its samples (practice, as often as you like)
    Run {
        problem: String,
        #[command(flatten)]
        workspace: WorkspaceArg,
        #[command(flatten)]
        jobs: JobsArg,
        #[command(flatten)]
        progress: ProgressArg,
        #[command(flatten)]
        compile: CompileArgs,
    },
    /// Judge your solution on the hidden cases; scored and recorded
    Submit {
        problem: String,
        #[command(flatten)]
        workspace: WorkspaceArg,
        #[command(flatten)]
        jobs: JobsArg,
        #[command(flatten)]
        progress: ProgressArg,
        #[command(flatten)]
        compile: CompileArgs,
    },
    /// Close the session before its deadline
    End {
        #[command(flatten)]
        workspace: WorkspaceArg,
    },
    /// Write report.md and report.html (into the workspace, or --out)
    Report {
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Also measure how each problem's final submission grows with the input's size,
        /// against the reference (as `judge complexity`), once the session is over
        #[arg(long)]
        complexity: bool,
        #[command(flatten)]
        bounds: Bounds,
        #[command(flatten)]
        workspace: WorkspaceArg,
        #[command(flatten)]
        jobs: JobsArg,
        #[command(flatten)]
        compile: CompileArgs,
    },
}
