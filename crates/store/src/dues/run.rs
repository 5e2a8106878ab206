//! The monthly dues run of an organisation's subtree: every member on the register with the
//! amount the profile in force gives (and its rule), what was paid for the month, and the
//! standing over the look-back (unpaid months, arrears, the AUD-31 findings). Four streamed
//! reads (members, profiles, payments by month, excused months); the rules run in Rust.

use super::{PROFILE_COLUMNS, ProfileRow, profile_of};
use crate::error::StoreError;
use crate::{Store, on_db};
use futures_util::TryStreamExt;
use pioneer_domain::dues::Month;
use pioneer_domain::dues::amount::Profile;
use pioneer_domain::dues::arrears::{LOOKBACK_MONTHS, MonthPaid, Standing, standing};
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

/// One member's line of the run.
#[derive(Debug, Clone, Serialize)]
pub struct DuesLine {
    /// The member.
    pub person_id: Uuid,
    /// Name.
    pub name: String,
    /// Their organisation.
    pub org_id: Uuid,
    /// A mobile (flowing) member (may pay quarterly, FEE-011).
    pub mobile: bool,
    /// Pays quarterly under the profile in force.
    pub quarterly: bool,
    /// Whether any profile is recorded.
    pub has_profile: bool,
    /// The standing.
    pub standing: Standing,
}

/// The totals of a run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DuesTotals {
    /// Members on the register.
    pub members: usize,
    /// Without a profile.
    pub without_profile: usize,
    /// Due this month, fen.
    pub due_fen: i64,
    /// Paid for this month, fen.
    pub paid_fen: i64,
    /// Members who paid this month in full.
    pub paid_in_full: usize,
    /// Arrears over the look-back, fen.
    pub owed_fen: i64,
    /// Members with an AUD-31 finding.
    pub flagged: usize,
}

impl Store {
    /// The run of the subtree at `path` for `month`, members by name.
    pub async fn dues_run(
        &self,
        tenant: Uuid,
        path: &str,
        month: Month,
    ) -> Result<(Vec<DuesLine>, DuesTotals), StoreError> {
        let end = pioneer_domain::orgs::subtree_end(path);
        let since = month.plus(-LOOKBACK_MONTHS).to_string();
        let upto = month.to_string();
        let mut members: Vec<(Uuid, String, Uuid, bool)> = Vec::new();
        let mut profiles: HashMap<Uuid, Vec<Profile>> = HashMap::new();
        let mut paid: HashMap<Uuid, Vec<MonthPaid>> = HashMap::new();
        let mut excused: HashMap<Uuid, Vec<Month>> = HashMap::new();
        let people = "FROM people p LEFT JOIN departures d ON d.tenant_id = p.tenant_id AND d.person_id = p.id \
            WHERE p.tenant_id = $1 AND p.org_path >= $2 AND p.org_path < $3 \
            AND p.status IN ('probationary_member', 'full_member') AND d.person_id IS NULL";
        let q_members = format!("SELECT p.id, p.name, p.org_id, p.is_mobile {people}");
        let q_profiles = format!(
            "SELECT x.person_id, {} FROM dues_profiles x JOIN people p ON p.tenant_id = x.tenant_id AND p.id = x.person_id \
             WHERE p.tenant_id = $1 AND p.org_path >= $2 AND p.org_path < $3 AND x.from_month <= $4 ORDER BY x.person_id, x.from_month",
            PROFILE_COLUMNS.split(", ").map(|c| format!("x.{c}")).collect::<Vec<_>>().join(", ")
        );
        let q_paid = "SELECT x.person_id, x.month, CAST(SUM(x.amount_fen) AS BIGINT), MAX(x.paid_on) FROM dues_payments x \
            JOIN people p ON p.tenant_id = x.tenant_id AND p.id = x.person_id \
            WHERE p.tenant_id = $1 AND p.org_path >= $2 AND p.org_path < $3 AND x.month >= $4 AND x.month <= $5 \
            GROUP BY x.person_id, x.month";
        let q_excused = "SELECT x.person_id, x.month FROM dues_excusals x JOIN people p ON p.tenant_id = x.tenant_id AND p.id = x.person_id \
            WHERE p.tenant_id = $1 AND p.org_path >= $2 AND p.org_path < $3 AND x.month >= $4";
        on_db!(self.db(), pool => {
            let mut rows = sqlx::query_as::<_, (Uuid, String, Uuid, bool)>(sqlx::AssertSqlSafe(q_members))
                .bind(tenant).bind(path).bind(&end).fetch(pool);
            while let Some(r) = rows.try_next().await? {
                members.push(r);
            }
            drop(rows);
            let mut rows = sqlx::query_as::<_, (Uuid, String, String, i64, Option<String>, Option<i64>, Option<String>, Option<i64>, Option<String>, Option<String>, bool)>(sqlx::AssertSqlSafe(q_profiles))
                .bind(tenant).bind(path).bind(&end).bind(&upto).fetch(pool);
            while let Some(r) = rows.try_next().await? {
                let row: ProfileRow = (r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8, r.9, r.10);
                if let Some(p) = profile_of(row) {
                    profiles.entry(r.0).or_default().push(p);
                }
            }
            drop(rows);
            let mut rows = sqlx::query_as::<_, (Uuid, String, i64, String)>(q_paid)
                .bind(tenant).bind(path).bind(&end).bind(&since).bind(&upto).fetch(pool);
            while let Some((person, m, fen, last)) = rows.try_next().await? {
                let (Ok(m), Ok(last)) = (Month::parse("month", &m), last.parse::<jiff::civil::Date>()) else { continue };
                paid.entry(person).or_default().push(MonthPaid { month: m, paid_fen: fen, last_paid: Month::of(last) });
            }
            drop(rows);
            let mut rows = sqlx::query_as::<_, (Uuid, String)>(q_excused).bind(tenant).bind(path).bind(&end).bind(&since).fetch(pool);
            while let Some((person, m)) = rows.try_next().await? {
                if let Ok(m) = Month::parse("month", &m) {
                    excused.entry(person).or_default().push(m);
                }
            }
        });
        members.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
        let mut totals = DuesTotals { members: members.len(), ..DuesTotals::default() };
        let none: Vec<Profile> = Vec::new();
        let lines = members
            .into_iter()
            .map(|(person_id, name, org_id, mobile)| {
                let ps = profiles.get(&person_id).unwrap_or(&none);
                let s = standing(
                    ps,
                    paid.get(&person_id).map_or(&[][..], Vec::as_slice),
                    excused.get(&person_id).map_or(&[][..], Vec::as_slice),
                    month,
                );
                if ps.is_empty() {
                    totals.without_profile += 1;
                }
                let due = s.due.map_or(0, |a| a.fen);
                totals.due_fen += due;
                totals.paid_fen += s.paid_fen;
                if s.due.is_some() && s.paid_fen >= due {
                    totals.paid_in_full += 1;
                }
                totals.owed_fen += s.owed_fen;
                if !s.findings.is_empty() {
                    totals.flagged += 1;
                }
                let quarterly =
                    pioneer_domain::dues::arrears::profile_at(ps, month).is_some_and(|p| p.quarterly);
                DuesLine {
                    person_id,
                    name,
                    org_id,
                    mobile,
                    quarterly,
                    has_profile: !ps.is_empty(),
                    standing: s,
                }
            })
            .collect();
        Ok((lines, totals))
    }

    /// An organisation's dues of a year, month by month: (month, collected fen, remitted
    /// fen, members who paid).
    pub async fn dues_year(
        &self,
        tenant: Uuid,
        org_id: Uuid,
        path: &str,
        year: i16,
    ) -> Result<Vec<(String, i64, i64, i64)>, StoreError> {
        let end = pioneer_domain::orgs::subtree_end(path);
        let (from, to) = (format!("{year:04}-01"), format!("{year:04}-12"));
        type Sums = (Vec<(String, i64, i64)>, Vec<(String, i64)>);
        let (collected, remitted): Sums = on_db!(self.db(), pool => {
            let c = sqlx::query_as(
                "SELECT month, CAST(SUM(amount_fen + extra_fen) AS BIGINT), COUNT(DISTINCT person_id) FROM dues_payments \
                 WHERE tenant_id = $1 AND org_path >= $2 AND org_path < $3 AND month >= $4 AND month <= $5 GROUP BY month",
            )
            .bind(tenant).bind(path).bind(&end).bind(&from).bind(&to).fetch_all(pool).await?;
            let r = sqlx::query_as(
                "SELECT month, CAST(SUM(amount_fen) AS BIGINT) FROM dues_remittances WHERE tenant_id = $1 AND org_id = $2 AND month >= $3 AND month <= $4 GROUP BY month",
            )
            .bind(tenant).bind(org_id).bind(&from).bind(&to).fetch_all(pool).await?;
            (c, r)
        });
        Ok((1..=12)
            .map(|m| {
                let key = format!("{year:04}-{m:02}");
                let (c, n) = collected.iter().find(|r| r.0 == key).map_or((0, 0), |r| (r.1, r.2));
                let r = remitted.iter().find(|r| r.0 == key).map_or(0, |r| r.1);
                (key, c, r, n)
            })
            .collect())
    }
}
