//! Screening (排查): the findings of many dossiers grouped by rule, with counts and the
//! first cases of each, as the screening page, `pioneer screen` and its exports show them.

use crate::development::engine::{CHECKS, Check, Evaluation, Severity};
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

/// One rule's findings across the dossiers screened.
#[derive(Debug, Clone, Serialize)]
pub struct RuleGroup {
    /// The check.
    #[serde(serialize_with = "check_info")]
    pub check: &'static Check,
    /// Dossiers with this finding.
    pub count: u64,
    /// The first of them (for links).
    pub cases: Vec<Uuid>,
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
    dossiers: u64,
    with_violations: u64,
    with_warnings_only: u64,
    counts: HashMap<&'static str, RuleGroup>,
}

impl Screener {
    /// A screener that keeps up to `keep` case links per rule.
    pub fn new(keep: usize) -> Self {
        Self { keep, dossiers: 0, with_violations: 0, with_warnings_only: 0, counts: HashMap::new() }
    }

    /// Adds one dossier's evaluation.
    pub fn add(&mut self, id: Uuid, e: &Evaluation) {
        self.dossiers += 1;
        if e.findings.is_empty() {
            return;
        }
        if e.findings.iter().any(|f| f.check.severity == Severity::Violation) {
            self.with_violations += 1;
        } else {
            self.with_warnings_only += 1;
        }
        for (i, f) in e.findings.iter().enumerate() {
            // A dossier counts once per check even with several findings of it.
            if e.findings[..i].iter().any(|p| p.check.code == f.check.code) {
                continue;
            }
            let g = self.counts.entry(f.check.code).or_insert_with(|| RuleGroup {
                check: CHECKS.iter().copied().find(|c| c.code == f.check.code).unwrap_or(f.check),
                count: 0,
                cases: Vec::new(),
            });
            g.count += 1;
            if g.cases.len() < self.keep {
                g.cases.push(id);
            }
        }
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
