//! The tamper-evident journal: every write appends one entry — who, when, which route or
//! command, which entity, the change — chained by SHA-256 to the entry before it, one
//! chain per tenant (top organisation), so the head is never a global hotspot.
//!
//! An entry's hash covers a canonical encoding (each field length-prefixed, the change as
//! JSON with sorted keys) and the previous entry's hash. [`Store::verify_journal`]
//! recomputes every chain and names the first broken entry; [`Store::journal_heads`] gives
//! the head hashes to keep elsewhere, which also catches a rewritten tail.
//! Sensitive values never enter the journal: ID and phone numbers appear as keyed hashes.

use crate::error::StoreError;
use crate::{Store, on_db};
use jiff::Timestamp;
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::Row;
use uuid::Uuid;

/// Who does a write, through which route or command, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Act {
    /// The account or process (`local` for the loopback web user until accounts exist,
    /// `cli` for commands).
    pub actor: String,
    /// The route (`POST /api/v1/people`) or command (`pioneer demo`).
    pub action: String,
    /// When.
    pub at: Timestamp,
}

impl Act {
    /// An act.
    pub fn new(actor: impl Into<String>, action: impl Into<String>, at: Timestamp) -> Self {
        Self { actor: actor.into(), action: action.into(), at }
    }
}

/// What an entry says happened to one entity.
#[derive(Debug, Clone)]
pub struct Change {
    /// Tenant whose chain it joins.
    pub tenant_id: Uuid,
    /// Entity kind: `organization`, `person`, `people_batch`.
    pub entity: &'static str,
    /// Entity id.
    pub entity_id: Option<Uuid>,
    /// What changed (before/after), sensitive values as keyed hashes.
    pub change: Value,
    /// The rows of covered tables (`digest::COVERED`) the change wrote or deleted: their
    /// digests as they stand after it go into the entry.
    pub rows: Vec<(&'static str, Uuid)>,
}

impl Change {
    /// A change of `entity` that wrote no covered row (yet: add them with [`Change::row`]).
    pub fn new(tenant_id: Uuid, entity: &'static str, entity_id: Option<Uuid>, change: Value) -> Self {
        Self { tenant_id, entity, entity_id, change, rows: Vec::new() }
    }

    /// Records that the change wrote (or deleted) row `id` of `table`.
    pub fn row(mut self, table: &'static str, id: Uuid) -> Self {
        self.rows.push((table, id));
        self
    }
}

/// The `prev_hash` of a chain's first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hash of one entry over its canonical encoding.
#[expect(clippy::too_many_arguments, reason = "every field of the entry is hashed")]
pub fn entry_hash(
    tenant_id: Uuid,
    seq: i64,
    at_ms: i64,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: Option<Uuid>,
    change: &str,
    prev_hash: &str,
    row_digests: &str,
) -> String {
    let mut h = Sha256::new();
    let mut field = |bytes: &[u8]| {
        h.update((bytes.len() as u64).to_be_bytes());
        h.update(bytes);
    };
    field(b"pioneer-journal-v1");
    field(tenant_id.as_bytes());
    field(&seq.to_be_bytes());
    field(&at_ms.to_be_bytes());
    field(actor.as_bytes());
    field(action.as_bytes());
    field(entity.as_bytes());
    field(entity_id.map(|u| u.into_bytes()).as_ref().map_or(&[][..], |b| &b[..]));
    field(change.as_bytes());
    field(prev_hash.as_bytes());
    // Entries from before row digests existed end at the previous hash.
    if !row_digests.is_empty() {
        field(row_digests.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Appends one entry inside the open transaction `$tx` of store `$store`: digests the rows
/// the change names, reads the tenant's head, links to it, authenticates the entry under the
/// journal key, and moves the head with a compare-and-set (a concurrent writer on
/// PostgreSQL makes the loop read the new head; SQLite's `BEGIN IMMEDIATE` serialises
/// writers).
macro_rules! journal_append {
    ($tx:ident, $store:expr, $act:expr, $change:expr) => {{
        let act: &$crate::journal::Act = $act;
        let c: &$crate::journal::Change = $change;
        let change_text = c.change.to_string();
        let row_digests =
            $crate::digest::RowDigests::row_digests(&mut *$tx, c.tenant_id, &c.rows).await?;
        let mut attempts = 0;
        loop {
            attempts += 1;
            if attempts > 50 {
                break Err($crate::StoreError::Contention);
            }
            let head: Option<(i64, String)> =
                sqlx::query_as("SELECT seq, hash FROM journal_heads WHERE tenant_id = $1")
                    .bind(c.tenant_id)
                    .fetch_optional(&mut *$tx)
                    .await?;
            let (seq, prev) = match &head {
                Some((s, h)) => (s + 1, h.clone()),
                None => (1, $crate::journal::GENESIS.to_owned()),
            };
            let at = act.at.as_millisecond();
            let hash = $crate::journal::entry_hash(
                c.tenant_id, seq, at, &act.actor, &act.action, c.entity, c.entity_id, &change_text, &prev,
                &row_digests,
            );
            let (mac_key, mac) = match $store.vault.journal_mac(c.tenant_id, seq, &hash) {
                Some((k, m)) => (Some(k), Some(m)),
                None => (None, None),
            };
            let moved = match &head {
                Some((s, _)) => sqlx::query("UPDATE journal_heads SET seq = $2, hash = $3 WHERE tenant_id = $1 AND seq = $4")
                    .bind(c.tenant_id)
                    .bind(seq)
                    .bind(&hash)
                    .bind(*s)
                    .execute(&mut *$tx)
                    .await?
                    .rows_affected(),
                None => sqlx::query("INSERT INTO journal_heads (tenant_id, seq, hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                    .bind(c.tenant_id)
                    .bind(seq)
                    .bind(&hash)
                    .execute(&mut *$tx)
                    .await?
                    .rows_affected(),
            };
            if moved == 0 {
                continue;
            }
            sqlx::query(
                "INSERT INTO journal (tenant_id, seq, at, actor, action, entity, entity_id, change, prev_hash, hash, \
                 row_digests, mac_key, mac) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            )
            .bind(c.tenant_id)
            .bind(seq)
            .bind(at)
            .bind(&act.actor)
            .bind(&act.action)
            .bind(c.entity)
            .bind(c.entity_id)
            .bind(&change_text)
            .bind(&prev)
            .bind(&hash)
            .bind(&row_digests)
            .bind(mac_key)
            .bind(&mac)
            .execute(&mut *$tx)
            .await?;
            break Ok::<(), $crate::StoreError>(());
        }
    }};
}
pub(crate) use journal_append;

/// Where a chain broke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    /// The chain.
    pub tenant_id: Uuid,
    /// The first entry that does not verify.
    pub seq: i64,
    /// Why.
    pub reason: String,
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "chain {} breaks at entry {}: {}", self.tenant_id, self.seq, self.reason)
    }
}

/// The result of verifying every chain.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verification {
    /// Entries checked.
    pub entries: u64,
    /// Chains checked.
    pub chains: u64,
    /// The first break, if any.
    pub broken: Option<Break>,
}

/// The head of one chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    /// The chain.
    pub tenant_id: Uuid,
    /// Entries in it.
    pub seq: i64,
    /// The last entry's hash.
    pub hash: String,
}

/// Entries verified a query: few, as a bulk entry carries up to 10,000 row digests (about 1 MB).
const PAGE: i64 = 64;

impl Store {
    /// The head of every chain.
    pub async fn journal_heads(&self) -> Result<Vec<Head>, StoreError> {
        let rows: Vec<(Uuid, i64, String)> = on_db!(self.db(), pool => {
            sqlx::query_as("SELECT tenant_id, seq, hash FROM journal_heads ORDER BY tenant_id").fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(|(tenant_id, seq, hash)| Head { tenant_id, seq, hash }).collect())
    }

    /// Recomputes every chain. With `expected` heads (kept elsewhere), a chain whose tail
    /// was cut or rewritten is caught too.
    pub async fn verify_journal(&self, expected: &[Head]) -> Result<Verification, StoreError> {
        let heads = self.journal_heads().await?;
        let mut out = Verification::default();
        let mut tenants: Vec<Uuid> = on_db!(self.db(), pool => {
            sqlx::query_scalar("SELECT DISTINCT tenant_id FROM journal").fetch_all(pool).await?
        });
        for h in &heads {
            if !tenants.contains(&h.tenant_id) {
                tenants.push(h.tenant_id);
            }
        }
        tenants.sort();
        for tenant in tenants {
            out.chains += 1;
            let head = heads.iter().find(|h| h.tenant_id == tenant);
            if let Some(b) = self.verify_chain(tenant, head, &mut out.entries, true).await? {
                out.broken = Some(b);
                return Ok(out);
            }
        }
        for e in expected {
            let now = heads.iter().find(|h| h.tenant_id == e.tenant_id);
            let ok = match now {
                Some(h) if h.seq == e.seq => h.hash == e.hash,
                Some(h) if h.seq > e.seq => {
                    self.hash_at(e.tenant_id, e.seq).await?.as_deref() == Some(e.hash.as_str())
                }
                _ => false,
            };
            if !ok {
                out.broken = Some(Break {
                    tenant_id: e.tenant_id,
                    seq: e.seq,
                    reason: "does not match the head kept elsewhere (entries were cut or rewritten)".into(),
                });
                return Ok(out);
            }
        }
        Ok(out)
    }

    async fn hash_at(&self, tenant: Uuid, seq: i64) -> Result<Option<String>, StoreError> {
        Ok(on_db!(self.db(), pool => {
            sqlx::query_scalar("SELECT hash FROM journal WHERE tenant_id = $1 AND seq = $2")
                .bind(tenant).bind(seq).fetch_optional(pool).await?
        }))
    }

    /// Recomputes one chain; with `authenticated`, each entry's code must verify under the
    /// journal key too (without, only the hashes and links: before sealing old entries).
    pub(crate) async fn verify_chain(
        &self,
        tenant: Uuid,
        head: Option<&Head>,
        entries: &mut u64,
        authenticated: bool,
    ) -> Result<Option<Break>, StoreError> {
        let broken =
            |seq, reason: &str| Ok(Some(Break { tenant_id: tenant, seq, reason: reason.to_owned() }));
        let mut expected_seq = 1i64;
        let mut prev = GENESIS.to_owned();
        loop {
            let rows = on_db!(self.db(), pool => {
                let rows = sqlx::query(
                    "SELECT seq, at, actor, action, entity, entity_id, change, prev_hash, hash, row_digests, mac_key, mac FROM journal \
                     WHERE tenant_id = $1 AND seq >= $2 ORDER BY seq LIMIT $3",
                )
                .bind(tenant)
                .bind(expected_seq)
                .bind(PAGE)
                .fetch_all(pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        Ok::<_, StoreError>((
                            r.try_get::<i64, _>("seq")?,
                            r.try_get::<i64, _>("at")?,
                            r.try_get::<String, _>("actor")?,
                            r.try_get::<String, _>("action")?,
                            r.try_get::<String, _>("entity")?,
                            r.try_get::<Option<Uuid>, _>("entity_id")?,
                            r.try_get::<String, _>("change")?,
                            r.try_get::<String, _>("prev_hash")?,
                            r.try_get::<String, _>("hash")?,
                            r.try_get::<String, _>("row_digests")?,
                            r.try_get::<Option<i64>, _>("mac_key")?,
                            r.try_get::<Option<String>, _>("mac")?,
                        ))
                    })
                    .collect::<Result<Vec<_>, _>>()?
            });
            let n = rows.len();
            for (seq, at, actor, action, entity, entity_id, change, prev_hash, hash, digests, mac_key, mac) in
                rows
            {
                if seq != expected_seq {
                    return broken(expected_seq, "entry missing (the sequence has a gap)");
                }
                if prev_hash != prev {
                    return broken(seq, "does not link to the entry before it");
                }
                let again = entry_hash(
                    tenant, seq, at, &actor, &action, &entity, entity_id, &change, &prev_hash, &digests,
                );
                if again != hash {
                    return broken(seq, "its content does not match its hash (altered)");
                }
                match (mac_key, mac) {
                    _ if !authenticated => {}
                    (Some(k), Some(m)) if self.vault.journal_mac_ok(k, tenant, seq, &hash, &m) => {}
                    (Some(_), Some(_)) => {
                        return broken(
                            seq,
                            "its authentication code does not match (written or rewritten without the journal key)",
                        );
                    }
                    _ => {
                        return broken(
                            seq,
                            "it carries no authentication code (written without the journal key)",
                        );
                    }
                }
                *entries += 1;
                self.count(1);
                prev = hash;
                expected_seq += 1;
            }
            if n < usize::try_from(PAGE).unwrap_or(usize::MAX) {
                break;
            }
        }
        match head {
            Some(h) if h.seq == expected_seq - 1 && h.hash == prev => Ok(None),
            Some(h) if h.seq > expected_seq - 1 => {
                broken(expected_seq, "entries after it were removed (the head is further on)")
            }
            Some(_) => broken(expected_seq - 1, "the chain does not end at its recorded head"),
            None if expected_seq == 1 => Ok(None),
            None => broken(1, "the chain has no recorded head"),
        }
    }
}

/// A person's fields for the journal: ID and phone numbers only as keyed hashes.
pub fn person_change(f: &pioneer_domain::people::PersonFields, vault: &crate::Vault) -> Value {
    let d = |x: Option<jiff::civil::Date>| x.map(|d| d.to_string());
    serde_json::json!({
        "name": f.name,
        "gender": f.gender.code(),
        "birth_date": f.birth_date.to_string(),
        "ethnicity": f.ethnicity,
        "education": f.education.code(),
        "worker_category": f.worker_category.code(),
        "employer": f.employer,
        "station": f.station,
        "id_card_hash": hex::encode(&vault.index("id_card", f.id_card.as_str())[..16]),
        "phone_hash": f.phone.as_ref().map(|p| hex::encode(&vault.index("phone", p.as_str())[..16])),
        "status": f.status.code(),
        "org_id": f.org_id,
        "is_mobile": f.is_mobile,
        "home_organization": f.home_organization,
        "is_backbone": f.is_backbone,
        "is_key_position": f.is_key_position,
        "applied_on": d(f.dates.applied_on),
        "activist_on": d(f.dates.activist_on),
        "target_on": d(f.dates.target_on),
        "admitted_on": d(f.dates.admitted_on),
        "full_member_on": d(f.dates.full_member_on),
    })
}

/// An organisation's fields for the journal.
pub fn org_change(f: &pioneer_domain::orgs::OrgFields) -> Value {
    serde_json::json!({
        "name": f.name,
        "kind": f.kind.code(),
        "approval_authority": f.approval_authority,
        "temporary": f.temporary,
        "enterprise": f.enterprise,
        "station": f.station,
        "address": f.address,
    })
}

/// One journal entry as stored (for the auditor's page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The chain (tenant) it belongs to.
    pub tenant_id: Uuid,
    /// Its place in the chain.
    pub seq: i64,
    /// When (ms).
    pub at: i64,
    /// Who.
    pub actor: String,
    /// Route or command.
    pub action: String,
    /// Entity kind.
    pub entity: String,
    /// Entity id.
    pub entity_id: Option<Uuid>,
}

/// What the auditor narrows the journal to; every part optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JournalFilter {
    /// Only these chains (None: every chain).
    pub tenants: Option<Vec<Uuid>>,
    /// From this moment (ms, inclusive).
    pub from_ms: Option<i64>,
    /// Before this moment (ms, exclusive).
    pub until_ms: Option<i64>,
    /// This account (or `cli`) exactly.
    pub actor: Option<String>,
    /// Actions (routes or commands) beginning with one of these (`GET `, `POST `).
    pub action_prefixes: Vec<String>,
    /// Actions beginning with none of these.
    pub not_action_prefixes: Vec<String>,
    /// This entity kind exactly.
    pub entity: Option<String>,
}

/// A page of journal entries, newest first, with how many match (up to a cap).
#[derive(Debug, Clone)]
pub struct JournalPage {
    /// The entries.
    pub entries: Vec<Entry>,
    /// Matches, counted up to [`JOURNAL_COUNT_CAP`].
    pub total: u64,
    /// More than the cap match.
    pub total_capped: bool,
}

/// The most matches a journal page counts.
pub const JOURNAL_COUNT_CAP: u64 = 100_000;

type EntryRow = (Uuid, i64, i64, String, String, String, Option<Uuid>);

impl Store {
    /// The latest `n` entries across chains, newest first.
    pub async fn latest_journal(&self, n: i64) -> Result<Vec<Entry>, StoreError> {
        Ok(self.journal_page(&JournalFilter::default(), 1, n.clamp(1, 50_000) as u32).await?.entries)
    }

    /// Page `page` (1-based) of the entries `f` matches, `per_page` (at most 50,000) a
    /// page, newest first.
    pub async fn journal_page(
        &self,
        f: &JournalFilter,
        page: u32,
        per_page: u32,
    ) -> Result<JournalPage, StoreError> {
        enum P {
            Int(i64),
            Text(String),
            Id(Uuid),
        }
        let mut cond: Vec<String> = Vec::new();
        let mut params: Vec<P> = Vec::new();
        // Each `?` in `sql` takes the next of `ps`, numbered after those already given.
        let mut add_all = |sql: &str, ps: Vec<P>, cond: &mut Vec<String>| {
            let mut out = String::new();
            let mut parts = sql.split('?');
            out.push_str(parts.next().unwrap_or_default());
            for (part, p) in parts.zip(ps) {
                params.push(p);
                out.push_str(&format!("${}{part}", params.len()));
            }
            cond.push(out);
        };
        if let Some(tenants) = &f.tenants {
            if tenants.is_empty() {
                cond.push("1 = 0".into());
            }
            let mut any = Vec::new();
            for t in tenants {
                add_all("tenant_id = ?", vec![P::Id(*t)], &mut any);
            }
            if !any.is_empty() {
                cond.push(format!("({})", any.join(" OR ")));
            }
        }
        if let Some(ms) = f.from_ms {
            add_all("at >= ?", vec![P::Int(ms)], &mut cond);
        }
        if let Some(ms) = f.until_ms {
            add_all("at < ?", vec![P::Int(ms)], &mut cond);
        }
        if let Some(a) = &f.actor {
            add_all("actor = ?", vec![P::Text(a.clone())], &mut cond);
        }
        // `substr`, not a range or LIKE: text order follows the database's collation, and a
        // prefix may hold `%` or `_`.
        let mut prefixes = Vec::new();
        for p in &f.action_prefixes {
            let sql = format!("substr(action, 1, {}) = ?", p.chars().count());
            add_all(&sql, vec![P::Text(p.clone())], &mut prefixes);
        }
        if !prefixes.is_empty() {
            cond.push(format!("({})", prefixes.join(" OR ")));
        }
        for p in &f.not_action_prefixes {
            let sql = format!("substr(action, 1, {}) <> ?", p.chars().count());
            add_all(&sql, vec![P::Text(p.clone())], &mut cond);
        }
        if let Some(e) = &f.entity {
            add_all("entity = ?", vec![P::Text(e.clone())], &mut cond);
        }
        let where_sql = if cond.is_empty() { String::new() } else { format!("WHERE {}", cond.join(" AND ")) };
        let per_page = per_page.clamp(1, 50_000);
        let offset = i64::from(page.max(1) - 1) * i64::from(per_page);
        let list_sql = format!(
            "SELECT tenant_id, seq, at, actor, action, entity, entity_id FROM journal {where_sql} \
             ORDER BY at DESC, seq DESC LIMIT {per_page} OFFSET {offset}"
        );
        let count_sql = format!(
            "SELECT COUNT(*) FROM (SELECT 1 FROM journal {where_sql} LIMIT {}) AS c",
            JOURNAL_COUNT_CAP + 1
        );
        let (rows, total): (Vec<EntryRow>, i64) = on_db!(self.db(), pool => {
            let mut q = sqlx::query_as::<_, EntryRow>(sqlx::AssertSqlSafe(list_sql));
            let mut c = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(count_sql));
            for p in &params {
                match p {
                    P::Int(n) => { q = q.bind(*n); c = c.bind(*n); }
                    P::Text(s) => { q = q.bind(s.clone()); c = c.bind(s.clone()); }
                    P::Id(u) => { q = q.bind(*u); c = c.bind(*u); }
                }
            }
            (q.fetch_all(pool).await?, c.fetch_one(pool).await?)
        });
        let total = u64::try_from(total).unwrap_or(0);
        Ok(JournalPage {
            entries: rows
                .into_iter()
                .map(|(tenant_id, seq, at, actor, action, entity, entity_id)| Entry {
                    tenant_id,
                    seq,
                    at,
                    actor,
                    action,
                    entity,
                    entity_id,
                })
                .collect(),
            total: total.min(JOURNAL_COUNT_CAP),
            total_capped: total > JOURNAL_COUNT_CAP,
        })
    }

    /// The entity kinds the journal holds, for the auditor's filter.
    pub async fn journal_entities(&self) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> = on_db!(self.db(), pool => {
            sqlx::query_as("SELECT DISTINCT entity FROM journal ORDER BY entity").fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(|(e,)| e).collect())
    }

    /// Journals an event that changes no row (viewing unmasked numbers, for example).
    pub async fn journal_event(&self, change: &Change, act: &Act) -> Result<(), StoreError> {
        on_db!(self.db(), pool => {
            let mut tx = crate::db::BeginWrite::begin_write(pool).await?;
            journal_append!(tx, self, act, change)?;
            tx.commit().await?;
        });
        Ok(())
    }
}
