//! Workers: tasks that take jobs from the store's queue and judge them through the engine
//! (in the service's process, or in `judge worker` processes on other hosts). A job is held
//! with a lease renewed by a heartbeat while it is judged; its result is written in the
//! transaction that deletes the job, so each submission ends with exactly one result
//! however often its worker dies.
//!
//! A worker that loses the database keeps judging: its events wait and are written when it
//! is back, its heartbeat fails loudly (in the log) and is tried again, and its result is
//! stored once the database answers, if the job is still its own (the pool connects again,
//! with back-off). A job taken from it meanwhile was not a failed attempt: the claim is
//! given back (`Store::lease_lost`).

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::FutureExt;

use judge_core::judge::complexity::Options as ComplexityOptions;
use judge_core::judge::package::PackageSubmission;
use judge_core::judge::{Event, JudgeError, Judging, Submission};
use judge_core::languages::Language;
use judge_core::problem::package::Package;
use judge_core::problem::spec::{self, SpecError};
use judge_core::report::complexity::Complexity;
use judge_core::report::document::Document;
use judge_core::report::json::JsonReport;
use judge_core::report::{Mode, Report};

use super::packages::PackageError;
use super::store::{Claim, Status, StoreError, Submission as StoredSubmission};
use super::Service;

mod error;

pub use error::JobError;

/// How long a claimed job is a worker's without a heartbeat.
pub const LEASE_MS: i64 = 30_000;
/// How often a worker renews its lease.
const HEARTBEAT: Duration = Duration::from_secs(5);
/// How often an idle worker looks for jobs besides being woken for new ones (leases that
/// expired are only found by looking).
const IDLE_CHECK: Duration = Duration::from_secs(1);
/// A job claimed this many times ended its worker each time: it is not tried again.
pub const MAX_ATTEMPTS: i64 = 3;
/// Events kept for a database that does not answer; older ones beyond this are dropped
/// (the result, stored later, carries what they said).
const MAX_PENDING_EVENTS: usize = 10_000;

/// Pauses between tries at a database that does not answer: 0.5 s, doubling up to 10 s.
pub struct Backoff(u32);

impl Backoff {
    pub fn new() -> Backoff {
        Backoff(0)
    }

    pub fn next(&mut self) -> Duration {
        let pause = Duration::from_millis(500 << self.0.min(5)).min(Duration::from_secs(10));
        self.0 += 1;
        pause
    }

    pub fn reset(&mut self) {
        self.0 = 0;
    }
}

/// Takes and judges jobs until the service stops; a job being judged then is finished first.
pub async fn run(service: Arc<Service>, name: String) {
    let mut backoff = Backoff::new();
    loop {
        if service.stopping() {
            return;
        }
        match service.store.claim(&name, LEASE_MS) {
            Ok(Some(claim)) => {
                backoff.reset();
                service.metrics.busy.fetch_add(1, Ordering::Relaxed);
                let id = claim.submission;
                let judged = judge(&service, &name, claim).await;
                service.metrics.busy.fetch_sub(1, Ordering::Relaxed);
                if let Err(e) = judged {
                    service.metrics.db_error();
                    tracing::warn!(worker = %name, submission = id, error = %e, "the job was left to its lease");
                }
            }
            Ok(None) => {
                backoff.reset();
                let woken = service.work.notified();
                let stopped = service.stop.notified();
                tokio::select! {
                    () = woken => {}
                    () = stopped => {}
                    () = tokio::time::sleep(IDLE_CHECK) => {}
                }
            }
            Err(e) => {
                service.metrics.db_error();
                let pause = backoff.next();
                tracing::warn!(worker = %name, error = %e, retry_in_ms = pause.as_millis() as u64, "cannot claim a job");
                let stopped = service.stop.notified();
                tokio::select! {
                    () = stopped => {}
                    () = tokio::time::sleep(pause) => {}
                }
            }
        }
    }
}

/// What the line logged for a job says, gathered as it is judged.
struct Job<'a> {
    service: &'a Arc<Service>,
    worker: &'a str,
    id: i64,
    problem: String,
    attempts: i64,
    /// When the job was queued (ms since the epoch), and when this worker claimed it.
    queued_ms: Option<i64>,
    claimed: Instant,
    claimed_ms: i64,
}

async fn judge(service: &Arc<Service>, worker: &str, claim: Claim) -> Result<(), StoreError> {
    let id = claim.submission;
    let Some(submission) = service.store.submission(id)? else {
        return Ok(());
    };
    let job = Job {
        service,
        worker,
        id,
        problem: submission.problem.clone(),
        attempts: claim.attempts,
        queued_ms: claim.queued_ms,
        claimed: Instant::now(),
        claimed_ms: super::store::now_ms(),
    };
    if claim.attempts > MAX_ATTEMPTS {
        return job.finish("", Err(JobError::Attempts)).await;
    }
    // The version the service queued it on (from the store when this host lacks it), else
    // (a job queued before versions were published) this host's own bank.
    let dir = match &claim.problem_version {
        Some(version) => {
            let (service, version) = (service.clone(), version.clone());
            let id = submission.problem.clone();
            tokio::task::spawn_blocking(move || super::packages::local(&service, &version, &id))
                .await
                .unwrap_or_else(|e| Err(e.into()))
        }
        None => service
            .bank
            .resolve(&submission.problem)
            .map_err(PackageError::from),
    };
    let dir = match dir {
        Ok(dir) => dir,
        Err(why) => return job.finish("", Err(why.into())).await,
    };
    if let Some(package) = super::kattis::load(&dir) {
        return judge_package(job, package, submission).await;
    }
    let problem = match spec::load(&dir) {
        Ok(problem) => problem,
        Err(why) => return job.finish("", Err(why.into())).await,
    };
    let version = super::packages::problem_version(&problem);
    let solution = match service.engine.languages().get(&submission.language) {
        Ok(language) => solution_file(language),
        Err(e) => return job.finish(&version, Err(e.into())).await,
    };
    if let Some(input) = submission.input {
        let program = (submission.source, solution);
        return judge_input(job, &version, problem, program, &input).await;
    }
    let mode = submission.mode;
    let measure = (submission.complexity && mode == Mode::Submit).then(|| Measure {
        problem: problem.clone(),
        source: submission.source.clone(),
        solution: solution.clone(),
    });
    let judging = service.engine.start(Submission {
        reference: problem.reference_path(),
        problem,
        source: submission.source,
        solution,
        mode,
    });
    job.follow(&version, judging, measure).await
}

/// The file a submission is judged as: `solution.<its language's extension>`, the name the
/// page script looks for in a compiler's messages to mark the editor.
fn solution_file(language: &Language) -> PathBuf {
    let extension = language.extensions.first().map_or("txt", String::as_str);
    PathBuf::from(format!("solution.{extension}"))
}

/// What a submission that asks for its complexity is measured on, once judged.
struct Measure {
    problem: spec::Problem,
    source: String,
    /// The file it is judged as.
    solution: PathBuf,
}

/// Why a submission's complexity was not measured: the report's `complexity_unavailable`.
#[derive(Debug, thiserror::Error)]
enum Unmeasured {
    #[error("the solution did not compile")]
    NotCompiled,
    /// The problem's id.
    #[error("{0}'s complexity not measured: the job was lost")]
    Lost(String),
    #[error("{0}")]
    Judge(#[from] JudgeError),
    #[error("the measurement failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// A submission on a Kattis package: judged by the package path (all groups, or the
/// samples for a run), its events told as they come.
async fn judge_package(
    job: Job<'_>,
    package: Result<Package, SpecError>,
    submission: StoredSubmission,
) -> Result<(), StoreError> {
    let package = match package {
        Ok(p) => p,
        Err(why) => return job.finish("", Err(why.into())).await,
    };
    let version = match super::packages::package_version(&package) {
        Ok(v) => v,
        Err(why) => return job.finish("", Err(why.into())).await,
    };
    if submission.input.is_some() {
        return job.finish(&version, Err(JobError::InputOnPackage)).await;
    }
    let mode = submission.mode;
    let language = match job.service.engine.languages().get(&submission.language) {
        Ok(language) => language.clone(),
        Err(e) => return job.finish(&version, Err(e.into())).await,
    };
    if let Err(why) = judge_core::judge::package::allowed(&package, &language) {
        return job.finish(&version, Err(JobError::NotAllowed(why))).await;
    }
    let judging = job.service.engine.start_package(PackageSubmission {
        solution: solution_file(&language),
        package,
        language,
        source: submission.source,
        mode,
    });
    job.follow(&version, judging, None).await
}

/// A run on the user's own input: the answer beside the reference's (no events but
/// `done`: it is one case).
async fn judge_input(
    job: Job<'_>,
    version: &str,
    problem: spec::Problem,
    (source, solution): (String, PathBuf),
    input: &str,
) -> Result<(), StoreError> {
    // The input is the user's own JSON, each argument by name in the problem's own shape:
    // a `Value` until the problem reads it (it is not a report).
    let args = match serde_json::from_str(input) {
        Ok(serde_json::Value::Object(args)) => args,
        _ => serde_json::Map::new(),
    };
    let case = match spec::input_from_json(&problem, &args) {
        Ok(case) => case,
        Err(e) => return job.finish(version, Err(JobError::Input { input: e })).await,
    };
    let mut events = Events {
        status: Some(Status::Judging),
        ..Events::default()
    };
    events.flush(&job);
    let engine = job.service.engine.clone();
    let tried = tokio::task::spawn_blocking(move || {
        let reference = problem.reference_path();
        engine.try_input(&problem, &reference, &source, &solution, &case)
    })
    .await;
    let result = match tried {
        Ok(Ok(report)) => Ok(Document::Input(Box::new(report))),
        Ok(Err(e)) => Err(e.into()),
        Err(e) => Err(e.into()),
    };
    job.finish(version, result).await
}

/// A judging's events on their way to the store: kept while the database does not answer,
/// written together when it does.
#[derive(Default)]
struct Events {
    pending: Vec<(String, String)>,
    /// The submission's new status, when an event changes it.
    status: Option<Status>,
    /// The last write failed (said once in the log until one succeeds).
    failing: bool,
}

/// What `Events::flush` found.
#[derive(PartialEq, Eq)]
enum Flushed {
    Stored,
    /// The database did not answer: kept for the next try.
    Kept,
    /// Another worker holds the job now.
    NotOurs,
}

impl Events {
    /// Adds one of the engine's events (its status change, and the event as sent).
    fn push(&mut self, event: &Event) {
        match event {
            Event::Compiling => self.status = Some(Status::Compiling),
            Event::Running { .. } => self.status = Some(Status::Judging),
            // `done` is written with the result, read back as the database has it; `queued`
            // was written when the submission was stored (the engine's is its wait for a
            // box slot, which the client sees as the same queue).
            Event::Done { .. } | Event::Queued => return,
            _ => {}
        }
        // An event has no map with other than string keys: it always serializes.
        let data = serde_json::to_string(event).unwrap_or_default();
        if self.pending.len() >= MAX_PENDING_EVENTS {
            self.pending.remove(0);
        }
        self.pending.push((event.name().to_string(), data));
    }

    fn flush(&mut self, job: &Job<'_>) -> Flushed {
        if self.pending.is_empty() && self.status.is_none() {
            return Flushed::Stored;
        }
        let written = job
            .service
            .store
            .add_events(job.id, job.worker, &self.pending, self.status);
        match written {
            Ok(held) => {
                if self.failing {
                    tracing::info!(
                        worker = job.worker,
                        submission = job.id,
                        "the database answers again; events written"
                    );
                }
                self.failing = false;
                self.pending.clear();
                self.status = None;
                if held {
                    Flushed::Stored
                } else {
                    Flushed::NotOurs
                }
            }
            Err(e) => {
                job.service.metrics.db_error();
                if !self.failing {
                    tracing::warn!(worker = job.worker, submission = job.id, error = %e, "cannot write events; judging on, they are kept");
                }
                self.failing = true;
                Flushed::Kept
            }
        }
    }
}

/// What storing a result came to.
enum Stored {
    Yes,
    /// Another worker took the job meanwhile.
    Lost,
    /// The database refused the result (not a lost connection).
    Refused(StoreError),
}

impl Job<'_> {
    /// Follows a judging to its end: its events written, the lease renewed (a heartbeat
    /// that fails is said and tried again; the judging goes on), the result stored.
    async fn follow(
        &self,
        version: &str,
        mut judging: Judging,
        measure: Option<Measure>,
    ) -> Result<(), StoreError> {
        let mut heartbeat = tokio::time::interval(HEARTBEAT);
        heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut events = Events::default();
        let mut lost = false;
        let mut beat_failing = false;
        loop {
            tokio::select! {
                event = judging.next() => {
                    let Some(event) = event else { break };
                    events.push(&event);
                    // Whatever else is ready goes in the same write.
                    let mut ended = false;
                    loop {
                        match judging.next().now_or_never() {
                            Some(Some(event)) => events.push(&event),
                            Some(None) => {
                                ended = true;
                                break;
                            }
                            None => break,
                        }
                    }
                    if !lost && events.flush(self) == Flushed::NotOurs {
                        lost = true;
                        self.lose(&judging, "its events could not be written");
                    }
                    if ended {
                        break;
                    }
                }
                _ = heartbeat.tick() => {
                    if lost {
                        continue;
                    }
                    if !self.renew_lease(&mut beat_failing) {
                        lost = true;
                        self.lose(&judging, "its lease was renewed too late");
                    }
                    if !lost && events.flush(self) == Flushed::NotOurs {
                        lost = true;
                        self.lose(&judging, "its events could not be written");
                    }
                }
            }
        }
        let result = tokio::task::spawn_blocking(move || judging.wait()).await;
        match result {
            Ok(Err(JudgeError::Cancelled)) if lost => self.give_back(),
            Ok(Ok(report)) => {
                let measured = match measure {
                    Some(m) if lost => Some(Err(Unmeasured::Lost(m.problem.id))),
                    Some(m) => Some(self.measure(m, &report).await),
                    None => None,
                };
                let complexity = measured.as_ref().and_then(|m| m.as_ref().ok());
                let unavailable = measured
                    .as_ref()
                    .and_then(|m| m.as_ref().err())
                    .map(Unmeasured::to_string);
                let json = JsonReport::new(&report)
                    .with_complexity(complexity)
                    .with_complexity_unavailable(unavailable.as_deref());
                self.finish(version, Ok(Document::Judging(Box::new(json))))
                    .await
            }
            Ok(Err(e)) => self.finish(version, Err(e.into())).await,
            Err(e) => self.finish(version, Err(e.into())).await,
        }
    }

    /// Renews the job's lease: false when another worker holds it now. A database that
    /// does not answer is said (once until it answers again) and the lease kept hoping.
    fn renew_lease(&self, failing: &mut bool) -> bool {
        match self.service.store.heartbeat(self.id, self.worker, LEASE_MS) {
            Ok(true) => {
                if *failing {
                    tracing::info!(
                        worker = self.worker,
                        submission = self.id,
                        "the database answers again; the lease is still held"
                    );
                }
                *failing = false;
                true
            }
            Ok(false) => false,
            Err(e) => {
                self.service.metrics.db_error();
                tracing::warn!(worker = self.worker, submission = self.id, error = %e, "cannot renew the lease; judging on, trying again in 5 s");
                *failing = true;
                true
            }
        }
    }

    /// Measures the judged solution's complexity against the reference (as `judge submit
    /// --complexity`), the lease renewed meanwhile; why not, when it cannot be.
    async fn measure(&self, m: Measure, report: &Report) -> Result<Complexity, Unmeasured> {
        if !report.compile.ok {
            return Err(Unmeasured::NotCompiled);
        }
        let engine = self.service.engine.clone();
        let task = tokio::task::spawn_blocking(move || {
            let reference = m.problem.reference_path();
            engine.complexity(
                &m.problem,
                &reference,
                &m.source,
                &m.solution,
                &ComplexityOptions::default(),
            )
        });
        tokio::pin!(task);
        let mut heartbeat = tokio::time::interval(HEARTBEAT);
        heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut failing = false;
        loop {
            tokio::select! {
                done = &mut task => {
                    return Ok(done??);
                }
                // A lease lost meanwhile is found when the result is stored.
                _ = heartbeat.tick() => { self.renew_lease(&mut failing); }
            }
        }
    }

    /// Another worker holds the job now (this one could not renew its lease in time): its
    /// judging would be a second result, so it stops.
    fn lose(&self, judging: &Judging, why: &str) {
        tracing::warn!(
            worker = self.worker,
            submission = self.id,
            "another worker took the job ({why}); stopping this judging"
        );
        judging.cancel();
    }

    /// The job went to another worker while this one was alive: not a failed attempt.
    fn give_back(&self) -> Result<(), StoreError> {
        self.service.metrics.lease_lost();
        self.service.store.lease_lost(self.id, self.worker)
    }

    /// Stores the result while this worker still holds the job, trying again (with
    /// back-off) while the database does not answer; logs the job's line.
    async fn finish(
        &self,
        version: &str,
        result: Result<Document<'_>, JobError>,
    ) -> Result<(), StoreError> {
        // A failure is stored as the text its submission's owner reads instead of a report.
        let text = result.as_ref().map_err(ToString::to_string);
        let result = text.as_ref().map(|report| *report).map_err(String::as_str);
        let stored = self.store_result(version, result).await;
        let verdict = super::store::counted_as(result);
        let judge_ms = self.claimed.elapsed().as_millis() as u64;
        let waited_ms = self
            .queued_ms
            .map_or(0, |queued| (self.claimed_ms - queued).max(0));
        match stored {
            Stored::Yes => {
                // A webhook may be owed now.
                self.service.deliver.notify_one();
                self.service
                    .metrics
                    .judged(verdict, judge_ms as f64 / 1000.0);
                tracing::info!(
                    submission = self.id,
                    problem = %self.problem,
                    verdict = %verdict,
                    waited_ms,
                    judge_ms,
                    attempt = self.attempts,
                    worker = self.worker,
                    error = result.err(),
                    "judged"
                );
                Ok(())
            }
            Stored::Lost => {
                tracing::warn!(
                    submission = self.id,
                    problem = %self.problem,
                    verdict = %verdict,
                    judge_ms,
                    worker = self.worker,
                    "judged, but another worker took the job meanwhile; this result is dropped"
                );
                self.give_back()
            }
            Stored::Refused(e) => Err(e),
        }
    }

    async fn store_result(&self, version: &str, result: Result<&Document<'_>, &str>) -> Stored {
        let mut backoff = Backoff::new();
        loop {
            let tried = self
                .service
                .store
                .finish(self.id, self.worker, version, result)
                .and_then(|stored| {
                    // Not stored now: stored already by this worker (the answer to an
                    // earlier try was lost with its connection), or the job is another's.
                    Ok(stored || self.service.store.finished_by(self.id, self.worker)?)
                });
            match tried {
                Ok(true) => return Stored::Yes,
                Ok(false) => return Stored::Lost,
                Err(e) if e.is_connection() => {
                    self.service.metrics.db_error();
                    let pause = backoff.next();
                    tracing::warn!(worker = self.worker, submission = self.id, error = %e, retry_in_ms = pause.as_millis() as u64, "cannot store the result; trying again");
                    tokio::time::sleep(pause).await;
                }
                Err(e) => return Stored::Refused(e),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_from_half_a_second_to_ten() {
        let mut b = Backoff::new();
        let pauses: Vec<u64> = (0..7).map(|_| b.next().as_millis() as u64).collect();
        assert_eq!(pauses, [500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
        b.reset();
        assert_eq!(b.next(), Duration::from_millis(500));
    }
}
