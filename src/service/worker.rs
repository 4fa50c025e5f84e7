//! Workers: tasks in the service's process that take jobs from the store's queue and judge
//! them through the engine. A job is held with a lease renewed by a heartbeat while it is
//! judged; its result is written in the transaction that deletes the job, so each
//! submission ends with exactly one result however often its worker dies.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use crate::judge::package::PackageSubmission;
use crate::judge::{Event, JudgeError, Judging, Submission};
use crate::problem::package::Package;
use crate::problem::spec;
use crate::report::json::JsonReport;
use crate::report::Mode;

use super::hub::Told;
use super::store::{Claim, StoreError, Submission as StoredSubmission};
use super::Service;

/// How long a claimed job is a worker's without a heartbeat.
pub const LEASE_MS: i64 = 30_000;
/// How often a worker renews its lease.
const HEARTBEAT: Duration = Duration::from_secs(5);
/// How often an idle worker looks for jobs besides being woken for new ones (leases that
/// expired are only found by looking).
const IDLE_CHECK: Duration = Duration::from_secs(1);
/// A job claimed this many times ended its worker each time: it is not tried again.
pub const MAX_ATTEMPTS: i64 = 3;

/// Takes and judges jobs until the service stops; a job being judged then is finished first.
pub async fn run(service: Arc<Service>, name: String) {
    loop {
        if service.stopping() {
            return;
        }
        match service.store.claim(&name, LEASE_MS) {
            Ok(Some(claim)) => {
                service.metrics.busy.fetch_add(1, Ordering::Relaxed);
                let judged = judge(&service, &name, claim).await;
                service.metrics.busy.fetch_sub(1, Ordering::Relaxed);
                if let Err(e) = judged {
                    eprintln!("judge serve: worker {name}: {e}");
                }
            }
            Ok(None) => {
                let woken = service.work.notified();
                let stopped = service.stop.notified();
                tokio::select! {
                    () = woken => {}
                    () = stopped => {}
                    () = tokio::time::sleep(IDLE_CHECK) => {}
                }
            }
            Err(e) => {
                eprintln!("judge serve: worker {name}: {e}");
                tokio::time::sleep(IDLE_CHECK).await;
            }
        }
    }
}

async fn judge(service: &Arc<Service>, worker: &str, claim: Claim) -> Result<(), StoreError> {
    let id = claim.submission;
    let Some(submission) = service.store.submission(id)? else {
        return Ok(());
    };
    if claim.attempts > MAX_ATTEMPTS {
        let why = format!(
            "judge error: judging this submission stopped its worker {MAX_ATTEMPTS} times; it is not tried again"
        );
        return finish(service, worker, id, "", &Err(why));
    }
    // The version the service queued it on (from the store when this host lacks it), else
    // (a job queued before versions were published) this host's own bank.
    let dir = match &claim.problem_version {
        Some(version) => {
            let (service, version) = (service.clone(), version.clone());
            let id = submission.problem.clone();
            tokio::task::spawn_blocking(move || super::packages::local(&service, &version, &id))
                .await
                .unwrap_or_else(|e| Err(e.to_string()))
        }
        None => service
            .bank
            .resolve(&submission.problem)
            .map_err(|e| e.to_string()),
    };
    let dir = match dir {
        Ok(dir) => dir,
        Err(why) => return finish(service, worker, id, "", &Err(format!("judge error: {why}"))),
    };
    if let Some(package) = super::kattis::load(&dir) {
        return judge_package(service, worker, id, package, submission).await;
    }
    let problem = match spec::load(&dir).map_err(|e| e.to_string()) {
        Ok(problem) => problem,
        Err(why) => return finish(service, worker, id, "", &Err(format!("judge error: {why}"))),
    };
    let version = super::problem_version(&problem);
    if let Some(input) = submission.input {
        return judge_input(
            service,
            worker,
            id,
            &version,
            problem,
            submission.source,
            &input,
        )
        .await;
    }
    let mode = if submission.mode == "run" {
        Mode::Run
    } else {
        Mode::Submit
    };
    let judging = service.engine.start(Submission {
        reference: problem.reference_path(),
        problem,
        source: submission.source,
        solution: PathBuf::from("solution.rs"),
        mode,
    });
    follow(service, worker, id, &version, judging).await
}

/// A submission on a Kattis package: judged by the package path (all groups, or the
/// samples for a run), its events told as they come.
async fn judge_package(
    service: &Arc<Service>,
    worker: &str,
    id: i64,
    package: Result<Package, String>,
    submission: StoredSubmission,
) -> Result<(), StoreError> {
    let package = match package {
        Ok(p) => p,
        Err(why) => return finish(service, worker, id, "", &Err(format!("judge error: {why}"))),
    };
    let version = match super::packages::package_version(&package) {
        Ok(v) => v,
        Err(why) => return finish(service, worker, id, "", &Err(format!("judge error: {why}"))),
    };
    if submission.input.is_some() {
        let why = "judge error: a run on custom input is not taken for Kattis packages".to_string();
        return finish(service, worker, id, &version, &Err(why));
    }
    let mode = if submission.mode == "run" {
        Mode::Run
    } else {
        Mode::Submit
    };
    let judging = service.engine.start_package(PackageSubmission {
        package,
        source: submission.source,
        // The name the page script looks for in rustc's messages to mark the editor.
        solution: PathBuf::from("solution.rs"),
        mode,
    });
    follow(service, worker, id, &version, judging).await
}

/// Follows a judging to its end: its events told, the lease renewed, the result stored.
async fn follow(
    service: &Arc<Service>,
    worker: &str,
    id: i64,
    version: &str,
    mut judging: Judging,
) -> Result<(), StoreError> {
    let mut heartbeat = tokio::time::interval(HEARTBEAT);
    loop {
        tokio::select! {
            event = judging.next() => {
                let Some(event) = event else { break };
                tell(service, id, &event)?;
            }
            _ = heartbeat.tick() => {
                if !service.store.heartbeat(id, worker, LEASE_MS)? {
                    // Another worker has it now: this judging's result would be its second.
                    judging.cancel();
                }
            }
        }
    }
    let result = tokio::task::spawn_blocking(move || judging.wait())
        .await
        .unwrap_or_else(|e| Err(JudgeError::Panicked(e.to_string())));
    match result {
        Ok(report) => {
            let json = serde_json::to_string(&JsonReport::new(&report))
                .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
            finish(service, worker, id, version, &Ok(json))
        }
        Err(JudgeError::Cancelled) => service.store.release(id, worker),
        Err(e) => finish(
            service,
            worker,
            id,
            version,
            &Err(format!("judge error: {e}")),
        ),
    }
}

/// A run on the user's own input: the answer beside the reference's (no events but
/// `done`: it is one case).
async fn judge_input(
    service: &Arc<Service>,
    worker: &str,
    id: i64,
    version: &str,
    problem: spec::Problem,
    source: String,
    input: &str,
) -> Result<(), StoreError> {
    let args = match serde_json::from_str(input) {
        Ok(serde_json::Value::Object(args)) => args,
        _ => serde_json::Map::new(),
    };
    let case = match spec::input_from_json(&problem, &args) {
        Ok(case) => case,
        Err((arg, why)) => {
            let why =
                format!("judge error: the stored input no longer fits the problem: {arg}: {why}");
            return finish(service, worker, id, version, &Err(why));
        }
    };
    service.store.set_status(id, "judging")?;
    let engine = service.engine.clone();
    let tried = tokio::task::spawn_blocking(move || {
        let reference = problem.reference_path();
        engine.try_input(
            &problem,
            &reference,
            &source,
            Path::new("solution.rs"),
            &case,
        )
    })
    .await
    .unwrap_or_else(|e| Err(JudgeError::Panicked(e.to_string())));
    let result = match tried {
        Ok(report) => Ok(serde_json::to_string(&report).unwrap_or_default()),
        Err(e) => Err(format!("judge error: {e}")),
    };
    finish(service, worker, id, version, &result)
}

/// Keeps the submission's status and live events up to date with the engine's.
fn tell(service: &Service, id: i64, event: &Event) -> Result<(), StoreError> {
    match event {
        Event::Compiling => service.store.set_status(id, "compiling")?,
        Event::Running { .. } => service.store.set_status(id, "judging")?,
        // `done` is told once the result is stored, with the report as the database has
        // it; `queued` was told when the submission was stored (the engine's is its wait for
        // a box slot, which the client sees as the same queue).
        Event::Done { .. } | Event::Queued => return Ok(()),
        _ => {}
    }
    let data = serde_json::to_value(event).unwrap_or_default();
    let name = data["event"].as_str().unwrap_or("event").to_string();
    service.hub.tell(
        id,
        Told {
            name,
            data: data.to_string(),
        },
    );
    Ok(())
}

/// Stores the result (when this worker still holds the job) and tells the last event.
fn finish(
    service: &Service,
    worker: &str,
    id: i64,
    version: &str,
    result: &Result<String, String>,
) -> Result<(), StoreError> {
    let stored = service.store.finish(
        id,
        worker,
        version,
        result.as_deref().map_err(String::as_str),
    )?;
    if stored {
        // A webhook may be owed now.
        service.deliver.notify_one();
        if let Some(submission) = service.store.submission(id)? {
            let took_ms =
                submission.finished_ms.unwrap_or(submission.created_ms) - submission.created_ms;
            service.metrics.finished(took_ms as f64 / 1000.0);
            let body = super::views::Shown::as_judged(submission).json(true);
            service.hub.close(
                id,
                Told {
                    name: "done".into(),
                    data: body.to_string(),
                },
            );
        }
    }
    Ok(())
}
