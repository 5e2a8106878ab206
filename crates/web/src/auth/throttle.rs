//! The sign-in throttle: which failed sign-ins an address and an address-and-account pair
//! have made lately, and so which attempts to refuse before a password is checked. Reach
//! for [`Throttle`] (pure: every call is given the time, in milliseconds) behind
//! [`SharedThrottle`], with the deployment's [`Limits`].
//!
//! Only failures count, so signing in never spends an address's budget; an attempt counts
//! as a failure from the moment it begins until its password is found right, so a burst of
//! parallel guesses is held to the limits too. Two limits:
//!
//! - **per address**: `PIONEER_LOGIN_ATTEMPTS` failures (default 20) per 15 minutes, then
//!   every sign-in from that address is refused (429) until its oldest failure is 15
//!   minutes old. An IPv6 address counts as its /64 network (one client holds a whole /64).
//! - **per account and address**: the password policy's lockout count (5 under `mlps3`,
//!   10 under `asvs5`) per lock period (30 minutes); then that address may not sign in to
//!   that account, with the answer of a wrong password, until its oldest failure is 30
//!   minutes old.
//!
//! The account's own lock (`users.locked_until`, after the policy's count of failures from
//! anywhere) is soft: while it lasts, an address that failed against the account in the
//! last 30 minutes is refused, but one that has not may still sign in, and fails at most
//! once before it is refused too. So an attacker cannot lock a user out of their account
//! from elsewhere, and once the account is locked, spreading guesses over addresses buys
//! one guess per address.
//!
//! State lives in memory, in two maps of at most [`Throttle::DEFAULT_CAP`] keys each: a new
//! key in a full map first drops the keys with nothing left in their window, then the key
//! whose last failure is oldest. A restart forgets it (the account locks are in the store).

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};
use uuid::Uuid;

/// Failed sign-ins one address may make per [`ADDRESS_WINDOW_MS`] by default.
pub const FAILURES_PER_ADDRESS: usize = 20;
/// The window of the per-address limit: 15 minutes.
pub const ADDRESS_WINDOW_MS: i64 = 15 * 60 * 1000;

/// The limits of one deployment (from its settings and password policy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Failures one address may make per [`ADDRESS_WINDOW_MS`] (`PIONEER_LOGIN_ATTEMPTS`).
    pub per_address: usize,
    /// Failures one address may make against one account per `lock_ms`.
    pub per_account_address: usize,
    /// How long an account's lock lasts, and so how long a failure against it from an
    /// address is remembered.
    pub lock_ms: i64,
}

/// Failed sign-ins by address and by account and address, within their windows.
#[derive(Debug)]
pub struct Throttle {
    by_address: Budgets<String>,
    by_account: Budgets<(Uuid, String)>,
}

impl Default for Throttle {
    fn default() -> Self {
        Self::with_cap(Self::DEFAULT_CAP)
    }
}

impl Throttle {
    /// Keys each map holds at most (addresses; address-and-account pairs).
    pub const DEFAULT_CAP: usize = 10_000;

    /// A throttle whose maps hold at most `cap` keys each.
    pub fn with_cap(cap: usize) -> Self {
        Self { by_address: Budgets::new(cap), by_account: Budgets::new(cap) }
    }

    /// Begins a sign-in attempt from `address`: false when the address has used up its
    /// failures for the window (refuse it, whichever account). Otherwise the attempt counts
    /// as a failure until [`Throttle::passed`] says it was not one, so parallel attempts
    /// cannot all slip under the limit while their passwords are checked.
    pub fn attempt(&mut self, address: &str, limits: &Limits, now: i64) -> bool {
        let key = address_key(address);
        if self.by_address.count(&key, ADDRESS_WINDOW_MS, now) >= limits.per_address {
            return false;
        }
        self.by_address.record(key, limits.per_address, ADDRESS_WINDOW_MS, now);
        true
    }

    /// The attempt begun at `now` names `account`: false when `address` is kept from it
    /// ([`Throttle::blocks`]). Either way the attempt counts against the pair as a failure
    /// until [`Throttle::passed`] says it was not one.
    pub fn attempt_account(
        &mut self,
        account: Uuid,
        address: &str,
        account_locked: bool,
        limits: &Limits,
        now: i64,
    ) -> bool {
        let blocked = self.blocks(account, address, account_locked, limits, now);
        let pair = (account, address_key(address));
        self.by_account.record(pair, limits.per_account_address, limits.lock_ms, now);
        !blocked
    }

    /// The attempt begun at `now` from `address` for `account` was right (the password, or
    /// the code): it is no failure.
    pub fn passed(&mut self, account: Uuid, address: &str, now: i64) {
        let key = address_key(address);
        self.by_account.unrecord(&(account, key.clone()), now);
        self.by_address.unrecord(&key, now);
    }

    /// Whether `address` may not sign in to `account` now: it has used up its failures
    /// against the account, or the account is locked and it is one of the addresses that
    /// failed against it.
    pub fn blocks(
        &self,
        account: Uuid,
        address: &str,
        account_locked: bool,
        limits: &Limits,
        now: i64,
    ) -> bool {
        let failures = self.by_account.count(&(account, address_key(address)), limits.lock_ms, now);
        failures >= limits.per_account_address || (account_locked && failures > 0)
    }

    /// Forgets `address`'s failures against `account` once a sign-in there is complete (the
    /// address's own failures are kept: signing in to one's own account must not buy more
    /// guesses at others').
    pub fn succeeded(&mut self, account: Uuid, address: &str) {
        self.by_account.forget(&(account, address_key(address)));
    }

    /// Spends one use of a public form that counts every attempt, not only failures (the
    /// objection form of a public notice): false when `address` has used up as many as it
    /// may make sign-in failures in the window.
    pub fn spend(&mut self, form: &str, address: &str, limits: &Limits, now: i64) -> bool {
        self.attempt(&format!("{form}:{}", address_key(address)), limits, now)
    }

    /// How many keys the two maps hold (addresses, address-and-account pairs).
    pub fn tracked(&self) -> (usize, usize) {
        (self.by_address.entries.len(), self.by_account.entries.len())
    }
}

/// The key an address counts under: an IPv6 address's /64 network, anything else as given.
pub(crate) fn address_key(address: &str) -> String {
    match address.parse::<IpAddr>() {
        Ok(IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Ok(IpAddr::V6(v6)) => v6.to_ipv4_mapped().map_or_else(|| address.to_owned(), |v4| v4.to_string()),
        _ => address.to_owned(),
    }
}

/// Timestamps of failures by key, at most `cap` keys, each list at most as long as its
/// limit (more are never needed to tell whether the limit is reached).
#[derive(Debug)]
struct Budgets<K> {
    cap: usize,
    entries: HashMap<K, VecDeque<i64>>,
}

impl<K: Hash + Eq + Clone> Budgets<K> {
    fn new(cap: usize) -> Self {
        Self { cap: cap.max(1), entries: HashMap::new() }
    }

    /// Failures of `key` in the `window_ms` before `now`.
    fn count(&self, key: &K, window_ms: i64, now: i64) -> usize {
        self.entries.get(key).map_or(0, |times| times.iter().filter(|t| now - **t < window_ms).count())
    }

    /// Adds a failure of `key` at `now`, keeping the last `keep` within `window_ms`.
    fn record(&mut self, key: K, keep: usize, window_ms: i64, now: i64) {
        if !self.entries.contains_key(&key) && self.entries.len() >= self.cap {
            self.entries.retain(|_, times| times.back().is_some_and(|t| now - t < window_ms));
            if self.entries.len() >= self.cap {
                self.evict_oldest();
            }
        }
        let times = self.entries.entry(key).or_default();
        times.retain(|t| now - t < window_ms);
        times.push_back(now);
        while times.len() > keep.max(1) {
            times.pop_front();
        }
    }

    /// Drops the key whose last failure is oldest.
    fn evict_oldest(&mut self) {
        let oldest =
            self.entries.iter().min_by_key(|(_, times)| times.back().copied()).map(|(key, _)| key.clone());
        if let Some(key) = oldest {
            self.entries.remove(&key);
        }
    }

    /// Takes back one failure of `key` recorded at `at`.
    fn unrecord(&mut self, key: &K, at: i64) {
        if let Some(times) = self.entries.get_mut(key)
            && let Some(i) = times.iter().rposition(|t| *t == at)
        {
            times.remove(i);
        }
    }

    fn forget(&mut self, key: &K) {
        self.entries.remove(key);
    }
}

/// The [`Throttle`] every request shares (each call is a few map operations under a lock).
#[derive(Debug, Clone, Default)]
pub struct SharedThrottle(Arc<Mutex<Throttle>>);

impl SharedThrottle {
    /// Runs `f` on the throttle. A panic elsewhere while it was held leaves counters that
    /// are still counters, so a poisoned lock is used as it is.
    pub fn with<R>(&self, f: impl FnOnce(&mut Throttle) -> R) -> R {
        let mut throttle = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut throttle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: i64 = 60_000;
    const T0: i64 = 1_800_000_000_000;
    const LIMITS: Limits = Limits { per_address: 20, per_account_address: 5, lock_ms: 30 * MINUTE };

    /// A wrong password (or a name that is no account's) from `address` at `now`.
    fn fail(t: &mut Throttle, account: Option<Uuid>, address: &str, now: i64) {
        assert!(t.attempt(address, &LIMITS, now), "{address} may still try");
        if let Some(account) = account {
            t.attempt_account(account, address, false, &LIMITS, now);
        }
    }

    /// Whether `address` has used up its failures (without spending one).
    fn spent(t: &Throttle, address: &str, now: i64) -> bool {
        t.by_address.count(&address_key(address), ADDRESS_WINDOW_MS, now) >= LIMITS.per_address
    }

    #[test]
    fn an_address_is_refused_after_its_failures_until_they_age() {
        let mut t = Throttle::default();
        for i in 0..19 {
            fail(&mut t, None, "192.0.2.1", T0 + i);
        }
        assert!(!spent(&t, "192.0.2.1", T0 + 19));
        fail(&mut t, None, "192.0.2.1", T0 + 19);
        assert!(spent(&t, "192.0.2.1", T0 + 20));
        assert!(!spent(&t, "192.0.2.2", T0 + 20), "another address is not");
        // The oldest failure leaves the window after 15 minutes: one more try.
        assert!(spent(&t, "192.0.2.1", T0 + 15 * MINUTE - 1));
        assert!(!spent(&t, "192.0.2.1", T0 + 15 * MINUTE));
    }

    #[test]
    fn a_completed_sign_in_forgets_only_the_pair() {
        let (mut t, me) = (Throttle::default(), Uuid::from_u128(1));
        for i in 0..4 {
            fail(&mut t, Some(me), "192.0.2.1", T0 + i);
        }
        t.succeeded(me, "192.0.2.1");
        for i in 0..4 {
            fail(&mut t, Some(me), "192.0.2.1", T0 + 10 + i);
        }
        assert!(!t.blocks(me, "192.0.2.1", false, &LIMITS, T0 + 20), "4 since signing in");
        assert!(!spent(&t, "192.0.2.1", T0 + 20));
        for i in 0..12 {
            fail(&mut t, None, "192.0.2.1", T0 + 30 + i);
        }
        assert!(spent(&t, "192.0.2.1", T0 + 50), "the address keeps all 20 failures");
    }

    #[test]
    fn a_right_password_is_no_failure_yet_attempts_in_flight_count() {
        let (mut t, me) = (Throttle::default(), Uuid::from_u128(1));
        for i in 0..30 {
            assert!(t.attempt("192.0.2.1", &LIMITS, T0 + i), "sign-in {i}");
            assert!(t.attempt_account(me, "192.0.2.1", false, &LIMITS, T0 + i));
            t.passed(me, "192.0.2.1", T0 + i);
        }
        assert!(!spent(&t, "192.0.2.1", T0 + 30));
        assert!(!t.blocks(me, "192.0.2.1", true, &LIMITS, T0 + 30), "no failure against the account");
        // 25 guesses sent at once, none checked yet: 20 begin, and 5 of them against one account.
        let begun = (0..25).filter(|_| t.attempt("192.0.2.9", &LIMITS, T0 + 40)).count();
        assert_eq!(begun, 20);
        let tried = (0..20).filter(|_| t.attempt_account(me, "192.0.2.9", false, &LIMITS, T0 + 40)).count();
        assert_eq!(tried, 5);
    }

    #[test]
    fn an_address_is_kept_from_an_account_after_the_policy_count() {
        let (mut t, x, y) = (Throttle::default(), Uuid::from_u128(1), Uuid::from_u128(2));
        for i in 0..4 {
            fail(&mut t, Some(x), "192.0.2.1", T0 + i);
        }
        assert!(!t.blocks(x, "192.0.2.1", false, &LIMITS, T0 + 4));
        fail(&mut t, Some(x), "192.0.2.1", T0 + 4);
        assert!(t.blocks(x, "192.0.2.1", false, &LIMITS, T0 + 5));
        assert!(!t.blocks(x, "192.0.2.2", false, &LIMITS, T0 + 5), "the account from elsewhere");
        assert!(!t.blocks(y, "192.0.2.1", false, &LIMITS, T0 + 5), "another account from here");
        assert!(t.blocks(x, "192.0.2.1", false, &LIMITS, T0 + 30 * MINUTE - 1));
        assert!(!t.blocks(x, "192.0.2.1", false, &LIMITS, T0 + 30 * MINUTE), "30 minutes on");
    }

    #[test]
    fn a_locked_account_refuses_only_the_addresses_that_failed_against_it() {
        let (mut t, x) = (Throttle::default(), Uuid::from_u128(1));
        fail(&mut t, Some(x), "192.0.2.1", T0);
        assert!(t.blocks(x, "192.0.2.1", true, &LIMITS, T0 + 1), "one failure is enough while locked");
        assert!(!t.blocks(x, "192.0.2.2", true, &LIMITS, T0 + 1), "an address that did not fail may try");
        fail(&mut t, Some(x), "192.0.2.2", T0 + 2);
        assert!(t.blocks(x, "192.0.2.2", true, &LIMITS, T0 + 3), "and fails once");
        assert!(!t.blocks(x, "192.0.2.1", true, &LIMITS, T0 + 30 * MINUTE), "forgotten with the lock");
    }

    #[test]
    fn an_ipv6_client_counts_as_its_network() {
        let mut t = Throttle::default();
        for i in 0..20 {
            fail(&mut t, None, &format!("2001:db8:1:2::{i:x}"), T0 + i);
        }
        assert!(spent(&t, "2001:db8:1:2:ffff::1", T0 + 20));
        assert!(!spent(&t, "2001:db8:1:3::1", T0 + 20));
        assert_eq!(address_key("::ffff:192.0.2.1"), "192.0.2.1");
        assert_eq!(address_key("local"), "local");
    }

    #[test]
    fn the_maps_stay_bounded_and_drop_the_stalest_first() {
        let (mut t, x) = (Throttle::with_cap(3), Uuid::from_u128(1));
        for i in 0..10 {
            fail(&mut t, Some(x), &format!("192.0.2.{i}"), T0 + i);
        }
        assert_eq!(t.tracked(), (3, 3));
        assert!(t.blocks(x, "192.0.2.9", true, &LIMITS, T0 + 10), "the newest is kept");
        assert!(!t.blocks(x, "192.0.2.0", true, &LIMITS, T0 + 10), "the oldest went");
        // Keys whose failures have all aged go before any live one.
        let mut t = Throttle::with_cap(3);
        fail(&mut t, None, "192.0.2.1", T0);
        fail(&mut t, None, "192.0.2.2", T0 + 1);
        fail(&mut t, None, "192.0.2.3", T0 + 20 * MINUTE);
        fail(&mut t, None, "192.0.2.4", T0 + 20 * MINUTE);
        assert_eq!(t.tracked().0, 2, "both aged keys went");
        assert_eq!(t.by_address.count(&"192.0.2.3".to_owned(), ADDRESS_WINDOW_MS, T0 + 20 * MINUTE), 1);
    }

    #[test]
    fn a_public_form_spends_one_use_per_attempt() {
        let mut t = Throttle::default();
        for i in 0..20 {
            assert!(t.spend("objection", "192.0.2.1", &LIMITS, T0 + i));
        }
        assert!(!t.spend("objection", "192.0.2.1", &LIMITS, T0 + 20));
        assert!(!spent(&t, "192.0.2.1", T0 + 20), "sign-in keeps its own budget");
    }

    #[test]
    fn the_shared_throttle_is_one_throttle() {
        let (shared, x) = (SharedThrottle::default(), Uuid::from_u128(1));
        let other = shared.clone();
        shared.with(|t| fail(t, Some(x), "192.0.2.1", T0));
        assert!(other.with(|t| t.blocks(x, "192.0.2.1", true, &LIMITS, T0)));
    }
}
