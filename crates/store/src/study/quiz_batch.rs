//! Quiz submissions written as a batch: a few set-based statements for the whole batch —
//! the attempts still unsubmitted are marked submitted (a double tap or a race is refused
//! as already submitted), the members' credit accounts are locked in a fixed order, their
//! ledgers replayed in memory, the quiz credits (once per quiz, within the caps) inserted,
//! the balances recomputed from the entries — and one journal entry per deployment holding
//! the SHA-256 of the batch. The cost of a batch hardly grows with its size. A batch is
//! written one tenant at a time, each in its own transaction, so every statement names one
//! tenant (on Citus, one shard group).

use crate::db::BeginWrite;
use crate::db::{placeholders, value_rows};
use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::study::quiz::{Outcome, Submission, WeeklyQuiz, credit_key};
use crate::{Backend, Store, on_db};
use pioneer_domain::care::ledger::{Applied, EarnRule, Ledger};
use pioneer_domain::study::quiz::{QuizError, Scored};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use uuid::Uuid;

/// Rows per multi-row statement.
pub(crate) const ROWS: usize = 200;

/// The statement that marks a chunk of attempts submitted (`rows` of attempt id, time,
/// answers, points; then the tenant) and returns those it marked with their paths. On
/// SQLite the tenant's term carries a unary `+`, which keeps it from steering the plan:
/// without it SQLite 3.51 scans every attempt and probes the values (a whole-table scan
/// per batch, 10 ms at 40,000 attempts: the submission rate fell to a third), where it
/// should look each attempt up by its key.
fn mark_submitted_sql(sqlite: bool, rows: usize) -> String {
    let (alias, tenant) = if sqlite {
        ("v", "+quiz_attempts.tenant_id")
    } else {
        ("v(column1, column2, column3, column4)", "quiz_attempts.tenant_id")
    };
    format!(
        "UPDATE quiz_attempts SET submitted_at = v.column2, answers = v.column3, points = v.column4 \
         FROM (VALUES {}) AS {alias} WHERE {tenant} = ${} AND quiz_attempts.id = v.column1 \
         AND quiz_attempts.submitted_at IS NULL RETURNING quiz_attempts.id, quiz_attempts.org_path",
        value_rows(sqlite, 4, rows),
        rows * 4 + 1
    )
}

type Batch = Vec<(Submission, Arc<WeeklyQuiz>, Scored)>;

impl Store {
    /// Writes scored submissions in one transaction; answers come back in the order of
    /// `batch`.
    pub async fn write_submissions(
        &self,
        batch: Batch,
        on: jiff::civil::Date,
        act: &Act,
    ) -> Result<Vec<Result<Outcome, StoreError>>, StoreError> {
        let mut groups: Vec<(Uuid, Vec<usize>, Batch)> = Vec::new();
        for (i, item) in batch.into_iter().enumerate() {
            let tenant = item.1.tenant_id;
            match groups.iter_mut().find(|(t, _, _)| *t == tenant) {
                Some((_, at, items)) => {
                    at.push(i);
                    items.push(item);
                }
                None => groups.push((tenant, vec![i], vec![item])),
            }
        }
        let mut out: Vec<(usize, Result<Outcome, StoreError>)> = Vec::new();
        for (tenant, at, items) in groups {
            let written = self.write_tenant_submissions(tenant, items, on, act).await?;
            out.extend(at.into_iter().zip(written));
        }
        out.sort_by_key(|(i, _)| *i);
        Ok(out.into_iter().map(|(_, r)| r).collect())
    }

    /// [`Store::write_submissions`] for the submissions of one tenant.
    async fn write_tenant_submissions(
        &self,
        tenant: Uuid,
        batch: Batch,
        on: jiff::civil::Date,
        act: &Act,
    ) -> Result<Vec<Result<Outcome, StoreError>>, StoreError> {
        let tree = self.rules_tree(tenant).await?;
        let sqlite = self.db().backend() == Backend::Sqlite;
        let mut seen = HashSet::new();
        let first: Vec<bool> = batch.iter().map(|(s, _, _)| seen.insert(s.attempt_id)).collect();
        let answers = batch
            .iter()
            .map(|(s, _, _)| serde_json::to_string(&s.answers))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| StoreError::Corrupt("quiz_attempts.answers"))?;
        let todo: Vec<usize> = (0..batch.len()).filter(|&i| first[i]).collect();
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            // 1. The attempts still open.
            // The attempts written, with the member's path (whose credit rules apply).
            let mut written: HashMap<Uuid, String> = HashMap::new();
            for chunk in todo.chunks(ROWS) {
                let sql = mark_submitted_sql(sqlite, chunk.len());
                let mut q = sqlx::query_as::<_, (Uuid, String)>(sqlx::AssertSqlSafe(sql));
                for &i in chunk {
                    let (s, _, scored) = &batch[i];
                    q = q.bind(s.attempt_id).bind(s.at).bind(&answers[i]).bind(i64::from(scored.points));
                }
                q = q.bind(tenant);
                written.extend(q.fetch_all(&mut *tx).await?);
            }
            let done: Vec<usize> = todo.iter().copied().filter(|&i| written.contains_key(&batch[i].0.attempt_id)).collect();
            // 2. The members' accounts, locked in one order, and their ledgers.
            let mut members: Vec<(Uuid, Uuid)> = done.iter().map(|&i| (batch[i].0.member_id, tenant)).collect();
            members.sort();
            members.dedup();
            let mut ledgers: HashMap<Uuid, Vec<pioneer_domain::care::ledger::Entry>> = HashMap::new();
            for chunk in members.chunks(ROWS) {
                let sql = format!(
                    "INSERT INTO credit_accounts (member_id, tenant_id, balance, version) VALUES {} ON CONFLICT DO NOTHING",
                    value_rows(sqlite, 4, chunk.len())
                );
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for (m, t) in chunk {
                    q = q.bind(m).bind(t).bind(0i64).bind(0i64);
                }
                q.execute(&mut *tx).await?;
                let list = placeholders(sqlite, 1, chunk.len());
                let mut lock = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "UPDATE credit_accounts SET version = version + 1 WHERE member_id IN ({list}) AND tenant_id = ${}",
                    chunk.len() + 1)));
                for (m, _) in chunk {
                    lock = lock.bind(m);
                }
                lock = lock.bind(tenant);
                lock.execute(&mut *tx).await?;
                let mut read = sqlx::query_as::<_, (Uuid, String, i64, String, String)>(sqlx::AssertSqlSafe(format!(
                    "SELECT member_id, idempotency_key, amount, what, happened_on FROM credit_entries \
                     WHERE member_id IN ({list}) AND tenant_id = ${} ORDER BY recorded_at, id",
                    chunk.len() + 1)));
                for (m, _) in chunk {
                    read = read.bind(m);
                }
                read = read.bind(tenant);
                for (m, key, amount, what, happened_on) in read.fetch_all(&mut *tx).await? {
                    let e = crate::care::credits::entry_from((key, amount, what, happened_on))?;
                    ledgers.entry(m).or_default().push(e);
                }
            }
            // 3. The credits, once per quiz and within the caps, replayed in memory.
            let mut ledgers: HashMap<Uuid, Ledger> = ledgers.into_iter().map(|(m, e)| (m, Ledger::from_entries(e))).collect();
            let mut credited: HashMap<usize, pioneer_domain::care::ledger::Entry> = HashMap::new();
            for &i in &done {
                let (s, q, _) = &batch[i];
                let path = written.get(&s.attempt_id).map_or("", String::as_str);
                let rule: EarnRule = tree.at(path).quiz;
                let ledger = ledgers.entry(s.member_id).or_default();
                if let Ok(Applied::New(e)) = ledger.earn(&credit_key(q.id), &rule, on) {
                    credited.insert(i, e);
                }
            }
            let new: Vec<usize> = done.iter().copied().filter(|i| credited.contains_key(i)).collect();
            let mut rows: Vec<(&'static str, Uuid)> = members.iter().map(|(m, _)| ("credit_accounts", *m)).collect();
            for chunk in new.chunks(ROWS) {
                let sql = format!(
                    "INSERT INTO credit_entries (id, member_id, idempotency_key, amount, what, happened_on, recorded_at, tenant_id) \
                     VALUES {}",
                    value_rows(sqlite, 8, chunk.len())
                );
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for i in chunk {
                    let e = &credited[i];
                    let what = serde_json::to_string(&e.what).map_err(|_| StoreError::Corrupt("credit_entries.what"))?;
                    let entry_id = Uuid::now_v7();
                    rows.push(("credit_entries", entry_id));
                    q = q.bind(entry_id).bind(batch[*i].0.member_id).bind(&e.key).bind(e.amount)
                        .bind(what).bind(e.on.to_string()).bind(batch[*i].0.at).bind(tenant);
                }
                q.execute(&mut *tx).await?;
                let list = placeholders(sqlite, 1, chunk.len());
                // The tenant is named inside the sum too (so Citus routes the statement to one
                // shard); SQLite numbers a `$n` seen before the list's `?`s first, so there the
                // tenant comes last only.
                let inner = if sqlite { "e.tenant_id = credit_accounts.tenant_id".to_owned() } else { format!("e.tenant_id = ${}", chunk.len() + 1) };
                let mut sum = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "UPDATE credit_accounts SET balance = (SELECT COALESCE(SUM(e.amount), 0) FROM credit_entries e \
                     WHERE {inner} AND e.member_id = credit_accounts.member_id) \
                     WHERE member_id IN ({list}) AND tenant_id = ${}",
                    chunk.len() + 1)));
                for i in chunk {
                    sum = sum.bind(batch[*i].0.member_id);
                }
                sum = sum.bind(tenant);
                sum.execute(&mut *tx).await?;
            }
            // 4. One journal entry per deployment for the batch.
            let mut digest: HashMap<Uuid, (Sha256, Vec<Uuid>)> = HashMap::new();
            for &i in &done {
                let (s, q, scored) = &batch[i];
                let (h, ids) = digest.entry(q.tenant_id).or_insert_with(|| (Sha256::new(), Vec::new()));
                h.update(s.attempt_id.as_bytes());
                h.update(s.member_id.as_bytes());
                h.update(s.at.to_be_bytes());
                h.update(answers[i].as_bytes());
                h.update(scored.points.to_be_bytes());
                ids.push(s.attempt_id);
            }
            let mut tenants: Vec<_> = digest.into_iter().collect();
            tenants.sort_by_key(|(t, _)| *t);
            for (tenant_id, (h, ids)) in tenants {
                let change = Change {
                    tenant_id,
                    entity: "quiz_batch",
                    entity_id: None,
                    change: serde_json::json!({ "attempts": ids, "sha256": hex::encode(h.finalize()) }),
                    rows: if tenant_id == tenant { std::mem::take(&mut rows) } else { Vec::new() },
                };
                journal_append!(tx, self, act, &change)?;
            }
            tx.commit().await?;
            let done: HashSet<usize> = done.into_iter().collect();
            Ok(batch
                .into_iter()
                .enumerate()
                .map(|(i, (_, _, scored))| {
                    if done.contains(&i) {
                        Ok(Outcome { scored, credited: credited.remove(&i) })
                    } else {
                        Err(StoreError::Quiz(QuizError::AlreadySubmitted))
                    }
                })
                .collect())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::mark_submitted_sql;
    use crate::study::quiz::attempts_sql;
    use crate::testing::TestDb;
    use crate::{Backend, Db};

    /// SQLite looks each attempt up by its key, whatever the batch's size: neither the read
    /// nor the write of a batch scans the attempts (SQLite 3.51's plan did, without the `+`).
    #[tokio::test]
    async fn a_batch_looks_attempts_up_by_key() {
        let db = TestDb::new(Backend::Sqlite).await.expect("a temporary folder");
        let store = db.store().await.expect("a fresh store");
        let Db::Sqlite(pool) = store.db() else { unreachable!("asked for SQLite") };
        for (rows, sql) in [1, 2, 7, 57, 200]
            .into_iter()
            .flat_map(|n| [(n, mark_submitted_sql(true, n)), (n, attempts_sql(true, n))])
        {
            let plan: Vec<(i64, i64, i64, String)> =
                sqlx::query_as(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")))
                    .fetch_all(pool)
                    .await
                    .expect("a plan");
            let steps: Vec<&str> = plan.iter().map(|p| p.3.as_str()).collect();
            assert!(
                steps.iter().any(|s| s.starts_with("SEARCH quiz_attempts USING INDEX"))
                    && !steps.iter().any(|s| s.starts_with("SCAN quiz_attempts")),
                "{rows} rows: {sql}: {steps:?}"
            );
        }
    }
}
