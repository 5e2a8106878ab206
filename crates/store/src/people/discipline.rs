//! 留党察看 in storage: record a member's period with its decision, and read a person's
//! periods (the dossier's captured standing reads them). Each write is one transaction with
//! its journal entry.

use crate::db::BeginWrite;
use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::orgs::parse_date;
use crate::{Store, on_db};
use pioneer_domain::people::discipline::DisciplinaryProbation;
use uuid::Uuid;

impl Store {
    /// Records a period of 留党察看 for `person_id` (checked by [`DisciplinaryProbation::parse`]).
    pub async fn record_discipline(
        &self,
        person_id: Uuid,
        d: &DisciplinaryProbation,
        act: &Act,
    ) -> Result<(), StoreError> {
        let p = self.person(person_id).await?;
        let change = Change {
            tenant_id: p.tenant_id,
            entity: "discipline",
            entity_id: Some(person_id),
            change: serde_json::json!({
                "from": d.from.to_string(), "until": d.until.to_string(), "decision": d.decision,
            }),
            rows: Vec::new(),
        };
        let discipline_id = Uuid::now_v7();
        let change = change.row("party_discipline", discipline_id);
        let at = act.at.as_millisecond();
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO party_discipline (id, tenant_id, person_id, from_on, until_on, decision, recorded_by, \
                 recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(discipline_id)
            .bind(p.tenant_id)
            .bind(person_id)
            .bind(d.from.to_string())
            .bind(d.until.to_string())
            .bind(&d.decision)
            .bind(&act.actor)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// A person's periods of 留党察看, the earliest first.
    pub async fn disciplines(&self, person_id: Uuid) -> Result<Vec<DisciplinaryProbation>, StoreError> {
        let rows: Vec<(String, String, String)> = on_db!(self.db(), pool => {
            let sql = format!(
                "SELECT from_on, until_on, decision FROM party_discipline WHERE person_id = $1{} ORDER BY from_on",
                crate::tenancy::and_tenant("tenant_id", 2)
            );
            crate::tenancy::bind_tenant!(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(person_id))
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|(from, until, decision)| {
                let day = |what, raw| parse_date(what, Some(raw))?.ok_or(StoreError::Corrupt(what));
                Ok(DisciplinaryProbation {
                    from: day("party_discipline.from_on", from)?,
                    until: day("party_discipline.until_on", until)?,
                    decision,
                })
            })
            .collect()
    }
}
