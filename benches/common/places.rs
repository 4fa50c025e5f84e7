//! Where the repository is, and where the benches keep their figures and caches.

use std::path::PathBuf;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The judge cache the benches judge with, apart from the tests' and the user's.
pub fn cache() -> PathBuf {
    bench_dir().join("cache")
}

/// Where the benches write their figures and keep their own caches.
pub fn bench_dir() -> PathBuf {
    repo().join("target/bench")
}
