//! The public pages' read limit: requests per address per minute (an IPv6 address counts
//! by its /64), in fixed one-minute windows, remembering at most `CAP` addresses (when full,
//! windows that have ended are forgotten first, then everything: a flood of addresses can
//! make the limit forget, never block anyone else).

use std::collections::HashMap;
use std::sync::Mutex;

/// Addresses remembered at most.
const CAP: usize = 100_000;
/// The window, in ms.
const WINDOW_MS: i64 = 60_000;

/// Counts of one minute by address.
#[derive(Debug)]
pub struct PublicLimiter {
    per_minute: u32,
    counts: Mutex<HashMap<String, (i64, u32)>>,
}

impl Default for PublicLimiter {
    fn default() -> Self {
        Self::new(DEFAULT_PER_MINUTE)
    }
}

/// Public reads one address may make per minute, by default (a person reading the portal
/// makes a few; a crawler many).
pub const DEFAULT_PER_MINUTE: u32 = 300;

impl PublicLimiter {
    /// A limiter allowing `per_minute` reads per address (0: no limit).
    pub fn new(per_minute: u32) -> Self {
        Self { per_minute, counts: Mutex::new(HashMap::new()) }
    }

    /// Counts one read of `address` at `now` (ms); false when over the limit.
    pub fn allow(&self, address: &str, now: i64) -> bool {
        if self.per_minute == 0 {
            return true;
        }
        let key = crate::auth::throttle::address_key(address);
        let mut counts = self.counts.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if counts.len() >= CAP && !counts.contains_key(&key) {
            counts.retain(|_, (start, _)| now - *start < WINDOW_MS);
            if counts.len() >= CAP {
                counts.clear();
            }
        }
        let entry = counts.entry(key).or_insert((now, 0));
        if now - entry.0 >= WINDOW_MS {
            *entry = (now, 0);
        }
        entry.1 += 1;
        entry.1 <= self.per_minute
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_limited_per_minute_and_others_are_not() {
        let l = PublicLimiter::new(3);
        assert!((0..3).all(|i| l.allow("192.0.2.1", i)));
        assert!(!l.allow("192.0.2.1", 10));
        assert!(l.allow("192.0.2.2", 10), "another address is not blocked");
        assert!(!l.allow("2001:db8::1", 0) || l.allow("2001:db8::2", 1));
        assert!(l.allow("192.0.2.1", WINDOW_MS + 1), "a new minute");
        assert!(PublicLimiter::new(0).allow("x", 0));
    }
}
