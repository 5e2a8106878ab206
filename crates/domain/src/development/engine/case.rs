//! What the stages read and write: a [`Case`] is built once per evaluation and holds the
//! dossier's events in force in date order, the first event of each step, the settings, the
//! rule book and today; the stages push their findings and deadlines into it. [`in_force`]
//! sorts the events, on the stack for most dossiers.

use super::checks::Check;
use super::{Deadline, DeadlineKind, Finding, RuleBook};
use crate::development::dev_settings::DevSettings;
use crate::development::dossier::{Dossier, Event, Key, Kind};
use crate::development::rules::{Version, rule_by_id};
use jiff::civil::Date;

/// `d` plus `m` calendar months.
#[inline]
pub(super) fn plus_months(d: Date, m: i64) -> Date {
    crate::development::periods::add_months(d, m)
}

/// Dossiers with no more events than this, and no corrections, are sorted on the stack.
const ON_STACK: usize = 48;

/// Calls `walk` with the dossier's events in force, in date order (stable: same-day events
/// keep their order). Most dossiers have no corrections and fit on the stack, which spares an
/// allocation; the buffer lives in this frame, so it is never moved.
pub(super) fn in_force<R>(dossier: &Dossier, walk: impl FnOnce(&[&Event]) -> R) -> R {
    match dossier.events.first() {
        Some(head)
            if dossier.events.len() <= ON_STACK && dossier.events.iter().all(|e| e.corrects.is_none()) =>
        {
            let mut stack = [head; ON_STACK];
            for (slot, e) in stack.iter_mut().zip(&dossier.events) {
                *slot = e;
            }
            let ev = &mut stack[..dossier.events.len()];
            by_date(ev);
            walk(ev)
        }
        _ => {
            let mut heap = dossier.effective();
            by_date(&mut heap);
            walk(&heap)
        }
    }
}

/// Insertion sort: stable, and linear for the nearly sorted lists dossiers are.
fn by_date(ev: &mut [&Event]) {
    for i in 1..ev.len() {
        let mut j = i;
        while j > 0 && ev[j - 1].on > ev[j].on {
            ev.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// One dossier as the stages walk it, and what they found.
pub(super) struct Case<'a> {
    pub(super) book: &'a RuleBook,
    pub(super) dossier: &'a Dossier,
    pub(super) settings: &'a DevSettings,
    pub(super) today: Date,
    /// The events in force, in date order.
    pub(super) ev: &'a [&'a Event],
    /// The first event of each step.
    first: [Option<&'a Event>; 26],
    /// Steps done (bit `n` for step `n`).
    pub(super) done: u32,
    /// Steps recorded more than once (bit `n` for step `n`): the checks that look at every
    /// event of a step scan only for these.
    pub(super) repeated: u32,
    /// Whether a correction is in force (most dossiers have none).
    pub(super) any_correction: bool,
    /// Whether any event of these kinds is in force: most dossiers have none, and the checks
    /// that look for them skip their scans.
    pub(super) any_return: bool,
    pub(super) any_transfer: bool,
    pub(super) any_objection: bool,
    pub(super) any_notice: bool,
    pub(super) findings: Vec<Finding>,
    pub(super) deadlines: Vec<Deadline>,
}

// The stages are other modules, which may be other codegen units: `#[inline]` lets these small
// helpers inline into them, as they did when the engine was one function (the throughput goal
// is a million dossiers a second on one core).
impl<'a> Case<'a> {
    /// Indexes the events `ev` (in force, in date order) of `dossier`.
    #[inline]
    pub(super) fn new(
        book: &'a RuleBook,
        dossier: &'a Dossier,
        settings: &'a DevSettings,
        today: Date,
        ev: &'a [&'a Event],
    ) -> Self {
        let mut c = Case {
            book,
            dossier,
            settings,
            today,
            ev,
            first: [None; 26],
            done: 0,
            repeated: 0,
            any_correction: false,
            any_return: false,
            any_transfer: false,
            any_objection: false,
            any_notice: false,
            findings: Vec::new(),
            deadlines: Vec::new(),
        };
        for e in ev {
            c.any_correction |= e.corrects.is_some();
            match e.kind {
                Kind::Step(n) => {
                    c.first[usize::from(n)].get_or_insert(e);
                    c.repeated |= c.done & (1 << n);
                    c.done |= 1 << n;
                }
                Kind::FilingReturn => c.any_return = true,
                Kind::Transfer => c.any_transfer = true,
                Kind::Objection => c.any_objection = true,
                Kind::PublicNotice => c.any_notice = true,
                _ => {}
            }
        }
        c
    }

    /// The first event of step `n`.
    #[inline]
    pub(super) fn at(&self, n: u8) -> Option<&'a Event> {
        self.first[usize::from(n)]
    }

    /// Whether the filing with sequence number `filing` was sent back.
    #[inline]
    fn returned(&self, filing: u32) -> bool {
        self.any_return
            && self.ev.iter().any(|e| e.kind == Kind::FilingReturn && e.int(Key::Filing) == i64::from(filing))
    }

    /// Whether filing step `n` was done and not every filing of it sent back.
    #[inline]
    pub(super) fn filed(&self, n: u8) -> bool {
        self.done & (1 << n) != 0 && self.ev.iter().any(|e| e.is_step(n) && !self.returned(e.seq))
    }

    /// Records a finding about an act on `day` if its rule applies in the set in force then.
    pub(super) fn find(&mut self, check: &'static Check, day: Date, event: Option<u32>) {
        let version = self.book.version_on(day, self.settings);
        if check.only_2026 && !(version == Version::V2026 && self.settings.apply_2026_unconfirmed) {
            return;
        }
        if let Some(rule) = rule_by_id(check.rule)
            && !rule.applies(version)
        {
            return;
        }
        // One finding per check and event, however many paths lead to it.
        if !self.findings.iter().any(|f| std::ptr::eq(f.check, check) && f.event == event) {
            self.findings.push(Finding { check, version, event });
        }
    }

    /// Step `step` is due by `due` (overdue once today is past it).
    #[inline]
    pub(super) fn due(&mut self, step: u8, rule: &'static str, due: Date) {
        let overdue = self.today > due;
        self.deadlines.push(Deadline { step, rule, due, kind: DeadlineKind::Due, overdue });
    }

    /// Step `step` may not be taken before `day`.
    #[inline]
    pub(super) fn not_before(&mut self, step: u8, rule: &'static str, day: Date) {
        self.deadlines.push(Deadline { step, rule, due: day, kind: DeadlineKind::NotBefore, overdue: false });
    }
}
