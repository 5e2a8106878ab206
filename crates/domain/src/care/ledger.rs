//! 学分 (credits): an append-only ledger per member. Every entry carries an idempotency
//! key, so a replayed request changes nothing; a balance is the sum of the entries and can
//! never go below zero; a reversal is a new entry that cancels an earlier one; earning is
//! held to daily and weekly caps per source (`CreditRules`, a setting per deployment). The
//! store applies the same checks inside one transaction per member.

use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Where credits come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A completed study item.
    Study,
    /// A weekly quiz.
    Quiz,
    /// Attending a meeting.
    Meeting,
    /// Volunteer service.
    Volunteer,
}

/// What an entry records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum What {
    /// Credits earned.
    Earn {
        /// From what.
        source: Source,
    },
    /// Credits spent on a care benefit.
    Redeem {
        /// The benefit's code.
        benefit: String,
    },
    /// Cancels the entry with this key.
    Reversal {
        /// The key of the entry reversed.
        of: String,
    },
}

/// One entry: immutable once written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Idempotency key (unique per member).
    pub key: String,
    /// Signed amount: positive earns, negative spends.
    pub amount: i64,
    /// What it records.
    pub what: What,
    /// The day.
    pub on: Date,
}

/// How much a source earns and its caps (0 = no cap).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarnRule {
    /// The source.
    pub source: Source,
    /// Credits per event.
    pub amount: i64,
    /// Most credits from this source a day.
    pub daily_cap: i64,
    /// Most credits from this source a week (Monday to Sunday).
    pub weekly_cap: i64,
}

/// The earning rules of a deployment: one per source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditRules {
    /// A completed course.
    pub study: EarnRule,
    /// A submitted weekly quiz.
    pub quiz: EarnRule,
    /// Attending a meeting (present or online).
    pub meeting: EarnRule,
    /// Volunteer service, credited by an organisation admin.
    pub volunteer: EarnRule,
}

impl Default for CreditRules {
    fn default() -> Self {
        let r = |source, amount, daily_cap, weekly_cap| EarnRule { source, amount, daily_cap, weekly_cap };
        Self {
            study: r(Source::Study, 2, 6, 20),
            quiz: r(Source::Quiz, 10, 0, 10),
            meeting: r(Source::Meeting, 5, 10, 0),
            volunteer: r(Source::Volunteer, 10, 20, 0),
        }
    }
}

impl Source {
    /// Every source.
    pub const ALL: [Source; 4] = [Source::Study, Source::Quiz, Source::Meeting, Source::Volunteer];

    /// The code used in forms and storage.
    pub fn code(self) -> &'static str {
        match self {
            Source::Study => "study",
            Source::Quiz => "quiz",
            Source::Meeting => "meeting",
            Source::Volunteer => "volunteer",
        }
    }

    /// Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            Source::Study => "学习",
            Source::Quiz => "每周小测试",
            Source::Meeting => "参加组织生活",
            Source::Volunteer => "志愿服务",
        }
    }

    /// English name.
    pub fn en(self) -> &'static str {
        match self {
            Source::Study => "study",
            Source::Quiz => "weekly quiz",
            Source::Meeting => "meeting",
            Source::Volunteer => "volunteer service",
        }
    }
}

/// The form fields of a source's amount and caps.
fn rule_fields(source: Source) -> [&'static str; 3] {
    match source {
        Source::Study => ["study_amount", "study_daily_cap", "study_weekly_cap"],
        Source::Quiz => ["quiz_amount", "quiz_daily_cap", "quiz_weekly_cap"],
        Source::Meeting => ["meeting_amount", "meeting_daily_cap", "meeting_weekly_cap"],
        Source::Volunteer => ["volunteer_amount", "volunteer_daily_cap", "volunteer_weekly_cap"],
    }
}

impl CreditRules {
    /// The rule for a source.
    pub fn rule(&self, source: Source) -> EarnRule {
        match source {
            Source::Study => self.study,
            Source::Quiz => self.quiz,
            Source::Meeting => self.meeting,
            Source::Volunteer => self.volunteer,
        }
    }

    /// The form fields of a source: amount, daily cap, weekly cap.
    pub fn fields(source: Source) -> [&'static str; 3] {
        rule_fields(source)
    }

    /// From a form: `<source>_amount` 1…1000, `<source>_daily_cap` and `_weekly_cap`
    /// 0…100000 (0: no cap); every refusal is reported.
    pub fn from_form(form: &[(String, String)]) -> Result<Self, crate::ValidationErrors> {
        let mut e = crate::ValidationErrors::default();
        let mut out = CreditRules::default();
        for source in Source::ALL {
            let [a, d, w] = rule_fields(source);
            let mut num = |field: &'static str, min: i64, max: i64| {
                let v = form.iter().find(|(k, _)| k == field).map_or("", |(_, v)| v.trim());
                match v.parse::<i64>() {
                    Ok(n) if (min..=max).contains(&n) => n,
                    _ => {
                        e.push(field, crate::Reason::NumberOutOfRange { min, max });
                        0
                    }
                }
            };
            let rule = EarnRule {
                source,
                amount: num(a, 1, 1000),
                daily_cap: num(d, 0, 100_000),
                weekly_cap: num(w, 0, 100_000),
            };
            match source {
                Source::Study => out.study = rule,
                Source::Quiz => out.quiz = rule,
                Source::Meeting => out.meeting = rule,
                Source::Volunteer => out.volunteer = rule,
            }
        }
        e.into_result()?;
        Ok(out)
    }
}

/// Why a request was refused (nothing written).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    /// The amount must be positive.
    #[error("the amount must be positive")]
    NotPositive,
    /// Spending more than the balance.
    #[error("balance {balance} is less than {needed}")]
    Insufficient {
        /// The balance now.
        balance: i64,
        /// What the request needs.
        needed: i64,
    },
    /// The cap of the source is reached.
    #[error("cap reached")]
    CapReached,
    /// Reversing an entry that does not exist, is a reversal, or is reversed already.
    #[error("nothing to reverse")]
    NotReversible,
    /// The same key was used for a different request.
    #[error("the key was used for another request")]
    KeyReused,
}

/// What applying a request did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// A new entry was written.
    New(Entry),
    /// The same request was seen before: nothing was written.
    Replayed(Entry),
}

/// A member's ledger.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    entries: Vec<Entry>,
}

fn week_start(d: Date) -> Date {
    let back = i64::from(d.weekday().to_monday_zero_offset());
    d.checked_sub(back.days()).unwrap_or(d)
}

impl Ledger {
    /// A ledger from stored entries.
    pub fn from_entries(entries: Vec<Entry>) -> Self {
        Self { entries }
    }

    /// The entries, oldest first.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The balance: the sum of the entries.
    pub fn balance(&self) -> i64 {
        self.entries.iter().map(|e| e.amount).sum()
    }

    fn find(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    /// A replay answers with the entry already written; the same key for another request
    /// is refused.
    fn replay(&self, key: &str, what: &What) -> Result<Option<Applied>, LedgerError> {
        match self.find(key) {
            Some(e) if &e.what == what => Ok(Some(Applied::Replayed(e.clone()))),
            Some(_) => Err(LedgerError::KeyReused),
            None => Ok(None),
        }
    }

    /// Net credits earned from `source` in `[from, to]`, reversals included.
    fn earned(&self, source: Source, from: Date, to: Date) -> i64 {
        self.entries
            .iter()
            .filter(|e| e.on >= from && e.on <= to)
            .filter(|e| matches!(e.what, What::Earn { source: s } if s == source))
            .filter(|e| !self.reversed(&e.key))
            .map(|e| e.amount)
            .sum()
    }

    fn reversed(&self, key: &str) -> bool {
        self.entries.iter().any(|e| matches!(&e.what, What::Reversal { of } if of == key))
    }

    /// Earns under `rule` on `on`, cut to what the caps leave (refused when nothing is left).
    pub fn earn(&mut self, key: &str, rule: &EarnRule, on: Date) -> Result<Applied, LedgerError> {
        let what = What::Earn { source: rule.source };
        if let Some(a) = self.replay(key, &what)? {
            return Ok(a);
        }
        if rule.amount <= 0 {
            return Err(LedgerError::NotPositive);
        }
        let mut amount = rule.amount;
        if rule.daily_cap > 0 {
            amount = amount.min(rule.daily_cap - self.earned(rule.source, on, on));
        }
        if rule.weekly_cap > 0 {
            let start = week_start(on);
            let end = start.checked_add(6.days()).unwrap_or(on);
            amount = amount.min(rule.weekly_cap - self.earned(rule.source, start, end));
        }
        if amount <= 0 {
            return Err(LedgerError::CapReached);
        }
        let e = Entry { key: key.to_owned(), amount, what, on };
        self.entries.push(e.clone());
        Ok(Applied::New(e))
    }

    /// Spends `cost` on a benefit; refused beyond the balance.
    pub fn redeem(&mut self, key: &str, benefit: &str, cost: i64, on: Date) -> Result<Applied, LedgerError> {
        let what = What::Redeem { benefit: benefit.to_owned() };
        if let Some(a) = self.replay(key, &what)? {
            return Ok(a);
        }
        if cost <= 0 {
            return Err(LedgerError::NotPositive);
        }
        let balance = self.balance();
        if balance < cost {
            return Err(LedgerError::Insufficient { balance, needed: cost });
        }
        let e = Entry { key: key.to_owned(), amount: -cost, what, on };
        self.entries.push(e.clone());
        Ok(Applied::New(e))
    }

    /// Reverses an entry with a new one of the opposite amount; refused when reversing an
    /// earning would take the balance below zero.
    pub fn reverse(&mut self, key: &str, of: &str, on: Date) -> Result<Applied, LedgerError> {
        let what = What::Reversal { of: of.to_owned() };
        if let Some(a) = self.replay(key, &what)? {
            return Ok(a);
        }
        let target = self.find(of).ok_or(LedgerError::NotReversible)?;
        if matches!(target.what, What::Reversal { .. }) || self.reversed(of) {
            return Err(LedgerError::NotReversible);
        }
        let amount = -target.amount;
        let balance = self.balance();
        if balance + amount < 0 {
            return Err(LedgerError::Insufficient { balance, needed: -amount });
        }
        let e = Entry { key: key.to_owned(), amount, what, on };
        self.entries.push(e.clone());
        Ok(Applied::New(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const QUIZ: EarnRule = EarnRule { source: Source::Quiz, amount: 10, daily_cap: 15, weekly_cap: 40 };

    fn d(day: i8) -> Date {
        Date::constant(2026, 11, day)
    }

    #[test]
    fn caps_cut_and_then_refuse() {
        let mut l = Ledger::default();
        assert!(matches!(l.earn("a", &QUIZ, d(23)), Ok(Applied::New(e)) if e.amount == 10));
        assert!(
            matches!(l.earn("b", &QUIZ, d(23)), Ok(Applied::New(e)) if e.amount == 5),
            "the daily cap cuts"
        );
        assert_eq!(l.earn("c", &QUIZ, d(23)), Err(LedgerError::CapReached));
        l.earn("d", &QUIZ, d(24)).unwrap();
        l.earn("e", &QUIZ, d(25)).unwrap();
        assert!(
            matches!(l.earn("f", &QUIZ, d(26)), Ok(Applied::New(e)) if e.amount == 5),
            "the weekly cap cuts"
        );
        assert_eq!(l.earn("g", &QUIZ, d(29)), Err(LedgerError::CapReached), "Sunday is the same week");
        assert!(l.earn("h", &QUIZ, d(30)).is_ok(), "a new week on Monday");
        assert_eq!(l.balance(), 50);
    }

    #[test]
    fn replays_change_nothing_and_a_reused_key_is_refused() {
        let mut l = Ledger::default();
        l.earn("k1", &QUIZ, d(23)).unwrap();
        assert!(matches!(l.earn("k1", &QUIZ, d(23)), Ok(Applied::Replayed(_))));
        assert_eq!(l.redeem("k1", "insurance", 5, d(23)), Err(LedgerError::KeyReused));
        assert_eq!(l.entries().len(), 1);
        assert_eq!(
            l.redeem("r1", "insurance", 11, d(23)),
            Err(LedgerError::Insufficient { balance: 10, needed: 11 })
        );
        l.redeem("r1", "insurance", 10, d(23)).unwrap();
        assert_eq!(l.balance(), 0);
        assert_eq!(l.reverse("x1", "k1", d(24)), Err(LedgerError::Insufficient { balance: 0, needed: 10 }));
        l.reverse("x2", "r1", d(24)).unwrap();
        assert_eq!(l.reverse("x3", "r1", d(24)), Err(LedgerError::NotReversible), "once only");
        assert_eq!(l.balance(), 10);
    }

    #[derive(Debug, Clone)]
    enum Op {
        Earn(u8, i8),
        Redeem(u8, i64),
        Reverse(u8, u8),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0u8..30, 1i8..30).prop_map(|(k, day)| Op::Earn(k, day)),
            (0u8..30, 1i64..30).prop_map(|(k, c)| Op::Redeem(k, c)),
            (0u8..30, 0u8..30).prop_map(|(k, of)| Op::Reverse(k, of)),
        ]
    }

    proptest! {
        #[test]
        fn the_balance_is_the_sum_never_negative_and_replays_change_nothing(ops in proptest::collection::vec(op(), 0..80)) {
            let mut l = Ledger::default();
            for o in &ops {
                let before = l.clone();
                let result = match o {
                    Op::Earn(k, day) => l.earn(&format!("k{k}"), &QUIZ, d(*day)),
                    Op::Redeem(k, c) => l.redeem(&format!("k{k}"), "pack", *c, d(28)),
                    Op::Reverse(k, of) => l.reverse(&format!("k{k}"), &format!("k{of}"), d(28)),
                };
                match result {
                    Ok(Applied::New(_)) => prop_assert_eq!(l.entries().len(), before.entries().len() + 1),
                    Ok(Applied::Replayed(_)) | Err(_) => prop_assert_eq!(&l, &before),
                }
                prop_assert!(l.balance() >= 0);
                prop_assert_eq!(l.balance(), l.entries().iter().map(|e| e.amount).sum::<i64>());
                let keys: std::collections::HashSet<_> = l.entries().iter().map(|e| &e.key).collect();
                prop_assert_eq!(keys.len(), l.entries().len());
            }
        }
    }

    #[test]
    fn credit_rules_come_from_a_form_with_every_bad_number_named() {
        let d = CreditRules::default();
        let mut form: Vec<(String, String)> = Vec::new();
        for source in Source::ALL {
            let r = d.rule(source);
            let [a, dc, w] = CreditRules::fields(source);
            form.push((a.into(), r.amount.to_string()));
            form.push((dc.into(), r.daily_cap.to_string()));
            form.push((w.into(), r.weekly_cap.to_string()));
        }
        assert_eq!(CreditRules::from_form(&form).unwrap(), d);
        form[0].1 = "0".into();
        form[5].1 = "lots".into();
        let e = CreditRules::from_form(&form).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field).collect();
        assert_eq!(fields, vec!["study_amount", "quiz_weekly_cap"]);
    }
}
