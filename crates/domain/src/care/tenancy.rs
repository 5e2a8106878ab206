//! Whose credit rules apply: each organisation may set its own, narrowing (never widening)
//! what the organisations above it allow; a member earns under the narrowest of the rules
//! set on the way from the deployment's root down to their own organisation.

use super::ledger::{CreditRules, EarnRule, Source};
use crate::{Reason, ValidationErrors};

/// The tighter of two caps, where 0 means no cap.
fn tighter_cap(a: i64, b: i64) -> i64 {
    match (a, b) {
        (0, x) | (x, 0) => x,
        (x, y) => x.min(y),
    }
}

fn narrower(a: EarnRule, b: EarnRule) -> EarnRule {
    EarnRule {
        source: a.source,
        amount: a.amount.min(b.amount),
        daily_cap: tighter_cap(a.daily_cap, b.daily_cap),
        weekly_cap: tighter_cap(a.weekly_cap, b.weekly_cap),
    }
}

impl CreditRules {
    /// Source by source, the smaller amount and the tighter caps of the two.
    pub fn narrowed_by(&self, other: &CreditRules) -> CreditRules {
        CreditRules {
            study: narrower(self.study, other.study),
            quiz: narrower(self.quiz, other.quiz),
            meeting: narrower(self.meeting, other.meeting),
            volunteer: narrower(self.volunteer, other.volunteer),
        }
    }

    /// Refuses, field by field, every value wider than `ceiling` (what the organisations
    /// above allow): a larger amount, a larger cap, or no cap where a cap is set above.
    pub fn check_within(&self, ceiling: &CreditRules) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        for source in Source::ALL {
            let (mine, above) = (self.rule(source), ceiling.rule(source));
            let [a, d, w] = CreditRules::fields(source);
            if mine.amount > above.amount {
                e.push(a, Reason::WiderThanAbove { limit: above.amount });
            }
            for (field, cap, limit) in
                [(d, mine.daily_cap, above.daily_cap), (w, mine.weekly_cap, above.weekly_cap)]
            {
                if tighter_cap(cap, limit) != cap {
                    e.push(field, Reason::WiderThanAbove { limit });
                }
            }
        }
        e.into_result()
    }
}

/// The rules in force at an organisation: the root organisation's rules (the deployment's
/// defaults, built-in until the committee sets them) narrowed by the own rules of every
/// organisation below it on the way down (`lower`, in any order: narrowing commutes).
pub fn effective<'a>(
    root: Option<&CreditRules>,
    lower: impl IntoIterator<Item = &'a CreditRules>,
) -> CreditRules {
    let start = root.copied().unwrap_or_default();
    lower.into_iter().fold(start, |acc, r| acc.narrowed_by(r))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(amount: i64, daily: i64, weekly: i64) -> CreditRules {
        let r = |source| EarnRule { source, amount, daily_cap: daily, weekly_cap: weekly };
        CreditRules {
            study: r(Source::Study),
            quiz: r(Source::Quiz),
            meeting: r(Source::Meeting),
            volunteer: r(Source::Volunteer),
        }
    }

    #[test]
    fn a_narrower_setting_is_accepted_and_a_wider_one_named_field_by_field() {
        let above = rules(10, 20, 0);
        assert!(rules(5, 20, 50).check_within(&above).is_ok());
        assert!(rules(10, 1, 1).check_within(&above).is_ok());
        let e = rules(999, 0, 0).check_within(&above).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field).collect();
        // Every amount is too large and every daily cap is removed; the weekly caps stay open
        // as above.
        assert_eq!(fields.len(), 8, "{fields:?}");
        assert!(fields.contains(&"quiz_amount") && fields.contains(&"volunteer_daily_cap"));
        assert!(!fields.iter().any(|f| f.ends_with("weekly_cap")));
        assert_eq!(e.0[0].reason, Reason::WiderThanAbove { limit: 10 });
        assert_eq!(rules(10, 21, 0).check_within(&above).unwrap_err().0.len(), 4);
    }

    #[test]
    fn the_rules_in_force_are_the_narrowest_on_the_way_down() {
        let root = rules(8, 0, 40);
        let (enterprise, branch) = (rules(20, 10, 0), rules(6, 12, 0));
        let got = effective(Some(&root), [&enterprise, &branch]);
        assert_eq!(got.quiz, EarnRule { source: Source::Quiz, amount: 6, daily_cap: 10, weekly_cap: 40 });
        assert_eq!(effective(Some(&root), [&branch, &enterprise]), got);
        // The committee's own rules replace the built-in defaults (they may be wider).
        assert_eq!(effective(Some(&rules(50, 0, 0)), []).quiz.amount, 50);
        // Without them, the built-in defaults are the ceiling.
        let no_root = effective(None, [&enterprise]);
        assert_eq!(
            no_root.study,
            EarnRule { source: Source::Study, amount: 2, daily_cap: 6, weekly_cap: 20 }
        );
        assert_eq!(effective(None, []), CreditRules::default());
    }
}
