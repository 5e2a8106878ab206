//! Screening every dossier of a subtree: read the rows page by page while another thread
//! decodes and judges the page before (the two machines' cores work at once), each dossier
//! under the settings of its organisation, and group the findings by rule. The names of
//! the cases kept for links are read afterwards, for those cases only
//! ([`Store::screened_cases`]), so the screening itself reads no more than the rows. The
//! signs only the dossiers together show (rushed batches, identical text) are added at the
//! end, from what was gathered on the way ([`Population`]).

use crate::development::dossiers::{RawDossierRow, decode_row, settings_along};
use crate::error::StoreError;
use crate::{Store, on_db};
use jiff::civil::Date;
use pioneer_domain::development::batches::Population;
use pioneer_domain::development::dev_settings::DevSettings;
use pioneer_domain::development::engine::evaluate;
use pioneer_domain::development::screening::{ScreenFilter, ScreenReport, Screener};
use std::collections::HashMap;
use tokio::sync::mpsc;
use uuid::Uuid;

/// Rows read per query while screening.
pub const SCREEN_BATCH: i64 = 5_000;

impl Store {
    /// Screens every dossier under `org_path` as of `today`, keeping `keep` case links per
    /// rule and only the findings `filter` admits.
    pub async fn screen(
        &self,
        org_path: &str,
        today: Date,
        keep: usize,
        filter: ScreenFilter,
    ) -> Result<ScreenReport, StoreError> {
        let own = self.all_dev_settings().await?;
        let book = self.rule_book().await?;
        let (tx, mut rx) = mpsc::channel::<Vec<RawDossierRow>>(2);
        let judge = tokio::task::spawn_blocking(move || -> Result<(Screener, Population), StoreError> {
            let mut by_path: HashMap<String, DevSettings> = HashMap::new();
            let mut screener = Screener::filtered(keep, filter);
            let mut population = Population::default();
            while let Some(page) = rx.blocking_recv() {
                for raw in page {
                    let row = decode_row(raw)?;
                    let settings = match by_path.get(&row.org_path) {
                        Some(s) => *s,
                        None => {
                            let s = settings_along(&own, &row.org_path);
                            by_path.insert(row.org_path.clone(), s);
                            s
                        }
                    };
                    let eval = evaluate(&book, &row.dossier, &settings, today);
                    let had = screener.counts_any(&eval);
                    screener.add(row.id, &eval);
                    population.observe(row.id, row.org_id, &row.dossier, &eval, &settings, had);
                }
            }
            Ok((screener, population))
        });
        let read = async move {
            let mut after = (org_path.to_owned(), Uuid::nil());
            loop {
                let page = self.dossier_rows_after(org_path, &after, SCREEN_BATCH).await?;
                let Some(last) = page.last() else { break };
                after = (last.2.clone(), last.0);
                let full = page.len() as i64 == SCREEN_BATCH;
                self.count(page.len() as u64);
                // A closed channel means the judge stopped on an error: it reports it below.
                let sent = tx.send(page).await;
                if sent.is_err() || !full {
                    break;
                }
            }
            drop(tx);
            Ok::<(), StoreError>(())
        };
        // The branches' member counts (for rushed batches) are read beside the pages, on a
        // connection of their own, while the judge works.
        let (read, members) = tokio::join!(read, self.members_by_org());
        read?;
        let members = members?;
        let (mut screener, population) =
            judge.await.map_err(|_| StoreError::Corrupt("screening worker"))??;
        // The signs only the dossiers together show (AUD-27, AUD-28).
        for (id, stage, had, checks) in population.signs(|b| members.get(&b).copied().unwrap_or(0)) {
            screener.add_signs(id, stage, had, &checks);
        }
        Ok(screener.finish())
    }
}

impl Store {
    /// The members (probationary and full) of each organisation, for the size of a branch.
    pub async fn members_by_org(&self) -> Result<HashMap<Uuid, u32>, StoreError> {
        let rows: Vec<(Uuid, i64)> = on_db!(self.reader(), pool => {
            sqlx::query_as(
                "SELECT org_id, COUNT(*) FROM people WHERE status IN ('probationary_member', 'full_member') \
                 GROUP BY org_id",
            )
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(|(o, n)| (o, u32::try_from(n).unwrap_or(u32::MAX))).collect())
    }
}

/// Who a screened case is about and where it lives, as the screening page lists it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ScreenedCase {
    /// The person's name.
    pub person_name: String,
    /// The organisation (branch) of the dossier.
    pub org_id: Uuid,
    /// Its name.
    pub org_name: String,
}

/// Ids per query when looking up screened cases (well under either database's limit of
/// bound values).
const LOOKUP_BATCH: usize = 500;

impl Store {
    /// The person's and organisation's names of the dossiers `ids` (unknown ids are left
    /// out), a few hundred ids per query.
    pub async fn screened_cases(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, ScreenedCase>, StoreError> {
        let mut out = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(LOOKUP_BATCH) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT d.id, p.name, d.org_id, o.name FROM dossiers d JOIN people p ON p.tenant_id = d.tenant_id AND p.id = d.person_id \
                 JOIN organizations o ON o.id = d.org_id WHERE d.id IN ({})",
                marks.join(", ")
            );
            let rows: Vec<(Uuid, String, Uuid, String)> = on_db!(self.db(), pool => {
                let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
                for id in chunk {
                    q = q.bind(*id);
                }
                q.fetch_all(pool).await?
            });
            for (id, person_name, org_id, org_name) in rows {
                out.insert(id, ScreenedCase { person_name, org_id, org_name });
            }
        }
        Ok(out)
    }
}
