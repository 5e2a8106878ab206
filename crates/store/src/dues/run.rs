//! The monthly dues run of an organisation's subtree: every member on the register with the
//! amount the profile in force gives (and its rule), what was paid for the month, and the
//! standing over the look-back (unpaid months, arrears, the AUD-31 findings). Four streams
//! in person order (members, profiles, payments, excused months) merged as they are read;
//! the rules run in Rust, and only the lines shown are kept.

use super::{PROFILE_COLUMNS, ProfileRow, profile_of};
use crate::error::StoreError;
use crate::{Store, on_db};
use futures_util::TryStreamExt;
use pioneer_domain::dues::Month;
use pioneer_domain::dues::amount::DuesBase;
use pioneer_domain::dues::arrears::{LOOKBACK_MONTHS, Standing, months_paid, standing};
use serde::Serialize;
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

/// Lines a run keeps of each kind (flagged, unpaid, the rest); the totals count everyone.
pub const RUN_KEEP: usize = 10_000;

/// A stream of rows ordered by person, looked at one row ahead.
struct Ahead<T, S> {
    rows: S,
    next: Option<(Uuid, T)>,
}

impl<T, S: futures_util::Stream<Item = Result<(Uuid, T), sqlx::Error>> + Unpin> Ahead<T, S> {
    async fn new(mut rows: S) -> Result<Self, StoreError> {
        let next = rows.try_next().await?;
        Ok(Self { rows, next })
    }

    /// The rows of `person`, skipping those of people before them (not on the register).
    async fn take(&mut self, person: Uuid) -> Result<Vec<T>, StoreError> {
        let mut out = Vec::new();
        while let Some((p, _)) = &self.next {
            if *p > person {
                break;
            }
            let (p, row) = self.next.take().unwrap_or_else(|| unreachable!());
            if p == person {
                out.push(row);
            }
            self.next = self.rows.try_next().await?;
        }
        Ok(out)
    }
}

impl Store {
    /// The run of the subtree at `path` for `month`: the totals of every member, and lines
    /// of up to `keep` flagged members, `keep` others with arrears and `keep` more (flagged
    /// first, then by name). The members, their profiles, payments and excused months are
    /// read as four streams in person order and merged, so memory stays bounded; a
    /// committee's whole tenant reads its dues tables by their keys, with no join.
    pub async fn dues_run(
        &self,
        tenant: Uuid,
        path: &str,
        month: Month,
        keep: usize,
    ) -> Result<(Vec<DuesLine>, DuesTotals), StoreError> {
        let end = pioneer_domain::orgs::subtree_end(path);
        let since = month.plus(-LOOKBACK_MONTHS).to_string();
        let upto = month.to_string();
        let whole = pioneer_domain::orgs::ancestors(path).len() <= 1;
        // Rows of the subtree's people only; the whole tenant needs no join.
        let (join, within) = if whole {
            ("", "x.tenant_id = $1 AND $2 <> $3")
        } else {
            (
                " JOIN people p ON p.tenant_id = x.tenant_id AND p.id = x.person_id",
                "p.tenant_id = $1 AND p.org_path >= $2 AND p.org_path < $3",
            )
        };
        let q_members = "SELECT p.id, p.name, p.org_id, p.is_mobile FROM people p \
            LEFT JOIN departures d ON d.tenant_id = p.tenant_id AND d.person_id = p.id \
            WHERE p.tenant_id = $1 AND p.org_path >= $2 AND p.org_path < $3 \
            AND p.status IN ('probationary_member', 'full_member') AND d.person_id IS NULL ORDER BY p.id";
        let q_profiles = format!(
            "SELECT x.person_id, {} FROM dues_profiles x{join} WHERE {within} AND x.from_month <= $4 \
             ORDER BY x.person_id, x.from_month",
            PROFILE_COLUMNS.split(", ").map(|c| format!("x.{c}")).collect::<Vec<_>>().join(", ")
        );
        let q_paid = format!(
            "SELECT x.person_id, x.month, x.amount_fen, x.paid_on FROM dues_payments x{join} \
             WHERE {within} AND x.month >= $4 AND x.month <= $5 ORDER BY x.person_id, x.month"
        );
        let q_excused = format!(
            "SELECT x.person_id, x.month FROM dues_excusals x{join} WHERE {within} AND x.month >= $4 ORDER BY x.person_id, x.month"
        );
        type ProfileWire = (Uuid, ProfileRow);
        let mut totals = DuesTotals::default();
        let mut kept: [Vec<DuesLine>; 3] = Default::default();
        on_db!(self.db(), pool => {
            let mut members = sqlx::query_as::<_, (Uuid, String, Uuid, bool)>(q_members)
                .bind(tenant).bind(path).bind(&end).fetch(pool);
            let mut profiles = Ahead::new(
                sqlx::query_as::<_, (Uuid, String, String, i64, Option<String>, Option<i64>, Option<String>, Option<i64>, Option<String>, Option<String>, bool)>(sqlx::AssertSqlSafe(q_profiles))
                    .bind(tenant).bind(path).bind(&end).bind(&upto).fetch(pool)
                    .map_ok(|r| -> ProfileWire { (r.0, (r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8, r.9, r.10)) }),
            ).await?;
            let mut paid = Ahead::new(
                sqlx::query_as::<_, (Uuid, String, i64, String)>(sqlx::AssertSqlSafe(q_paid))
                    .bind(tenant).bind(path).bind(&end).bind(&since).bind(&upto).fetch(pool)
                    .map_ok(|r| (r.0, (r.1, r.2, r.3))),
            ).await?;
            let mut excused = Ahead::new(
                sqlx::query_as::<_, (Uuid, String)>(sqlx::AssertSqlSafe(q_excused))
                    .bind(tenant).bind(path).bind(&end).bind(&since).fetch(pool)
                    .map_ok(|r| (r.0, r.1)),
            ).await?;
            while let Some((person_id, name, org_id, mobile)) = members.try_next().await? {
                let ps: Vec<DuesBase> = profiles.take(person_id).await?.into_iter().filter_map(profile_of).collect();
                let months = months_paid(paid.take(person_id).await?.into_iter().filter_map(|(m, fen, on)| {
                    Some((Month::parse("month", &m).ok()?, fen, Month::of(on.parse::<jiff::civil::Date>().ok()?)))
                }));
                let ex: Vec<Month> = excused.take(person_id).await?.iter().filter_map(|m| Month::parse("month", m).ok()).collect();
                let s = standing(&ps, &months, &ex, month);
                totals.members += 1;
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
                let bucket = if !s.findings.is_empty() {
                    totals.flagged += 1;
                    0
                } else if s.unpaid_months > 0 || ps.is_empty() {
                    1
                } else {
                    2
                };
                if kept[bucket].len() < keep {
                    let quarterly = pioneer_domain::dues::arrears::profile_at(&ps, month).is_some_and(|p| p.quarterly);
                    kept[bucket].push(DuesLine { person_id, name, org_id, mobile, quarterly, has_profile: !ps.is_empty(), standing: s });
                }
            }
        });
        let mut lines: Vec<DuesLine> = kept
            .into_iter()
            .flat_map(|mut k| {
                k.sort_by(|a, b| a.name.cmp(&b.name).then(a.person_id.cmp(&b.person_id)));
                k
            })
            .collect();
        lines.shrink_to_fit();
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
