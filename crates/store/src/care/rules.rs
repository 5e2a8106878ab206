//! The credit rules each organisation sets for its subtree: the root organisation's are the
//! deployment's defaults, any organisation below may narrow (never widen) what is in force
//! above it, and a member earns under the rules in force at their own organisation.

use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::{Store, db::BeginWrite, on_db};
use pioneer_domain::care::ledger::CreditRules;
use pioneer_domain::care::tenancy::effective;
use uuid::Uuid;

/// Every organisation's own credit rules in one deployment, with the organisations' paths.
#[derive(Debug, Clone, Default)]
pub struct RulesTree {
    tenant_id: Uuid,
    own: Vec<(Uuid, String, CreditRules)>,
}

impl RulesTree {
    /// The rules in force at the organisation (or member) with this path.
    pub fn at(&self, path: &str) -> CreditRules {
        let root = self.own.iter().find(|(org, _, _)| *org == self.tenant_id).map(|(_, _, r)| r);
        let lower = self
            .own
            .iter()
            .filter(|(org, p, _)| *org != self.tenant_id && path.starts_with(p.as_str()))
            .map(|(_, _, r)| r);
        effective(root, lower)
    }

    /// The organisation's own rules, when it set any.
    pub fn own(&self, org_id: Uuid) -> Option<CreditRules> {
        self.own.iter().find(|(org, _, _)| *org == org_id).map(|(_, _, r)| *r)
    }

    /// What the organisations above the one with this path allow (None for the root).
    pub fn above(&self, org_id: Uuid, path: &str) -> Option<CreditRules> {
        if org_id == self.tenant_id {
            return None;
        }
        let parent = path.trim_end_matches('/').rsplit_once('/').map_or("", |(p, _)| p);
        Some(self.at(&format!("{parent}/")))
    }
}

impl Store {
    /// Every organisation's own credit rules in a deployment.
    pub async fn rules_tree(&self, tenant_id: Uuid) -> Result<RulesTree, StoreError> {
        let rows: Vec<(Uuid, String, String)> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT r.org_id, o.path, r.rules FROM org_credit_rules r JOIN organizations o ON o.id = r.org_id \
                 WHERE r.tenant_id = $1 AND o.tenant_id = $1",
            )
            .bind(tenant_id).fetch_all(pool).await?
        });
        let own = rows
            .into_iter()
            .map(|(org, path, text)| {
                let rules =
                    serde_json::from_str(&text).map_err(|_| StoreError::Corrupt("org_credit_rules.rules"))?;
                Ok((org, path, rules))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(RulesTree { tenant_id, own })
    }

    /// The credit rules in force at the organisation or member with `path`.
    pub async fn credit_rules_at(&self, tenant_id: Uuid, path: &str) -> Result<CreditRules, StoreError> {
        Ok(self.rules_tree(tenant_id).await?.at(path))
    }

    /// Sets an organisation's own credit rules (journaled). Below the root, every value
    /// must be within what the organisations above allow; a wider one is refused by field,
    /// nothing written.
    pub async fn set_credit_rules(
        &self,
        org_id: Uuid,
        rules: &CreditRules,
        act: &Act,
    ) -> Result<(), StoreError> {
        let o = self.placement(org_id).await?;
        if let Some(ceiling) = self.rules_tree(o.tenant_id).await?.above(o.id, &o.path) {
            rules.check_within(&ceiling)?;
        }
        let text = serde_json::to_string(rules).map_err(|_| StoreError::Corrupt("org_credit_rules.rules"))?;
        let change = Change {
            tenant_id: o.tenant_id,
            entity: "credit_rules",
            entity_id: Some(o.id),
            change: serde_json::json!(rules),
            rows: Vec::new(),
        };
        let at = act.at.as_millisecond();
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("INSERT INTO org_credit_rules (org_id, tenant_id, rules, updated_at) VALUES ($1, $2, $3, $4) \
                         ON CONFLICT (tenant_id, org_id) DO UPDATE SET rules = excluded.rules, updated_at = excluded.updated_at")
                .bind(o.id).bind(o.tenant_id).bind(&text).bind(at).execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Removes an organisation's own credit rules, so those above apply again (journaled);
    /// false when it had none.
    pub async fn clear_credit_rules(&self, org_id: Uuid, act: &Act) -> Result<bool, StoreError> {
        let o = self.org(org_id).await?;
        let change = Change {
            tenant_id: o.tenant_id,
            entity: "credit_rules",
            entity_id: Some(o.id),
            change: serde_json::json!(null),
            rows: Vec::new(),
        };
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query("DELETE FROM org_credit_rules WHERE org_id = $1").bind(o.id).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                tx.commit().await?;
                return Ok(false);
            }
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(true)
    }
}
