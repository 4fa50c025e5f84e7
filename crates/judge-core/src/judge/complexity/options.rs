//! How a measurement is bounded: its whole time, and the CPU time each program climbs to.

use std::time::Duration;

/// How a measurement is bounded.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The whole climb's wall-clock time (compiling aside).
    pub budget: Duration,
    /// A program stops climbing once a run takes this much CPU time.
    pub target_ms: f64,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            budget: Duration::from_secs(20),
            target_ms: 200.0,
        }
    }
}
