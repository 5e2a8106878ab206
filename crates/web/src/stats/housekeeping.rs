//! The branch-housekeeping figures of the statistics and the annual report: organisations
//! whose term has expired without an election (ORG-013) or ends within six months, and the
//! year's party dues collected and remitted, month by month.

use crate::AppState;
use crate::error::AppError;
use jiff::civil::Date;
use pioneer_domain::orgs::officers::TermState;
use pioneer_store::orgs::OrgRecord;
use serde::Serialize;

/// The figures.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Housekeeping {
    /// Elected organisations (open, with a term length).
    pub elected: u64,
    /// Whose term expired without an election.
    pub terms_expired: u64,
    /// Whose election is due within six months.
    pub terms_due_soon: u64,
    /// With no election recorded.
    pub terms_unknown: u64,
    /// The year's dues collected, fen.
    pub dues_collected_fen: i64,
    /// The year's dues remitted by this organisation, fen.
    pub dues_remitted_fen: i64,
    /// Month by month: (month, collected fen, remitted fen, payers).
    pub dues_months: Vec<(String, i64, i64, i64)>,
}

/// The figures of an organisation's subtree as of `on`, dues of `on`'s year.
pub async fn figures(s: &AppState, org: &OrgRecord, on: Date) -> Result<Housekeeping, AppError> {
    let lines = crate::orgs::officers::actions::reminders(s, org, on).await?;
    let mut h = Housekeeping { elected: lines.len() as u64, ..Housekeeping::default() };
    for l in &lines {
        match l.state {
            TermState::Expired { .. } => h.terms_expired += 1,
            TermState::DueSoon { .. } => h.terms_due_soon += 1,
            TermState::Unknown => h.terms_unknown += 1,
            TermState::Running { .. } => {}
        }
    }
    h.dues_months = s.store.dues_year(org.tenant_id, org.id, &org.path, on.year()).await?;
    h.dues_collected_fen = h.dues_months.iter().map(|m| m.1).sum();
    h.dues_remitted_fen = h.dues_months.iter().map(|m| m.2).sum();
    Ok(h)
}
