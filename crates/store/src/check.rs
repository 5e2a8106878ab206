//! `pioneer check`: the live rows reconciled with the journal and the invariants between
//! tables, every difference listed by table and id.
//!
//! Rows: each row of a covered table (`digest::COVERED`) must equal the digest of the last
//! journal entry that wrote it; a row no entry wrote, a row the journal says was deleted,
//! and a journaled row that is gone are differences too. Memory stays bounded: the journal's
//! digests go into a temporary table of the same database (one pass over the journal, 16
//! entries at a time), then each table is read once in key order, a page at a time, beside
//! the digests of the page's key range.
//!
//! Invariants: a credit balance equals the sum of its ledger; every ledger entry has its
//! account; a benefit's stock equals its initial stock minus its redemptions; a shift's
//! places taken, volunteers on shift and minutes confirmed equal its sign-ups'; a dossier's
//! compact form equals its event rows; a person who left is a non-member, and a person's
//! status is not behind what their dossier has reached.

use crate::development::dossiers::{fields_json, status_binds};
use crate::digest::{COVERED, DELETED, DigestRow};
use crate::error::StoreError;
use crate::{Store, on_db};
use pioneer_domain::development::dossier;
use sqlx::Row;
use std::collections::HashMap;
use uuid::Uuid;

/// The most differences a report lists (all are counted).
pub const LISTED: usize = 1_000;

const PAGE: i64 = 2_000;

/// One difference found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Difference {
    /// The table.
    pub table: String,
    /// The row's id (for a credit account, the member's).
    pub id: Uuid,
    /// What is wrong, in English.
    pub what: String,
    /// What is wrong, in Chinese.
    pub zh: String,
}

/// What `check` found.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct CheckReport {
    /// Rows of covered tables compared with the journal.
    pub rows: u64,
    /// Dossiers compared with their events.
    pub dossiers: u64,
    /// Differences found (all of them).
    pub found: u64,
    /// The first [`LISTED`] differences.
    pub differences: Vec<Difference>,
}

impl CheckReport {
    fn add(&mut self, table: &str, id: Uuid, what: &str, zh: &str) {
        self.found += 1;
        if self.differences.len() < LISTED {
            self.differences.push(Difference {
                table: table.to_owned(),
                id,
                what: what.to_owned(),
                zh: zh.to_owned(),
            });
        }
    }

    /// True when nothing differs.
    pub fn clean(&self) -> bool {
        self.found == 0
    }
}

/// A live row against the journal's last digest of it (None: no entry wrote it).
fn compare(report: &mut CheckReport, table: &str, id: Uuid, live: &str, journaled: Option<String>) {
    match journaled.as_deref() {
        None => report.add(
            table,
            id,
            "no journal entry wrote this row (added outside pioneer)",
            "没有日志记录写过这一行（在先锋之外添加）",
        ),
        Some(DELETED) => report.add(
            table,
            id,
            "the journal says this row was deleted, yet it is here",
            "日志记载这一行已删除，但它仍在",
        ),
        Some(d) if d != live => report.add(
            table,
            id,
            "differs from the state its last journal entry wrote (changed outside pioneer)",
            "与最后一条日志记录写入的状态不同（在先锋之外被修改）",
        ),
        Some(_) => {}
    }
}

impl Store {
    /// Journals the digests of every covered row as it stands (entries `row_baseline`, at
    /// most 10,000 rows each): done once, when a deployment from before row digests gains
    /// its journal key, so `check` then holds its rows to that state. Returns the rows.
    pub async fn baseline_rows(&self, act: &crate::Act) -> Result<u64, StoreError> {
        let mut n = 0u64;
        for tenant in self.tenants().await? {
            for c in COVERED {
                let mut after = Uuid::nil();
                loop {
                    let sql = format!(
                        "SELECT {key} FROM {table} WHERE tenant_id = $1 AND {key} > $2 ORDER BY {key} LIMIT 10000",
                        key = c.key,
                        table = c.table
                    );
                    let ids: Vec<Uuid> = on_db!(self.db(), pool => {
                        sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(tenant).bind(after).fetch_all(pool).await?
                    });
                    let Some(last) = ids.last() else { break };
                    after = *last;
                    n += ids.len() as u64;
                    let change = crate::journal::Change::new(
                        tenant,
                        "row_baseline",
                        None,
                        serde_json::json!({ "table": c.table, "rows": ids.len() }),
                    );
                    let change = crate::journal::Change {
                        rows: ids.iter().map(|id| (c.table, *id)).collect(),
                        ..change
                    };
                    self.journal_event(&change, act).await?;
                }
            }
        }
        Ok(n)
    }

    /// Reconciles every covered row with the journal and checks the invariants.
    pub async fn check(&self) -> Result<CheckReport, StoreError> {
        let mut report = CheckReport::default();
        self.check_rows(&mut report).await?;
        self.check_ledgers(&mut report).await?;
        self.check_stock(&mut report).await?;
        self.check_shifts(&mut report).await?;
        self.check_dossiers(&mut report).await?;
        Ok(report)
    }

    async fn tenants(&self) -> Result<Vec<Uuid>, StoreError> {
        Ok(on_db!(self.db(), pool => {
            sqlx::query_scalar("SELECT DISTINCT tenant_id FROM organizations ORDER BY tenant_id").fetch_all(pool).await?
        }))
    }

    /// Every covered row against the journal's last digest of it: the digests go into a
    /// temporary table (one pass over the journal, a page of entries at a time), then each
    /// table is read once in key order beside the digests of the same key range.
    async fn check_rows(&self, report: &mut CheckReport) -> Result<(), StoreError> {
        let tenants = self.tenants().await?;
        let mut chains: Vec<Uuid> = self.journal_heads().await?.into_iter().map(|h| h.tenant_id).collect();
        for t in &tenants {
            if !chains.contains(t) {
                chains.push(*t);
            }
        }
        let sqlite = self.db().backend() == crate::Backend::Sqlite;
        // On SQLite a database file of its own in the temporary folder (the connection keeps
        // temporary tables in memory), removed afterwards; on PostgreSQL a temporary table.
        let scratch = std::env::temp_dir().join(format!("pioneer-check-{}.sqlite3", Uuid::now_v7().simple()));
        let digests = if sqlite { "checkdb.check_digests" } else { "check_digests" };
        let create = if sqlite {
            "CREATE TABLE checkdb.check_digests (tbl BIGINT NOT NULL, id BLOB NOT NULL, tenant_id BLOB NOT NULL, \
             digest TEXT NOT NULL, PRIMARY KEY (tbl, id))"
        } else {
            "CREATE TEMP TABLE check_digests (tbl BIGINT NOT NULL, id UUID NOT NULL, tenant_id UUID NOT NULL, \
             digest TEXT NOT NULL, PRIMARY KEY (tbl, id))"
        };
        on_db!(self.db(), pool => {
            let mut conn = pool.acquire().await?;
            if sqlite {
                sqlx::query("ATTACH DATABASE $1 AS checkdb").bind(scratch.display().to_string()).execute(&mut *conn).await?;
                sqlx::query("PRAGMA checkdb.journal_mode = OFF").execute(&mut *conn).await?;
                sqlx::query("PRAGMA checkdb.synchronous = OFF").execute(&mut *conn).await?;
            } else {
                // One transaction holds the scratch table and every read (one snapshot; and
                // through a pooler in transaction mode, one server connection throughout).
                sqlx::query("BEGIN ISOLATION LEVEL REPEATABLE READ").execute(&mut *conn).await?;
            }
            sqlx::query(create).execute(&mut *conn).await?;
            let result = async {
                // 1. The journal's digests, the latest of each row winning.
                let mut batch: HashMap<(i64, Uuid), (Uuid, String)> = HashMap::new();
                macro_rules! flush {
                    () => {{
                        if !batch.is_empty() {
                            let sql = format!(
                                "INSERT INTO {digests} (tbl, id, tenant_id, digest) VALUES {} \
                                 ON CONFLICT (tbl, id) DO UPDATE SET digest = excluded.digest",
                                crate::db::value_rows(sqlite, 4, batch.len())
                            );
                            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                            for ((t, id), (tenant, d)) in batch.drain() {
                                q = q.bind(t).bind(id).bind(tenant).bind(d);
                            }
                            q.execute(&mut *conn).await?;
                        }
                    }};
                }
                for tenant in &chains {
                    let mut after = 0i64;
                    loop {
                        let rows: Vec<(i64, String)> = sqlx::query_as(
                            "SELECT seq, row_digests FROM journal WHERE tenant_id = $1 AND seq > $2 AND row_digests <> '' \
                             ORDER BY seq LIMIT 16",
                        )
                        .bind(tenant)
                        .bind(after)
                        .fetch_all(&mut *conn)
                        .await?;
                        let n = rows.len();
                        for (seq, text) in rows {
                            after = seq;
                            let list = crate::digest::parse(&text).ok_or(StoreError::Corrupt("journal.row_digests"))?;
                            for (table, id, d) in list {
                                let Some(t) = COVERED.iter().position(|c| c.table == table) else { continue };
                                batch.insert((t as i64, id), (*tenant, d));
                                if batch.len() >= 500 {
                                    flush!();
                                }
                            }
                        }
                        if n < 16 {
                            break;
                        }
                    }
                }
                flush!();
                // 2. Each table in key order, a page at a time, beside the digests of the
                // page's key range (from just after the page before to its last key).
                for (t, c) in COVERED.iter().enumerate() {
                    for tenant in &tenants {
                        let mut after = Uuid::nil();
                        loop {
                            let sql = format!(
                                "SELECT * FROM {table} WHERE tenant_id = $1 AND {key} > $2 ORDER BY {key} LIMIT {PAGE}",
                                table = c.table,
                                key = c.key
                            );
                            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(tenant).bind(after).fetch_all(&mut *conn).await?;
                            let mut live = Vec::with_capacity(rows.len());
                            for r in &rows {
                                live.push((r.try_get::<Uuid, _>(c.key)?, r.digest()?));
                            }
                            let full = rows.len() == PAGE as usize;
                            drop(rows);
                            let last = live.last().map(|l| l.0).filter(|_| full);
                            let range = if last.is_some() { "AND id > $3 AND id <= $4" } else { "AND id > $3" };
                            let sql = format!("SELECT id, digest FROM {digests} WHERE tbl = $1 AND tenant_id = $2 {range}");
                            let mut q = sqlx::query_as::<_, (Uuid, String)>(sqlx::AssertSqlSafe(sql)).bind(t as i64).bind(tenant).bind(after);
                            if let Some(l) = last {
                                q = q.bind(l);
                            }
                            let mut journaled: HashMap<Uuid, String> = q.fetch_all(&mut *conn).await?.into_iter().collect();
                            for (id, digest) in live {
                                report.rows += 1;
                                self.count(1);
                                compare(report, c.table, id, &digest, journaled.remove(&id));
                            }
                            let mut gone: Vec<Uuid> =
                                journaled.into_iter().filter(|(_, d)| d != DELETED).map(|(id, _)| id).collect();
                            gone.sort_unstable();
                            for id in gone {
                                report.add(
                                    c.table,
                                    id,
                                    "the journal wrote this row, but it is gone (deleted outside pioneer)",
                                    "日志写过这一行，但它已不在（在先锋之外被删除）",
                                );
                            }
                            match last {
                                Some(l) => after = l,
                                None => break,
                            }
                        }
                    }
                }
                Ok::<(), StoreError>(())
            }
            .await;
            if sqlite {
                let _ = sqlx::query("DETACH DATABASE checkdb").execute(&mut *conn).await;
                let _ = std::fs::remove_file(&scratch);
            } else {
                // Nothing to keep: the scratch table goes with the transaction.
                let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
            }
            result?;
        });
        Ok(())
    }

    async fn check_ledgers(&self, report: &mut CheckReport) -> Result<(), StoreError> {
        let (off, orphans): (Vec<(Uuid, i64, i64)>, Vec<Uuid>) = on_db!(self.db(), pool => {
            let off = sqlx::query_as(
                "SELECT a.member_id, a.balance, COALESCE(s.total, 0) FROM credit_accounts a \
                 LEFT JOIN (SELECT tenant_id, member_id, CAST(SUM(amount) AS BIGINT) AS total FROM credit_entries GROUP BY tenant_id, member_id) s \
                 ON s.tenant_id = a.tenant_id AND s.member_id = a.member_id \
                 WHERE a.balance <> COALESCE(s.total, 0) ORDER BY a.member_id",
            )
            .fetch_all(pool)
            .await?;
            let orphans = sqlx::query_scalar(
                "SELECT e.id FROM credit_entries e LEFT JOIN credit_accounts a \
                 ON a.tenant_id = e.tenant_id AND a.member_id = e.member_id WHERE a.member_id IS NULL ORDER BY e.id",
            )
            .fetch_all(pool)
            .await?;
            (off, orphans)
        });
        for (member, balance, total) in off {
            report.add(
                "credit_accounts",
                member,
                &format!("balance {balance} is not the sum of its ledger ({total})"),
                &format!("余额 {balance} 不等于其账目之和（{total}）"),
            );
        }
        for id in orphans {
            report.add("credit_entries", id, "a ledger entry without its account", "账目没有对应的积分账户");
        }
        Ok(())
    }

    async fn check_stock(&self, report: &mut CheckReport) -> Result<(), StoreError> {
        let off: Vec<(Uuid, i64, i64, i64)> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT b.id, b.stock, b.initial_stock, COUNT(r.id) FROM care_benefits b \
                 LEFT JOIN care_redemptions r ON r.tenant_id = b.tenant_id AND r.benefit_id = b.id \
                 GROUP BY b.tenant_id, b.id, b.stock, b.initial_stock \
                 HAVING b.stock <> b.initial_stock - COUNT(r.id) ORDER BY b.id",
            )
            .fetch_all(pool)
            .await?
        });
        for (id, stock, initial, taken) in off {
            report.add(
                "care_benefits",
                id,
                &format!("stock {stock} is not the initial {initial} minus {taken} redemptions"),
                &format!("库存 {stock} 不等于初始库存 {initial} 减去 {taken} 次兑换"),
            );
        }
        Ok(())
    }

    /// Each shift's running figures against its sign-ups: places taken, volunteers on
    /// shift now, minutes confirmed.
    async fn check_shifts(&self, report: &mut CheckReport) -> Result<(), StoreError> {
        type Off = (Uuid, i64, i64, i64, i64, i64, i64);
        let off: Vec<Off> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT s.id, s.taken, s.on_shift, s.minutes_confirmed, COUNT(g.person_id), \
                 COALESCE(CAST(SUM(CASE WHEN g.checked_in_at IS NOT NULL AND g.checked_out_at IS NULL THEN 1 ELSE 0 END) AS BIGINT), 0), \
                 COALESCE(CAST(SUM(CASE WHEN g.confirmed_at IS NOT NULL THEN COALESCE(g.minutes, 0) ELSE 0 END) AS BIGINT), 0) \
                 FROM shifts s LEFT JOIN shift_signups g ON g.tenant_id = s.tenant_id AND g.shift_id = s.id \
                 GROUP BY s.tenant_id, s.id, s.taken, s.on_shift, s.minutes_confirmed \
                 HAVING s.taken <> COUNT(g.person_id) \
                 OR s.on_shift <> COALESCE(CAST(SUM(CASE WHEN g.checked_in_at IS NOT NULL AND g.checked_out_at IS NULL THEN 1 ELSE 0 END) AS BIGINT), 0) \
                 OR s.minutes_confirmed <> COALESCE(CAST(SUM(CASE WHEN g.confirmed_at IS NOT NULL THEN COALESCE(g.minutes, 0) ELSE 0 END) AS BIGINT), 0) \
                 ORDER BY s.id",
            )
            .fetch_all(pool)
            .await?
        });
        for (id, taken, on, minutes, signed, on_now, confirmed) in off {
            report.add(
                "shifts",
                id,
                &format!(
                    "counts {taken} taken, {on} on shift, {minutes} minutes; its sign-ups give {signed}, {on_now}, {confirmed}"
                ),
                &format!("班次记为已报名 {taken}、在岗 {on}、确认 {minutes} 分钟；按报名记录应为 {signed}、{on_now}、{confirmed}"),
            );
        }
        Ok(())
    }

    /// Each dossier's compact form against its event rows, and its person's status against
    /// it and their departure, a page of dossiers at a time.
    async fn check_dossiers(&self, report: &mut CheckReport) -> Result<(), StoreError> {
        for tenant in self.tenants().await? {
            let mut after = Uuid::nil();
            loop {
                let (dossiers, events, people) = self.dossier_page(tenant, after).await?;
                let n = dossiers.len();
                for (id, person, encoded, count) in dossiers {
                    after = id;
                    report.dossiers += 1;
                    let Ok(decoded) = dossier::decode(&encoded) else {
                        report.add("dossiers", id, "its compact form does not decode", "其紧凑形式无法解码");
                        continue;
                    };
                    let rows = events.get(&id).map(Vec::as_slice).unwrap_or_default();
                    let same = decoded.len() == rows.len()
                        && decoded.iter().zip(rows).all(|(e, r)| {
                            (
                                i64::from(e.seq),
                                e.kind.code(),
                                e.on.to_string(),
                                e.corrects.map(i64::from),
                                e.backfill,
                            ) == (r.0, r.1.as_str(), r.2.clone(), r.3, r.4)
                                && fields_json(&e.fields) == r.5
                        });
                    if !same {
                        report.add(
                            "dossiers",
                            id,
                            "its compact form differs from its event rows",
                            "其紧凑形式与其事件记录不一致",
                        );
                    }
                    if usize::try_from(count).ok() != Some(decoded.len()) {
                        report.add("dossiers", id, "its event count is wrong", "其事件数不对");
                    }
                    let Some((status, left)) = people.get(&person) else { continue };
                    let d = dossier::Dossier { birth_date: None, mobile: false, events: decoded };
                    let (reached, _, _) = status_binds(&d);
                    if *left && status != "non_member" {
                        report.add(
                            "people",
                            person,
                            "recorded as having left, yet not a non-member",
                            "已记录出党或离开，但身份不是非党员",
                        );
                    } else if !*left && status_rank(status) < reached {
                        report.add(
                            "people",
                            person,
                            "their status is behind what their dossier has reached",
                            "其身份落后于其发展档案已到达的阶段",
                        );
                    }
                }
                if n < PAGE as usize {
                    break;
                }
            }
        }
        let left: Vec<Uuid> = on_db!(self.db(), pool => {
            sqlx::query_scalar(
                "SELECT p.id FROM people p JOIN departures d ON d.tenant_id = p.tenant_id AND d.person_id = p.id \
                 WHERE p.status <> 'non_member' AND NOT EXISTS \
                 (SELECT 1 FROM dossiers x WHERE x.tenant_id = p.tenant_id AND x.person_id = p.id) ORDER BY p.id",
            )
            .fetch_all(pool)
            .await?
        });
        for id in left {
            report.add(
                "people",
                id,
                "recorded as having left, yet not a non-member",
                "已记录出党或离开，但身份不是非党员",
            );
        }
        Ok(())
    }

    #[expect(clippy::type_complexity, reason = "one page of three joined reads")]
    async fn dossier_page(
        &self,
        tenant: Uuid,
        after: Uuid,
    ) -> Result<
        (
            Vec<(Uuid, Uuid, String, i64)>,
            HashMap<Uuid, Vec<(i64, String, String, Option<i64>, bool, String)>>,
            HashMap<Uuid, (String, bool)>,
        ),
        StoreError,
    > {
        Ok(on_db!(self.db(), pool => {
            let dossiers: Vec<(Uuid, Uuid, String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT id, person_id, encoded, event_count FROM dossiers WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT {PAGE}"
            )))
            .bind(tenant)
            .bind(after)
            .fetch_all(pool)
            .await?;
            let mut events: HashMap<Uuid, Vec<(i64, String, String, Option<i64>, bool, String)>> = HashMap::new();
            let mut people: HashMap<Uuid, (String, bool)> = HashMap::new();
            if let (Some(first), Some(last)) = (dossiers.first(), dossiers.last()) {
                let rows: Vec<(Uuid, i64, String, String, Option<i64>, bool, String)> = sqlx::query_as(
                    "SELECT dossier_id, seq, kind, happened_on, corrects, backfill, fields FROM dossier_events \
                     WHERE tenant_id = $1 AND dossier_id >= $2 AND dossier_id <= $3 ORDER BY dossier_id, seq",
                )
                .bind(tenant)
                .bind(first.0)
                .bind(last.0)
                .fetch_all(pool)
                .await?;
                for (d, seq, kind, on, corrects, backfill, fields) in rows {
                    events.entry(d).or_default().push((seq, kind, on, corrects, backfill, fields));
                }
                for part in dossiers.chunks(500) {
                    let marks: Vec<String> = (0..part.len()).map(|i| format!("${}", i + 2)).collect();
                    let sql = format!(
                        "SELECT p.id, p.status, EXISTS (SELECT 1 FROM departures d WHERE d.tenant_id = p.tenant_id AND d.person_id = p.id) \
                         FROM people p WHERE p.tenant_id = $1 AND p.id IN ({})",
                        marks.join(", ")
                    );
                    let mut q = sqlx::query_as::<_, (Uuid, String, bool)>(sqlx::AssertSqlSafe(sql)).bind(tenant);
                    for d in part {
                        q = q.bind(d.1);
                    }
                    for (id, status, left) in q.fetch_all(pool).await? {
                        people.insert(id, (status, left));
                    }
                }
            }
            (dossiers, events, people)
        }))
    }
}

/// The rank of a status code, as `FOLLOW_STATUS_SQL` orders them.
fn status_rank(code: &str) -> i64 {
    match code {
        "non_member" => 0,
        "applicant" => 1,
        "activist" => 2,
        "development_target" => 3,
        "probationary_member" => 4,
        _ => 5,
    }
}
