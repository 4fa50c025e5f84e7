//! Back-off for password guesses, counted per client address and account together (and per
//! address over every account, against one address spraying many names). A few failures
//! cost nothing; each further one doubles the wait before the next try, up to `MOST`. The
//! count is never per account alone: a guesser from one address slows only itself, and the
//! real user signs in from its own address at once.
//!
//! Addresses are counted by network where one holder usually has many: an IPv6 address by
//! its /64. A try is counted when it starts, so a burst of guesses sent at once is throttled
//! like the same guesses sent one after another; the wait runs from when it failed.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Tries that cost nothing: per address and account, and per address over all accounts.
pub const FREE_PER_ACCOUNT: u32 = 5;
pub const FREE_PER_ADDRESS: u32 = 20;
/// The longest wait between two tries.
pub const MOST: Duration = Duration::from_mins(1);
/// Failures are forgotten this long after the last one.
const FORGET: Duration = Duration::from_mins(15);
/// Entries kept at most; past it, the oldest are forgotten first.
const KEPT: usize = 100_000;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Account(IpAddr, String),
    Address(IpAddr),
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

/// Failed tries by key.
#[derive(Default)]
pub struct Throttle {
    failures: Mutex<HashMap<Key, Failures>>,
}

impl Throttle {
    /// Starts a try of `account` from `client`: counted now (and forgiven by `succeeded`),
    /// or refused with the seconds to wait.
    pub fn start(&self, client: IpAddr, account: &str) -> Result<(), u64> {
        self.start_at(client, account, Instant::now())
    }

    /// A try that failed: the wait before the next one runs from now (a hash takes a while,
    /// and a guesser waits after its answer, not after its question).
    pub fn failed(&self, client: IpAddr, account: &str) {
        let now = Instant::now();
        let mut failures = self.lock();
        let net = network(client);
        for key in [Key::Account(net, account.to_string()), Key::Address(net)] {
            if let Some(f) = failures.get_mut(&key) {
                f.last = now;
            }
        }
    }

    /// A try that succeeded: its account's failures from this address are forgotten (the
    /// address's count over all accounts stays).
    pub fn succeeded(&self, client: IpAddr, account: &str) {
        let mut failures = self.lock();
        failures.remove(&Key::Account(network(client), account.to_string()));
        if let Some(f) = failures.get_mut(&Key::Address(network(client))) {
            f.count = f.count.saturating_sub(1);
        }
    }

    fn start_at(&self, client: IpAddr, account: &str, now: Instant) -> Result<(), u64> {
        let net = network(client);
        let keys = [
            (Key::Account(net, account.to_string()), FREE_PER_ACCOUNT),
            (Key::Address(net), FREE_PER_ADDRESS),
        ];
        let mut failures = self.lock();
        let wait = keys
            .iter()
            .filter_map(|(key, free)| failures.get(key).map(|f| remaining(f, *free, now)))
            .max()
            .unwrap_or_default();
        if !wait.is_zero() {
            return Err(wait.as_secs_f64().ceil().max(1.0) as u64);
        }
        if failures.len() >= KEPT {
            forget_old(&mut failures, now);
        }
        for (key, _) in keys {
            let f = failures.entry(key).or_insert(Failures {
                count: 0,
                last: now,
            });
            if now.duration_since(f.last) > FORGET {
                f.count = 0;
            }
            f.count += 1;
            f.last = now;
        }
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Failures>> {
        self.failures.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// How long after `f.last` the next try must wait: nothing for the free tries, then 1 s
/// doubling per failure up to `MOST`; nothing once they are forgotten.
fn remaining(f: &Failures, free: u32, now: Instant) -> Duration {
    let since = now.duration_since(f.last);
    if f.count < free || since > FORGET {
        return Duration::ZERO;
    }
    let wait = Duration::from_secs(1u64 << (f.count - free).min(16)).min(MOST);
    wait.saturating_sub(since)
}

/// Forgets entries not touched within `FORGET`, then (when that is not enough) the older
/// half: a flood of made-up names cannot grow the map without end.
fn forget_old(failures: &mut HashMap<Key, Failures>, now: Instant) {
    failures.retain(|_, f| now.duration_since(f.last) <= FORGET);
    if failures.len() >= KEPT {
        let mut times: Vec<Instant> = failures.values().map(|f| f.last).collect();
        times.sort_unstable();
        let cut = times[times.len() / 2];
        failures.retain(|_, f| f.last > cut);
    }
}

/// The address as counted: IPv4 whole, IPv6 by its /64 (one subscriber's network).
fn network(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6((u128::from(v6) & !u128::from(u64::MAX)).into()),
        v4 @ IpAddr::V4(_) => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn a_guesser_is_slowed_and_the_user_elsewhere_is_not() {
        let throttle = Throttle::default();
        let now = Instant::now();
        let guesser = ip("203.0.113.7");
        for _ in 0..FREE_PER_ACCOUNT {
            assert_eq!(throttle.start_at(guesser, "ada", now), Ok(()));
        }
        assert_eq!(throttle.start_at(guesser, "ada", now), Err(1));
        // From another address the account is open, and the guesser's other tries too.
        assert_eq!(throttle.start_at(ip("198.51.100.2"), "ada", now), Ok(()));
        assert_eq!(throttle.start_at(guesser, "bob", now), Ok(()));
        // The wait doubles with each failure and never passes MOST.
        let mut at = now;
        let mut waits = Vec::new();
        for _ in 0..12 {
            at += Duration::from_mins(2);
            assert_eq!(throttle.start_at(guesser, "ada", at), Ok(()));
            waits.push(throttle.start_at(guesser, "ada", at).unwrap_err());
        }
        assert_eq!(waits[..3], [2, 4, 8]);
        assert!(waits.iter().all(|w| *w <= MOST.as_secs()), "{waits:?}");
        assert_eq!(waits.last(), Some(&MOST.as_secs()));
        // Forgotten after a quiet while.
        assert_eq!(
            throttle.start_at(guesser, "ada", at + FORGET + Duration::from_secs(1)),
            Ok(())
        );
    }

    #[test]
    fn a_success_forgives_its_account_and_one_address_sprays_few_names() {
        let throttle = Throttle::default();
        let now = Instant::now();
        let user = ip("192.0.2.1");
        for _ in 0..FREE_PER_ACCOUNT {
            throttle.start_at(user, "ada", now).unwrap();
        }
        throttle.succeeded(user, "ada");
        assert_eq!(throttle.start_at(user, "ada", now), Ok(()));
        let sprayer = ip("2001:db8:1:2::7");
        for n in 0..FREE_PER_ADDRESS {
            throttle
                .start_at(sprayer, &format!("user{n}"), now)
                .unwrap();
        }
        // Another address of the same /64 is the same sprayer.
        assert!(throttle
            .start_at(ip("2001:db8:1:2::99"), "new", now)
            .is_err());
        assert!(throttle.start_at(ip("2001:db8:1:3::1"), "new", now).is_ok());
    }
}
