//! Accounts for the service benches.

/// A new candidate added by `judge` (a `judge` command with the bench's environment) to the
/// store `place` names (`--data DIR` or `--db URL`); its token, the last word printed.
pub fn add_candidate(mut judge: std::process::Command, place: &[String], name: &str) -> String {
    let out = judge
        .args(["user", "add", name, "--role", "candidate"])
        .args(place)
        .output()
        .expect("judge user add runs");
    assert!(
        out.status.success(),
        "judge user add: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .last()
        .expect("a token")
        .to_string()
}
