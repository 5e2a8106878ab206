//! Refusals journaled without flooding: which scope refusals reach the journal at once and
//! which are only counted. Reach for [`Refusals`] (pure: every call is given the time, in
//! milliseconds) behind [`SharedRefusals`]; [`crate::AppState::authorize`] asks it before
//! it writes an `access_denied` entry.
//!
//! A refusal is keyed by the account, the method and route (`GET /orgs/{id}`) and the
//! permission refused ([`Key`]); the target is not part of the key, as the entry does not
//! name it either. Refusals today are all of signed-in accounts: an anonymous request is
//! sent to sign in before any scope is checked.
//!
//! - The first refusal of a key is journaled at once, so an auditor sees it the moment it
//!   happens, with `repeated: 0`.
//! - Further refusals of that key within a minute of its last entry are only counted.
//! - The first refusal of the key a minute or more after its last entry is journaled again,
//!   with `repeated: N`: the refusals folded since the previous entry. So a client refused
//!   in a loop writes at most one entry a minute per key, and the entries' `1 + repeated`
//!   add up to every refusal of the key that a later entry reached.
//!
//! A folded count waits in memory for its key's next refusal; there is no timer. If none
//! comes, the count is lost when the key is dropped (a full map, below) or at a restart;
//! the first refusal of that minute is in the journal all the same.
//!
//! The map holds at most [`Refusals::DEFAULT_CAP`] keys: a new key in a full map first drops
//! the keys whose minute has ended with nothing folded (they carry nothing), then the key
//! refused least recently. A clock set back journals the next refusal and starts the key's
//! minute again from there.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use uuid::Uuid;

/// How long after a key's entry its further refusals are folded: one minute.
pub const FOLD_MS: i64 = 60_000;

/// What makes two refusals the same refusal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    /// The account refused.
    pub account: Uuid,
    /// The method and route (`Act::action`).
    pub action: String,
    /// The permission it lacked there.
    pub permission: String,
}

/// One key's last entry and what was folded since.
#[derive(Debug, Clone, Copy)]
struct Tally {
    /// When the key's last entry was written (ms).
    journaled_at: i64,
    /// Refusals counted, not journaled, since then.
    folded: u64,
    /// The key's latest refusal (ms), to find the stalest key.
    last_seen: i64,
}

/// Refusals by key since their last journal entry.
#[derive(Debug)]
pub struct Refusals {
    keys: HashMap<Key, Tally>,
    cap: usize,
}

impl Default for Refusals {
    fn default() -> Self {
        Self::with_cap(Self::DEFAULT_CAP)
    }
}

impl Refusals {
    /// Keys held at most.
    pub const DEFAULT_CAP: usize = 10_000;

    /// A map of at most `cap` keys (at least one).
    pub fn with_cap(cap: usize) -> Self {
        Self { keys: HashMap::new(), cap: cap.max(1) }
    }

    /// Counts one refusal of `key` at `now` (ms): `Some(repeated)` when it is to be
    /// journaled, `repeated` being the refusals of the key folded since its previous entry;
    /// `None` when it is folded into the next entry.
    pub fn refuse(&mut self, key: Key, now: i64) -> Option<u64> {
        if let Some(t) = self.keys.get_mut(&key) {
            t.last_seen = t.last_seen.max(now);
            if now >= t.journaled_at && now - t.journaled_at < FOLD_MS {
                t.folded += 1;
                return None;
            }
            let repeated = t.folded;
            t.folded = 0;
            t.journaled_at = now;
            return Some(repeated);
        }
        if self.keys.len() >= self.cap {
            self.make_room(now);
        }
        self.keys.insert(key, Tally { journaled_at: now, folded: 0, last_seen: now });
        Some(0)
    }

    /// Keys held.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether no key is held.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Drops the keys that carry nothing, then, if still full, the stalest key.
    fn make_room(&mut self, now: i64) {
        self.keys.retain(|_, t| t.folded > 0 || (now >= t.journaled_at && now - t.journaled_at < FOLD_MS));
        if self.keys.len() >= self.cap {
            let stalest = self.keys.iter().min_by_key(|(_, t)| t.last_seen).map(|(k, _)| k.clone());
            if let Some(k) = stalest {
                self.keys.remove(&k);
            }
        }
    }
}

/// The [`Refusals`] every request shares (one map operation under a lock).
#[derive(Debug, Clone, Default)]
pub struct SharedRefusals(Arc<Mutex<Refusals>>);

impl SharedRefusals {
    /// [`Refusals::refuse`] on the shared map. A panic elsewhere while it was held leaves
    /// counts that are still counts, so a poisoned lock is used as it is.
    pub fn refuse(&self, key: Key, now: i64) -> Option<u64> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).refuse(key, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_800_000_000_000;

    fn key(account: u128, action: &str) -> Key {
        Key {
            account: Uuid::from_u128(account),
            action: action.to_owned(),
            permission: "ReadPeople".to_owned(),
        }
    }

    #[test]
    fn the_first_refusal_is_journaled_and_the_rest_of_the_minute_folded() {
        let mut r = Refusals::default();
        let k = key(1, "GET /orgs/{id}");
        assert_eq!(r.refuse(k.clone(), T0), Some(0), "the first at once");
        for i in 1..50 {
            assert_eq!(r.refuse(k.clone(), T0 + i * 1_000), None, "refusal {i} is folded");
        }
        // Another route, another account: their own first entries.
        assert_eq!(r.refuse(key(1, "GET /people/{id}"), T0 + 1), Some(0));
        assert_eq!(r.refuse(key(2, "GET /orgs/{id}"), T0 + 1), Some(0));
        // Still within the minute of the entry, though a refusal came a second ago.
        assert_eq!(r.refuse(k.clone(), T0 + FOLD_MS - 1), None);
        // A minute after the entry: journaled with the 50 folded since.
        assert_eq!(r.refuse(k.clone(), T0 + FOLD_MS), Some(50));
        assert_eq!(r.refuse(k.clone(), T0 + FOLD_MS + 1), None);
        // A quiet hour, then one refusal: it carries the one folded before the quiet.
        assert_eq!(r.refuse(k.clone(), T0 + 61 * FOLD_MS), Some(1));
        assert_eq!(r.refuse(k, T0 + 62 * FOLD_MS), Some(0), "nothing folded since");
    }

    #[test]
    fn a_clock_set_back_journals_and_starts_the_minute_again() {
        let mut r = Refusals::default();
        let k = key(1, "GET /orgs/{id}");
        assert_eq!(r.refuse(k.clone(), T0), Some(0));
        assert_eq!(r.refuse(k.clone(), T0 + 1), None);
        assert_eq!(r.refuse(k.clone(), T0 - 10 * FOLD_MS), Some(1));
        assert_eq!(r.refuse(k, T0 - 10 * FOLD_MS + 1), None);
    }

    #[test]
    fn a_full_map_drops_keys_that_carry_nothing_then_the_stalest() {
        let mut r = Refusals::with_cap(3);
        assert_eq!(r.refuse(key(1, "a"), T0), Some(0));
        assert_eq!(r.refuse(key(1, "a"), T0 + 1), None, "key 1 carries one folded refusal");
        assert_eq!(r.refuse(key(2, "a"), T0 + 2), Some(0));
        assert_eq!(r.refuse(key(3, "a"), T0 + 3), Some(0));
        // Within the minute every key is live: the stalest (key 1, seen at T0 + 1) goes.
        assert_eq!(r.refuse(key(4, "a"), T0 + 4), Some(0));
        assert_eq!(r.len(), 3);
        assert_eq!(r.refuse(key(1, "a"), T0 + 5), Some(0), "key 1 was dropped, its count with it");
        // Key 1 is back (dropping key 2, now the stalest). After the minute, keys 3 and 4
        // carry nothing and go; key 1 carries a folded refusal and stays.
        assert_eq!(r.refuse(key(1, "a"), T0 + 6), None);
        assert_eq!(r.refuse(key(5, "a"), T0 + 2 * FOLD_MS), Some(0));
        assert_eq!(r.len(), 2);
        assert_eq!(r.refuse(key(1, "a"), T0 + 2 * FOLD_MS + 1), Some(1));
    }

    #[test]
    fn the_map_never_holds_more_than_its_cap() {
        let mut r = Refusals::with_cap(100);
        for i in 0..1_000u128 {
            let at = T0 + i64::try_from(i).unwrap();
            assert_eq!(r.refuse(key(i, "a"), at), Some(0));
            assert_eq!(r.refuse(key(i, "a"), at), None);
            assert!(r.len() <= 100);
        }
    }

    #[test]
    fn the_shared_map_is_one_map() {
        let (shared, k) = (SharedRefusals::default(), key(1, "a"));
        assert_eq!(shared.clone().refuse(k.clone(), T0), Some(0));
        assert_eq!(shared.refuse(k, T0 + 1), None);
    }
}
