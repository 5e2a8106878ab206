//! Screening (排查): the findings of many dossiers grouped by rule, with counts and the
//! first cases of each, as the screening page, `pioneer screen` and its exports show them.
//! A [`ScreenFilter`] narrows the findings to one rule or one severity.

use crate::development::engine::{CHECKS, Check, Evaluation, Severity};
use crate::development::procedure::Stage;
use crate::{FieldError, Reason};
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

/// Which findings a screening keeps: those of one rule (a rule id such as `DEV-003`, or a
/// check's code such as `talk_missing`) and of one severity; the default keeps all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScreenFilter {
    rule: Option<&'static str>,
    severity: Option<Severity>,
}

impl ScreenFilter {
    /// Reads the filter as typed (empty means any): `rule` must name a rule id or a check
    /// code of the catalogue, `severity` be `violation` or `warning`; else the field is
    /// refused as an unknown choice.
    pub fn parse(rule: &str, severity: &str) -> Result<Self, FieldError> {
        let rule = match rule.trim() {
            "" => None,
            r => Some(
                CHECKS
                    .iter()
                    .find_map(|c| {
                        if c.code == r {
                            Some(c.code)
                        } else if c.rule.eq_ignore_ascii_case(r) {
                            Some(c.rule)
                        } else {
                            None
                        }
                    })
                    .ok_or_else(|| FieldError::new("rule", Reason::UnknownChoice))?,
            ),
        };
        let severity = match severity.trim() {
            "" => None,
            "violation" => Some(Severity::Violation),
            "warning" => Some(Severity::Warning),
            _ => return Err(FieldError::new("severity", Reason::UnknownChoice)),
        };
        Ok(Self { rule, severity })
    }

    /// The rule id or check code kept ("" for any).
    pub fn rule(&self) -> &'static str {
        self.rule.unwrap_or("")
    }

    /// The severity kept, if one.
    pub fn severity(&self) -> Option<Severity> {
        self.severity
    }

    /// Whether a finding of `c` is kept.
    pub fn admits(&self, c: &Check) -> bool {
        self.rule.is_none_or(|r| c.code == r || c.rule == r) && self.severity.is_none_or(|s| c.severity == s)
    }
}

/// A case kept for a rule group: the dossier and the stage it had reached on the day
/// screened (the names are looked up afterwards, for the kept cases only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CaseRef {
    /// The dossier.
    pub id: Uuid,
    /// Its stage on the day screened.
    pub stage: Stage,
}

/// One rule's findings across the dossiers screened.
#[derive(Debug, Clone, Serialize)]
pub struct RuleGroup {
    /// The check.
    #[serde(serialize_with = "check_info")]
    pub check: &'static Check,
    /// Dossiers with this finding.
    pub count: u64,
    /// The first of them (for links).
    pub cases: Vec<CaseRef>,
}

fn check_info<S: serde::Serializer>(c: &&'static Check, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let rule = c.rule();
    let mut m = s.serialize_map(Some(8))?;
    m.serialize_entry("code", c.code)?;
    m.serialize_entry("rule", c.rule)?;
    m.serialize_entry("audit", c.audit)?;
    m.serialize_entry("severity", &c.severity)?;
    m.serialize_entry("status", &c.status())?;
    m.serialize_entry("message_zh", c.zh)?;
    m.serialize_entry("message_en", c.en)?;
    m.serialize_entry("citation", rule.citation)?;
    m.end()
}

/// What a screening run found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScreenReport {
    /// Dossiers screened.
    pub dossiers: u64,
    /// Dossiers with at least one violation.
    pub with_violations: u64,
    /// Dossiers with warnings only.
    pub with_warnings_only: u64,
    /// Findings by rule, the most frequent first.
    pub groups: Vec<RuleGroup>,
}

/// Collects evaluations into a report.
#[derive(Debug)]
pub struct Screener {
    keep: usize,
    filter: ScreenFilter,
    dossiers: u64,
    with_violations: u64,
    with_warnings_only: u64,
    counts: HashMap<&'static str, RuleGroup>,
}

impl Screener {
    /// A screener that keeps up to `keep` case links per rule.
    pub fn new(keep: usize) -> Self {
        Self::filtered(keep, ScreenFilter::default())
    }

    /// A screener that keeps up to `keep` case links per rule and only the findings
    /// `filter` admits (the counts of dossiers with violations or warnings count those too).
    pub fn filtered(keep: usize, filter: ScreenFilter) -> Self {
        Self { keep, filter, dossiers: 0, with_violations: 0, with_warnings_only: 0, counts: HashMap::new() }
    }

    /// Adds one dossier's evaluation.
    pub fn add(&mut self, id: Uuid, e: &Evaluation) {
        self.dossiers += 1;
        let filter = self.filter;
        let mut kept = e.findings.iter().filter(|f| filter.admits(f.check)).peekable();
        if kept.peek().is_none() {
            return;
        }
        if kept.any(|f| f.check.severity == Severity::Violation) {
            self.with_violations += 1;
        } else {
            self.with_warnings_only += 1;
        }
        for (i, f) in e.findings.iter().enumerate() {
            // A dossier counts once per check even with several findings of it.
            if !self.filter.admits(f.check) || e.findings[..i].iter().any(|p| p.check.code == f.check.code) {
                continue;
            }
            let g = self.counts.entry(f.check.code).or_insert_with(|| RuleGroup {
                check: CHECKS.iter().copied().find(|c| c.code == f.check.code).unwrap_or(f.check),
                count: 0,
                cases: Vec::new(),
            });
            g.count += 1;
            if g.cases.len() < self.keep {
                g.cases.push(CaseRef { id, stage: e.stage });
            }
        }
    }

    /// Adds the signs only many dossiers show (from [`crate::development::batches::Population`])
    /// to a dossier already added: `had_findings` says whether it was counted already.
    pub fn add_signs(&mut self, id: Uuid, stage: Stage, had_findings: bool, checks: &[&'static Check]) {
        let filter = self.filter;
        let mut kept = checks.iter().copied().filter(|c| filter.admits(c)).peekable();
        if kept.peek().is_none() {
            return;
        }
        if !had_findings {
            self.with_warnings_only += 1;
        }
        for check in kept {
            let g = self.counts.entry(check.code).or_insert_with(|| RuleGroup {
                check,
                count: 0,
                cases: Vec::new(),
            });
            g.count += 1;
            if g.cases.len() < self.keep {
                g.cases.push(CaseRef { id, stage });
            }
        }
    }

    /// Whether the filter keeps any of the evaluation's findings (the dossier is counted).
    pub fn counts_any(&self, e: &Evaluation) -> bool {
        e.findings.iter().any(|f| self.filter.admits(f.check))
    }

    /// The report.
    pub fn finish(self) -> ScreenReport {
        let mut groups: Vec<RuleGroup> = self.counts.into_values().collect();
        groups.sort_by(|a, b| b.count.cmp(&a.count).then(a.check.code.cmp(b.check.code)));
        ScreenReport {
            dossiers: self.dossiers,
            with_violations: self.with_violations,
            with_warnings_only: self.with_warnings_only,
            groups,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::development::engine::{ACTIVIST_EARLY, TALK_MISSING, UNDER_AGE};

    #[test]
    fn a_filter_reads_a_rule_id_a_check_code_or_a_severity() {
        let any = ScreenFilter::parse("", "").unwrap_or_default();
        assert!(any.admits(&TALK_MISSING) && any.admits(&ACTIVIST_EARLY));
        let by_rule = ScreenFilter::parse(" dev-003 ", "").unwrap_or_default();
        assert!(by_rule.admits(&TALK_MISSING) && !by_rule.admits(&UNDER_AGE));
        let by_code = ScreenFilter::parse("talk_missing", "").unwrap_or_default();
        assert!(by_code.admits(&TALK_MISSING) && !by_code.admits(&UNDER_AGE));
        let warnings = ScreenFilter::parse("", "warning").unwrap_or_default();
        assert!(warnings.admits(&ACTIVIST_EARLY) && !warnings.admits(&TALK_MISSING));
        assert_eq!(ScreenFilter::parse("DEV-999", "").map_err(|e| e.field), Err("rule"));
        assert_eq!(ScreenFilter::parse("", "bad").map_err(|e| e.field), Err("severity"));
    }
}
