//! Screening every dossier of a subtree: read the rows page by page while another thread
//! decodes and judges the page before (the two machines' cores work at once), each dossier
//! under the settings of its organisation, and group the findings by rule.

use crate::Store;
use crate::development::dossiers::{RawDossierRow, decode_row, settings_along};
use crate::error::StoreError;
use jiff::civil::Date;
use pioneer_domain::development::dev_settings::DevSettings;
use pioneer_domain::development::engine::{RuleBook, evaluate};
use pioneer_domain::development::screening::{ScreenReport, Screener};
use std::collections::HashMap;
use tokio::sync::mpsc;
use uuid::Uuid;

/// Rows read per query while screening.
pub const SCREEN_BATCH: i64 = 5_000;

impl Store {
    /// Screens every dossier under `org_path` as of `today`, keeping `keep` case links per
    /// rule.
    pub async fn screen(&self, org_path: &str, today: Date, keep: usize) -> Result<ScreenReport, StoreError> {
        let own = self.all_dev_settings().await?;
        let (tx, mut rx) = mpsc::channel::<Vec<RawDossierRow>>(2);
        let judge = tokio::task::spawn_blocking(move || -> Result<ScreenReport, StoreError> {
            let book = RuleBook::standard();
            let mut by_path: HashMap<String, DevSettings> = HashMap::new();
            let mut screener = Screener::new(keep);
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
                    screener.add(row.id, &evaluate(&book, &row.dossier, &settings, today));
                }
            }
            Ok(screener.finish())
        });
        let mut after = (org_path.to_owned(), Uuid::nil());
        loop {
            let page = self.dossier_rows_after(org_path, &after, SCREEN_BATCH).await?;
            let Some(last) = page.last() else { break };
            after = (last.2.clone(), last.0);
            let full = page.len() as i64 == SCREEN_BATCH;
            // A closed channel means the judge stopped on an error: it reports it below.
            let sent = tx.send(page).await;
            if sent.is_err() || !full {
                break;
            }
        }
        drop(tx);
        judge.await.map_err(|_| StoreError::Corrupt("screening worker"))?
    }
}
