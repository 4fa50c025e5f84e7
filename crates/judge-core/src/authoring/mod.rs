//! What problem authors run: verify a problem against its known submissions, calibrate its
//! time limit, stress a solution against the reference on random cases and shrink a failing
//! one, and scaffold a new problem folder.

pub mod calibrate;
mod error;
pub mod package_scaffold;
pub mod package_verify;
pub mod scaffold;
pub mod shrink;
pub mod stress;
mod verification;
pub mod verify;

pub use error::AuthoringError;
