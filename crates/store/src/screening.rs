//! Screening every dossier of a subtree: stream the rows, judge each with the rule engine
//! under the settings of its organisation, group the findings by rule.

use crate::Store;
use crate::dossiers::settings_along;
use crate::error::StoreError;
use jiff::civil::Date;
use pioneer_domain::dev_settings::DevSettings;
use pioneer_domain::engine::{RuleBook, evaluate};
use pioneer_domain::screening::{ScreenReport, Screener};
use std::collections::HashMap;

/// Rows read per query while screening.
pub const SCREEN_BATCH: i64 = 5_000;

impl Store {
    /// Screens every dossier under `org_path` as of `today`, keeping `keep` case links per
    /// rule.
    pub async fn screen(&self, org_path: &str, today: Date, keep: usize) -> Result<ScreenReport, StoreError> {
        let own = self.all_dev_settings().await?;
        let book = RuleBook::standard();
        let mut by_path: HashMap<String, DevSettings> = HashMap::new();
        let mut screener = Screener::new(keep);
        self.scan_dossiers(org_path, SCREEN_BATCH, |row| {
            let settings = match by_path.get(&row.org_path) {
                Some(s) => *s,
                None => {
                    let s = settings_along(&own, &row.org_path);
                    by_path.insert(row.org_path.clone(), s);
                    s
                }
            };
            let e = evaluate(&book, &row.dossier, &settings, today);
            screener.add(row.id, &e);
            Ok(())
        })
        .await?;
        Ok(screener.finish())
    }
}
