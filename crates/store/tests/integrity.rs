//! Integrity an insider cannot rewrite: on the demo deployment, every kind of tampering with
//! the journal (edited, deleted, reordered, inserted, truncated, rewritten with recomputed
//! hashes, emptied) is caught by `audit_journal` against a signed checkpoint, and every kind
//! of edit of business rows outside pioneer is caught by `check`; each is then undone and
//! the deployment verifies clean again. On every database.

#![expect(clippy::unwrap_used, reason = "a test fails loudly at the first surprise")]

use jiff::Timestamp;
use jiff::civil::Date;
use pioneer_domain::care::ledger::{EarnRule, Source};
use pioneer_store::care::credits::CreditRequest;
use pioneer_store::testing::TestDb;
use pioneer_store::{Act, Backend, Store, on_db};
use uuid::Uuid;

const TODAY: Date = Date::constant(2026, 11, 29);

fn act() -> Act {
    Act::new("test", "integrity test", Timestamp::from_second(1_795_000_000).unwrap())
}

pioneer_store::on_both!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    every_kind_of_tampering_is_caught,
    a_restore_verifies_everything_before_it_touches_live_data,
);

/// Runs one statement binding `ids` in order.
async fn exec(store: &Store, sql: &str, ids: &[Uuid]) {
    on_db!(store.db(), pool => {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()));
        for id in ids {
            q = q.bind(*id);
        }
        q.execute(pool).await.unwrap();
    });
}

async fn scalar_id(store: &Store, sql: &str) -> Uuid {
    on_db!(store.db(), pool => {
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned())).fetch_one(pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
    })
}

/// The journal's rows of one chain as stored, to put back after a case.
type JournalRow = (
    Uuid,
    i64,
    i64,
    String,
    String,
    String,
    Option<Uuid>,
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
);

async fn journal_rows(store: &Store, tenant: Uuid) -> (Vec<JournalRow>, (i64, String)) {
    on_db!(store.db(), pool => {
        let rows = sqlx::query_as(
            "SELECT tenant_id, seq, at, actor, action, entity, entity_id, change, prev_hash, hash, row_digests, mac_key, mac \
             FROM journal WHERE tenant_id = $1 ORDER BY seq",
        )
        .bind(tenant).fetch_all(pool).await.unwrap();
        let head = sqlx::query_as("SELECT seq, hash FROM journal_heads WHERE tenant_id = $1").bind(tenant).fetch_one(pool).await.unwrap();
        (rows, head)
    })
}

/// Replaces the chain of `tenant` with `rows` and its head with `head`.
async fn put_journal(store: &Store, tenant: Uuid, rows: &[JournalRow], head: &(i64, String)) {
    on_db!(store.db(), pool => {
        sqlx::query("DELETE FROM journal WHERE tenant_id = $1").bind(tenant).execute(pool).await.unwrap();
        for r in rows {
            sqlx::query(
                "INSERT INTO journal (tenant_id, seq, at, actor, action, entity, entity_id, change, prev_hash, hash, row_digests, mac_key, mac) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            )
            .bind(r.0).bind(r.1).bind(r.2).bind(&r.3).bind(&r.4).bind(&r.5).bind(r.6).bind(&r.7).bind(&r.8).bind(&r.9)
            .bind(&r.10).bind(r.11).bind(&r.12)
            .execute(pool).await.unwrap();
        }
        sqlx::query("DELETE FROM journal_heads WHERE tenant_id = $1").bind(tenant).execute(pool).await.unwrap();
        sqlx::query("INSERT INTO journal_heads (tenant_id, seq, hash) VALUES ($1, $2, $3)")
            .bind(tenant).bind(head.0).bind(&head.1).execute(pool).await.unwrap();
    });
}

/// The chain with its hashes recomputed from entry `from` on, as an intruder who knows the
/// algorithm but not the journal key would (the authentication codes stay as they were).
fn recomputed(rows: &[JournalRow], from: i64) -> (Vec<JournalRow>, (i64, String)) {
    let mut out = rows.to_vec();
    let mut prev = pioneer_store::journal::GENESIS.to_owned();
    for r in &mut out {
        if r.1 >= from {
            r.8 = prev.clone();
            r.9 = pioneer_store::journal::entry_hash(r.0, r.1, r.2, &r.3, &r.4, &r.5, r.6, &r.7, &r.8, &r.10);
        }
        prev = r.9.clone();
    }
    let last = out.last().unwrap();
    let head = (last.1, last.9.clone());
    (out, head)
}

async fn journal_caught(store: &Store) -> Option<String> {
    store.audit_journal(None).await.unwrap().verification.broken.map(|b| b.to_string())
}

async fn rows_caught(store: &Store) -> Vec<String> {
    let r = store.check().await.unwrap();
    r.differences.iter().map(|d| format!("{} {}: {}", d.table, d.id, d.what)).collect()
}

async fn every_kind_of_tampering_is_caught(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = db.store().await.unwrap();
    let dir = std::env::temp_dir().join(format!("pioneer-checkpoints-{}", Uuid::now_v7().simple()));
    let store = store.with_checkpoints(&dir);
    pioneer_demo::load_demo(&store, TODAY, &act()).await.unwrap();
    // The demo's accounts bring credits, benefits and meetings (any password hash will do).
    pioneer_demo::accounts::ensure_demo_accounts(&store, "x", &act()).await.unwrap();
    // A redemption, so stock and redemptions have something to hold.
    let rich: Uuid =
        scalar_id(&store, "SELECT member_id FROM credit_accounts ORDER BY balance DESC, member_id LIMIT 1")
            .await;
    let earn = EarnRule { source: Source::Quiz, amount: 500, daily_cap: 0, weekly_cap: 0 };
    store.credit(rich, "integrity-earn", &CreditRequest::Earn(earn), TODAY, &act()).await.unwrap();
    let benefit: Uuid =
        scalar_id(&store, "SELECT id FROM care_benefits WHERE stock > 0 ORDER BY cost, id LIMIT 1").await;
    store.credit(rich, "integrity-redeem", &CreditRequest::Redeem(benefit), TODAY, &act()).await.unwrap();
    store.write_checkpoint(1_795_000_000_000, false).await.unwrap();

    // Clean to begin with.
    assert_eq!(journal_caught(&store).await, None);
    let clean = store.check().await.unwrap();
    assert!(clean.clean(), "{:?}", clean.differences);
    assert!(clean.rows > 1_000 && clean.dossiers > 100, "{clean:?}");

    let tenant: Uuid =
        scalar_id(&store, "SELECT tenant_id FROM journal_heads ORDER BY seq DESC LIMIT 1").await;
    let (original, head) = journal_rows(&store, tenant).await;
    let n = original.len() as i64;
    assert!(n > 20);
    let mut tried = 0;
    let mut caught = Vec::new();

    // 1. Edited: one entry's actor.
    let mut rows = original.clone();
    rows[4].3 = "intruder".into();
    put_journal(&store, tenant, &rows, &head).await;
    tried += 1;
    caught.extend(journal_caught(&store).await.map(|b| format!("edited: {b}")));
    // 2. Deleted: an entry in the middle.
    let rows: Vec<JournalRow> = original.iter().filter(|r| r.1 != 7).cloned().collect();
    put_journal(&store, tenant, &rows, &head).await;
    tried += 1;
    caught.extend(journal_caught(&store).await.map(|b| format!("deleted: {b}")));
    // 3. Reordered: entries 2 and 3 swap places.
    let mut rows = original.clone();
    rows.swap(1, 2);
    (rows[1].1, rows[2].1) = (2, 3);
    put_journal(&store, tenant, &rows, &head).await;
    tried += 1;
    caught.extend(journal_caught(&store).await.map(|b| format!("reordered: {b}")));
    // 4. Inserted: a forged last entry, linked and hashed correctly, the head moved to it.
    let mut rows = original.clone();
    let mut forged = rows.last().unwrap().clone();
    forged.1 = n + 1;
    forged.3 = "intruder".into();
    forged.7 = "{\"forged\":true}".into();
    rows.push(forged);
    let (rows, forged_head) = recomputed(&rows, n + 1);
    put_journal(&store, tenant, &rows, &forged_head).await;
    tried += 1;
    caught.extend(journal_caught(&store).await.map(|b| format!("inserted: {b}")));
    // 5. Truncated: the last three entries cut and the head moved back to match.
    let rows: Vec<JournalRow> = original.iter().filter(|r| r.1 <= n - 3).cloned().collect();
    let cut_head = (n - 3, rows.last().unwrap().9.clone());
    put_journal(&store, tenant, &rows, &cut_head).await;
    tried += 1;
    caught.extend(journal_caught(&store).await.map(|b| format!("truncated: {b}")));
    // 6. Rewritten: entry 5 edited and every hash after it recomputed.
    let mut rows = original.clone();
    rows[4].3 = "intruder".into();
    let (rows, new_head) = recomputed(&rows, 5);
    put_journal(&store, tenant, &rows, &new_head).await;
    tried += 1;
    caught.extend(journal_caught(&store).await.map(|b| format!("rewritten with recomputed hashes: {b}")));
    // 7. Emptied: every entry and the head gone.
    on_db!(store.db(), pool => {
        sqlx::query("DELETE FROM journal WHERE tenant_id = $1").bind(tenant).execute(pool).await.unwrap();
        sqlx::query("DELETE FROM journal_heads WHERE tenant_id = $1").bind(tenant).execute(pool).await.unwrap();
    });
    tried += 1;
    caught.extend(journal_caught(&store).await.map(|b| format!("emptied: {b}")));
    put_journal(&store, tenant, &original, &head).await;
    assert_eq!(journal_caught(&store).await, None, "put back, the journal verifies");
    assert_eq!(caught.len(), tried, "journal cases caught: {caught:#?}");

    // Business rows edited outside pioneer: each caught by `check`, then undone.
    let person: Uuid =
        scalar_id(&store, "SELECT id FROM people WHERE status = 'full_member' ORDER BY id LIMIT 1").await;
    let event: Uuid = scalar_id(
        &store,
        "SELECT id FROM dossier_events WHERE kind = 'admission_meeting' ORDER BY id LIMIT 1",
    )
    .await;
    let entry: Uuid = scalar_id(&store, "SELECT id FROM credit_entries ORDER BY id LIMIT 1").await;
    let meeting: Uuid = scalar_id(&store, "SELECT id FROM meetings ORDER BY id LIMIT 1").await;
    let redemption: Uuid = scalar_id(&store, "SELECT id FROM care_redemptions ORDER BY id LIMIT 1").await;
    let forged_meeting = Uuid::now_v7();
    // (what, the edit and its ids, the undo and its ids)
    type Case<'a> = (&'a str, String, Vec<Uuid>, String, Vec<Uuid>);
    let cases: Vec<Case> = vec![
        (
            "a person's status",
            "UPDATE people SET status = 'applicant' WHERE id = $1".into(),
            vec![person],
            "UPDATE people SET status = 'full_member' WHERE id = $1".into(),
            vec![person],
        ),
        (
            "an event's fields (a vote's count)",
            "UPDATE dossier_events SET fields = fields || ' ' WHERE id = $1".into(),
            vec![event],
            "UPDATE dossier_events SET fields = rtrim(fields) WHERE id = $1".into(),
            vec![event],
        ),
        (
            "a ledger amount",
            "UPDATE credit_entries SET amount = amount + 100 WHERE id = $1".into(),
            vec![entry],
            "UPDATE credit_entries SET amount = amount - 100 WHERE id = $1".into(),
            vec![entry],
        ),
        (
            "a balance with no ledger entry behind it",
            "UPDATE credit_accounts SET balance = balance + 50 WHERE member_id = $1".into(),
            vec![rich],
            "UPDATE credit_accounts SET balance = balance - 50 WHERE member_id = $1".into(),
            vec![rich],
        ),
        (
            "a benefit's stock",
            "UPDATE care_benefits SET stock = stock + 10 WHERE id = $1".into(),
            vec![benefit],
            "UPDATE care_benefits SET stock = stock - 10 WHERE id = $1".into(),
            vec![benefit],
        ),
        (
            "a row added",
            "INSERT INTO meetings (id, tenant_id, org_id, org_path, kind, held_on, topic, first_topic, speaker, minutes, recorded_by, created_at) \
             SELECT $1, tenant_id, org_id, org_path, kind, held_on, topic, first_topic, speaker, minutes, recorded_by, created_at FROM meetings WHERE id = $2"
                .into(),
            vec![forged_meeting, meeting],
            "DELETE FROM meetings WHERE id = $1".into(),
            vec![forged_meeting],
        ),
    ];
    for (what, sql, ids, undo, undo_ids) in &cases {
        exec(&store, sql, ids).await;
        tried += 1;
        let found = rows_caught(&store).await;
        assert!(!found.is_empty(), "{what}: not caught");
        caught.push(format!("{what}: {}", found.join("; ")));
        exec(&store, undo, undo_ids).await;
        assert!(rows_caught(&store).await.is_empty(), "{what}: undone, the rows check clean");
    }
    // A row deleted (a redemption): the journal wrote it, and the stock no longer adds up.
    let saved: (Uuid, Uuid, Uuid, Uuid, String, i64) = on_db!(store.db(), pool => {
        sqlx::query_as("SELECT id, tenant_id, benefit_id, member_id, entry_key, requested_at FROM care_redemptions WHERE id = $1")
            .bind(redemption).fetch_one(pool).await.unwrap()
    });
    exec(&store, "DELETE FROM care_redemptions WHERE id = $1", &[redemption]).await;
    tried += 1;
    let found = rows_caught(&store).await;
    assert!(
        found.iter().any(|f| f.contains("it is gone")) && found.iter().any(|f| f.contains("stock")),
        "{found:?}"
    );
    caught.push(format!("a row deleted: {}", found.join("; ")));
    on_db!(store.db(), pool => {
        sqlx::query("INSERT INTO care_redemptions (id, tenant_id, benefit_id, member_id, entry_key, requested_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(saved.0).bind(saved.1).bind(saved.2).bind(saved.3).bind(&saved.4).bind(saved.5)
            .execute(pool).await.unwrap();
    });
    assert!(rows_caught(&store).await.is_empty());
    assert_eq!(journal_caught(&store).await, None);
    println!("tampering cases tried {tried}, caught {}:", caught.len());
    for c in &caught {
        println!("  {c}");
    }
    assert_eq!(caught.len(), tried);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every damaged or foreign backup is refused before live data is touched; a good one
/// says how many journal entries it discards, restores, and journals itself.
async fn a_restore_verifies_everything_before_it_touches_live_data(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = db.store().await.unwrap();
    let dir = std::env::temp_dir().join(format!("pioneer-restore-{}", Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let store = store.with_checkpoints(&dir.join("checkpoints"));
    pioneer_demo::load_demo(&store, TODAY, &act()).await.unwrap();
    if pioneer_store::testing::is_citus() {
        return; // refused as a whole on a cluster (store.rs)
    }
    let good = dir.join("good.backup");
    let m = store.backup(&db.url, &good, 1).await.unwrap();
    assert!(m.key_check.is_some() && !m.journal_heads.is_empty() && m.signature.len() == 128);
    let manifest = pioneer_store::manifest::manifest_path(&good);
    let copy = |name: &str, edit: &dyn Fn(&mut Vec<u8>), edit_manifest: &dyn Fn(&mut serde_json::Value)| {
        let f = dir.join(name);
        let mut bytes = std::fs::read(&good).unwrap();
        edit(&mut bytes);
        std::fs::write(&f, bytes).unwrap();
        let mut v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&manifest).unwrap()).unwrap();
        edit_manifest(&mut v);
        std::fs::write(pioneer_store::manifest::manifest_path(&f), v.to_string()).unwrap();
        f
    };
    let before = store.table_rows("people").await.unwrap();
    let heads_before = store.journal_heads().await.unwrap();
    let mut refusals: Vec<(&str, String)> = Vec::new();
    let mut refused = |what: &'static str, f: std::path::PathBuf, r: Result<_, pioneer_store::StoreError>| {
        let e = r.err().unwrap_or_else(|| panic!("{what}: not refused"));
        refusals.push((what, e.to_string()));
        let _ = f;
    };
    let f = copy("truncated.backup", &|b| b.truncate(b.len() / 2), &|_| {});
    refused("truncated", f.clone(), store.restore(&db.url, &f, &act()).await);
    let f = copy(
        "flipped.backup",
        &|b| {
            let i = b.len() / 2;
            b[i] ^= 0x01;
        },
        &|_| {},
    );
    refused("a flipped byte", f.clone(), store.restore(&db.url, &f, &act()).await);
    let f = copy("nokey.backup", &|_| {}, &|v| v["key_check"] = serde_json::Value::Null);
    refused("no key check", f.clone(), store.restore(&db.url, &f, &act()).await);
    let f = copy(
        "forged.backup",
        &|b| {
            let i = b.len() / 2;
            b[i] ^= 0x01;
        },
        &|_| {},
    );
    let (sha, _) = pioneer_store::manifest::file_digest(&f).unwrap();
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest).unwrap()).unwrap();
    v["sha256"] = sha.into();
    std::fs::write(pioneer_store::manifest::manifest_path(&f), v.to_string()).unwrap();
    refused("altered, its manifest's hash recomputed", f.clone(), store.restore(&db.url, &f, &act()).await);
    let f = dir.join("notabackup.backup");
    std::fs::write(&f, b"hello").unwrap();
    refused("not a backup (no manifest)", f.clone(), store.restore(&db.url, &f, &act()).await);
    // Another deployment's backup (other keys).
    let Some(other_db) = TestDb::new(backend).await else { return };
    let other = other_db.store().await.unwrap();
    pioneer_demo::load_demo(&other, TODAY, &act()).await.unwrap();
    let foreign = dir.join("foreign.backup");
    other.backup(&other_db.url, &foreign, 1).await.unwrap();
    refused("another deployment's keys", foreign.clone(), store.restore(&db.url, &foreign, &act()).await);
    if backend == Backend::Sqlite {
        // Damaged when it was made (a page header overwritten), its manifest honestly signed:
        // SQLite's integrity check refuses it.
        let f = dir.join("corrupt.backup");
        let mut bytes = std::fs::read(&good).unwrap();
        let page = 4096 * 3;
        bytes[page..page + 8].copy_from_slice(&[0xff; 8]);
        std::fs::write(&f, bytes).unwrap();
        store.write_manifest(&f, m.journal_heads.clone(), 1).await.unwrap();
        refused("a damaged database (integrity_check)", f.clone(), store.restore(&db.url, &f, &act()).await);
    }
    assert_eq!(store.table_rows("people").await.unwrap(), before, "nothing refused touched live data");
    assert_eq!(store.journal_heads().await.unwrap(), heads_before);
    println!("restore refusals ({}):", refusals.len());
    for (what, why) in &refusals {
        println!("  {what}: {why}");
    }

    // Three changes after the backup: the plan says they will be discarded, the restore
    // discards them, and journals itself with the count.
    let org =
        scalar_id(&store, "SELECT id FROM organizations WHERE kind = 'branch' ORDER BY id LIMIT 1").await;
    for i in 0..3 {
        let f = pioneer_domain::orgs::OrgFields::parse(&pioneer_domain::orgs::OrgInput {
            name: format!("备份之后第{i}支部"),
            kind: "branch".into(),
            ..Default::default()
        })
        .unwrap();
        store.create_org(&f, Some(org_parent(&store, org).await), &act()).await.unwrap();
    }
    let plan = store.plan_restore(&good).await.unwrap();
    assert_eq!(plan.discarded, 3);
    let done = store.restore(&db.url, &good, &act()).await.unwrap();
    assert_eq!(done.discarded, 3);
    assert_eq!(store.table_rows("people").await.unwrap(), before);
    let restored: Vec<String> = on_db!(store.db(), pool => {
        sqlx::query_scalar("SELECT change FROM journal WHERE entity = 'restore'").fetch_all(pool).await.unwrap()
    });
    assert!(
        !restored.is_empty() && restored.iter().all(|c| c.contains("\"discarded_entries\":3")),
        "{restored:?}"
    );
    let audit = store.audit_journal(None).await.unwrap();
    assert_eq!(audit.verification.broken, None, "a fresh checkpoint follows the restore");
    assert_eq!(audit.checkpoints, 1);
    assert!(store.check().await.unwrap().clean());
    let _ = std::fs::remove_dir_all(&dir);
}

/// The parent organisation of `org`.
async fn org_parent(store: &Store, org: Uuid) -> Uuid {
    store.org(org).await.unwrap().parent_id.unwrap()
}
