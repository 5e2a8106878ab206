//! The signs only many dossiers together show, as the screening finds them (status T, never a
//! refusal): admissions of one branch bunched at one meeting or within a short span for the
//! branch's size (AUD-28, 突击发展), and the same assessment written word for word in different
//! dossiers (AUD-27). Pure: the caller gathers the facts while screening.

use crate::development::dev_settings::DevSettings;
use crate::development::dossier::{Dossier, Key, Value, step};
use crate::development::engine::{Check, Evaluation, RUSHED_BATCH, SAME_TEXT};
use crate::development::procedure::Stage;
use jiff::civil::Date;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use uuid::Uuid;

/// One admission meeting of a dossier: the case (an index of the caller's), the branch that
/// held it and the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Admission {
    /// The case.
    pub case: usize,
    /// The branch that held the meeting.
    pub branch: Uuid,
    /// The meeting's day.
    pub on: Date,
}

/// The cases admitted in a rushed batch: within a branch, at least
/// [`DevSettings::rushed_batch_min`] admissions whose meetings fall within
/// [`DevSettings::rushed_span_days`] of each other (0: the same day), and at least
/// [`DevSettings::rushed_batch_percent`] of the branch's `members`. Each case once, with the
/// day of its meeting.
pub fn rushed(
    mut admissions: Vec<Admission>,
    members: impl Fn(Uuid) -> u32,
    settings: impl Fn(Uuid) -> DevSettings,
) -> Vec<(usize, Date)> {
    admissions.sort_by_key(|a| (a.branch, a.on, a.case));
    let mut flagged = vec![false; admissions.len()];
    let mut first = 0;
    while first < admissions.len() {
        // The branch's admissions are admissions[first..end], by date.
        let branch = admissions[first].branch;
        let end = first + admissions[first..].iter().take_while(|a| a.branch == branch).count();
        let s = settings(branch);
        let size = u64::from(members(branch).max(1));
        let span = i64::from(s.rushed_span_days);
        let mut lo = first;
        for hi in first..end {
            while (admissions[hi].on - admissions[lo].on).get_days() as i64 > span {
                lo += 1;
            }
            let count = (hi - lo + 1) as u64;
            if count >= u64::from(s.rushed_batch_min)
                && count * 100 >= u64::from(s.rushed_batch_percent) * size
            {
                flagged[lo..=hi].fill(true);
            }
        }
        first = end;
    }
    admissions.iter().zip(flagged).filter(|(_, f)| *f).map(|(a, _)| (a.case, a.on)).collect()
}

/// The fingerprint of a free text compared across dossiers: its characters without white
/// space, when at least `min_chars` of them remain (0: none is compared).
pub fn text_print(text: &str, min_chars: u32) -> Option<u64> {
    if min_chars == 0 {
        return None;
    }
    // Most assessments are a few words: count before hashing anything.
    let min = usize::try_from(min_chars).unwrap_or(usize::MAX);
    if text.len() < min || text.chars().filter(|c| !c.is_whitespace()).count() < min {
        return None;
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        c.hash(&mut h);
    }
    Some(h.finish())
}

/// The cases sharing a fingerprint with another case: `(fingerprint, case)` pairs in, each case
/// with a text another dossier also has out (once each).
pub fn same_text(mut prints: Vec<(u64, usize)>) -> Vec<usize> {
    prints.sort_unstable();
    prints.dedup();
    let mut out: HashMap<usize, ()> = HashMap::new();
    for group in prints.chunk_by(|a, b| a.0 == b.0) {
        if group.len() > 1 {
            for (_, c) in group {
                out.insert(*c, ());
            }
        }
    }
    let mut cases: Vec<usize> = out.into_keys().collect();
    cases.sort_unstable();
    cases
}

/// What the screening gathers, dossier by dossier, for the signs only many dossiers show.
#[derive(Debug, Default)]
pub struct Population {
    /// The cases observed that may carry a sign: id, stage, whether they had findings.
    cases: Vec<(Uuid, Stage, bool)>,
    admissions: Vec<Admission>,
    prints: Vec<(u64, usize)>,
    settings: HashMap<Uuid, DevSettings>,
}

impl Population {
    /// Notes what a dossier of `branch` (judged `eval`, under `settings`) may show with others:
    /// its admission meeting and its long assessment texts. `had_findings`: whether the
    /// screening kept a finding of it already.
    pub fn observe(
        &mut self,
        id: Uuid,
        branch: Uuid,
        dossier: &Dossier,
        eval: &Evaluation,
        settings: &DevSettings,
        had_findings: bool,
    ) {
        let meeting =
            dossier.events.iter().filter(|e| e.is_step(step::ADMISSION_MEETING)).map(|e| e.on).min();
        let mut prints = dossier
            .events
            .iter()
            .filter(|e| e.corrects.is_none())
            .filter_map(|e| match e.get(Key::Result) {
                Some(Value::Text(t)) => text_print(t, settings.same_text_min_chars),
                _ => None,
            })
            .peekable();
        if meeting.is_none() && prints.peek().is_none() {
            return;
        }
        let case = self.cases.len();
        self.cases.push((id, eval.stage, had_findings));
        self.prints.extend(prints.map(|p| (p, case)));
        if let Some(on) = meeting {
            self.admissions.push(Admission { case, branch, on });
            self.settings.entry(branch).or_insert(*settings);
        }
    }

    /// The signs found, per case: id, stage, whether it had findings already, and the checks.
    pub fn signs(self, members: impl Fn(Uuid) -> u32) -> Vec<(Uuid, Stage, bool, Vec<&'static Check>)> {
        let defaults = DevSettings::default();
        let settings = &self.settings;
        let rushed = rushed(self.admissions, members, |b| settings.get(&b).copied().unwrap_or(defaults));
        let copied = same_text(self.prints);
        let mut by_case: HashMap<usize, Vec<&'static Check>> = HashMap::new();
        for (case, _) in rushed {
            by_case.entry(case).or_default().push(&RUSHED_BATCH);
        }
        for case in copied {
            by_case.entry(case).or_default().push(&SAME_TEXT);
        }
        let mut out: Vec<_> = by_case
            .into_iter()
            .map(|(case, checks)| {
                let (id, stage, had) = self.cases[case];
                (id, stage, had, checks)
            })
            .collect();
        out.sort_by_key(|x| x.0);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn adm(case: usize, branch: u128, on: Date) -> Admission {
        Admission { case, branch: Uuid::from_u128(branch), on }
    }

    #[test]
    fn a_batch_is_many_admissions_close_together_for_the_branch_size() {
        let s = DevSettings::default(); // five or more, 30 % of the branch, within 30 days
        let mut a: Vec<Admission> = (0..5).map(|i| adm(i, 1, date(2024, 7, 15))).collect();
        // Branch 2: five admissions spread over a year.
        a.extend((0..5).map(|i| adm(10 + i, 2, date(2024, 1, 1) + jiff::Span::new().days(i as i64 * 90))));
        let got = rushed(a.clone(), |b| if b == Uuid::from_u128(1) { 12 } else { 10 }, |_| s);
        assert_eq!(got.iter().map(|(c, _)| *c).collect::<Vec<_>>(), vec![0, 1, 2, 3, 4]);
        // The same five in a branch of 40 members are only 12.5 %.
        assert!(rushed(a.clone(), |_| 40, |_| s).is_empty());
        // Four are not a batch; spread within the span they still are.
        assert!(rushed(a[..4].to_vec(), |_| 4, |_| s).is_empty());
        let spread: Vec<_> =
            (0..5).map(|i| adm(i, 1, date(2024, 7, 1) + jiff::Span::new().days(i as i64 * 7))).collect();
        assert_eq!(rushed(spread.clone(), |_| 10, |_| s).len(), 5);
        let one_meeting = DevSettings { rushed_span_days: 0, ..s };
        assert!(rushed(spread, |_| 10, |_| one_meeting).is_empty());
    }

    #[test]
    fn the_same_long_text_in_two_dossiers_is_found_short_ones_are_not() {
        let long = "该同志思想上积极要求进步，工作中认真负责，群众基础较好。";
        assert_eq!(text_print("表现良好", 20), None);
        assert_eq!(text_print(long, 0), None);
        let a = text_print(long, 20).unwrap();
        assert_eq!(text_print(&format!(" {long}\n"), 20), Some(a), "white space does not matter");
        let b = text_print("该同志学习认真，能够按时参加支部活动，按时交纳党费。", 20).unwrap();
        assert_eq!(same_text(vec![(a, 1), (a, 1), (b, 2), (a, 3)]), vec![1, 3]);
        assert!(same_text(vec![(a, 1), (a, 1)]).is_empty(), "one dossier repeating itself is not");
    }
}
