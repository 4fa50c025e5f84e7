//! Worker processes as a resource of the API (`api.rs`): their list, and a worker's own
//! health and metrics. Judging itself is `worker.rs`'s.

pub(crate) mod api;

pub use api::worker_router;
