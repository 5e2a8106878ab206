//! Statistics in storage: a snapshot of each deployment's people as `stats::Facts` and of
//! its organisations, read in one pass and kept in memory; any subtree's dashboard for any
//! date is then computed from the snapshot in milliseconds, and the people behind a figure
//! listed. A request never reads a snapshot again itself: when the deployment's journal
//! head has moved, a background task reads a new one while requests answer from the last
//! (`Snapshot::read_at` says when it was read); a request waits for that task at most
//! [`DEFAULT_WAIT`] (settable), so a small deployment's figures are fresh at once. A large
//! deployment (a read over 200 ms) is read again at most every three reading times. Only
//! the very first read of a deployment is waited for (the server starts it when it starts,
//! [`Store::warm_stats`]).

use crate::error::StoreError;
use crate::{Store, on_db};
use jiff::civil::Date;
use pioneer_domain::orgs::OrgKind;
use pioneer_domain::people::{Education, Status, StatusDates, WorkerCategory};
use pioneer_domain::stats::{self, Dashboard, Facts, Figure};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// One deployment, as statistics read it.
pub struct Snapshot {
    people: Vec<(Uuid, u32, Facts)>,
    orgs: Vec<OrgLine>,
    head: i64,
    loaded: Instant,
    took: Duration,
    /// When it was read (ms since the epoch, the caller's clock).
    pub read_at: i64,
}

struct OrgLine {
    path: String,
    kind: OrgKind,
    enterprise: Option<String>,
    closed_on: Option<Date>,
}

/// How long a request waits for a new snapshot being read before it answers from the last.
pub const DEFAULT_WAIT: Duration = Duration::from_millis(50);

/// The snapshots, by deployment, and the reads under way.
pub struct StatsCache {
    snapshots: std::sync::Mutex<HashMap<Uuid, Arc<Snapshot>>>,
    /// First reads, one at a time (a second request for the same deployment finds it read).
    first: tokio::sync::Mutex<()>,
    /// The background read under way per deployment; true once it ended.
    refreshing: std::sync::Mutex<HashMap<Uuid, tokio::sync::watch::Receiver<bool>>>,
    /// How long a request waits for a background read (ms).
    wait_ms: AtomicU64,
}

impl Default for StatsCache {
    fn default() -> Self {
        Self {
            snapshots: Default::default(),
            first: Default::default(),
            refreshing: Default::default(),
            wait_ms: AtomicU64::new(DEFAULT_WAIT.as_millis() as u64),
        }
    }
}

impl StatsCache {
    fn get(&self, tenant: Uuid) -> Option<Arc<Snapshot>> {
        self.snapshots.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(&tenant).cloned()
    }

    /// Keeps `s` unless a snapshot of a later head is kept already.
    fn put(&self, tenant: Uuid, s: Arc<Snapshot>) {
        let mut map = self.snapshots.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.get(&tenant).is_none_or(|old| old.head <= s.head) {
            map.insert(tenant, s);
        }
    }
}

impl Snapshot {
    /// A large deployment's snapshot read less than three reading times ago: kept as it is
    /// (the background reads then take at most a third of one core).
    fn resting(&self) -> bool {
        self.took > Duration::from_millis(200) && self.loaded.elapsed() < self.took * 3
    }
}

/// Organisation figures for a subtree on a date.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OrgFigures {
    /// Open organisations by kind (closed ones count until the day they closed).
    pub by_kind: Vec<(OrgKind, u64)>,
    /// Distinct enterprises with a party organisation in the subtree.
    pub enterprises: u64,
}

/// Rows per page when a snapshot is read.
const PAGE: i64 = 20_000;

type OrgRow = (Uuid, String, String, Option<String>, Option<String>);
type Day = Option<String>;
type PersonRow = (Uuid, Uuid, String, String, String, String, String, bool, String, Day, Day, Day, Day, Day);

fn day(raw: Option<String>, column: &'static str) -> Result<Option<Date>, StoreError> {
    raw.map(|d| d.parse().map_err(|_| StoreError::Corrupt(column))).transpose()
}

impl Store {
    async fn journal_head(&self, db: &crate::Db, tenant: Uuid) -> Result<i64, StoreError> {
        let seq: Option<i64> = on_db!(db, pool => {
            sqlx::query_scalar("SELECT seq FROM journal_heads WHERE tenant_id = $1").bind(tenant).fetch_optional(pool).await?
        });
        Ok(seq.unwrap_or(0))
    }

    /// How long a statistics request waits for a new snapshot being read (the server's
    /// setting; tests that read their own writes wait long).
    pub fn set_stats_wait(&self, wait: Duration) {
        self.stats_cache.wait_ms.store(wait.as_millis() as u64, Ordering::Relaxed);
    }

    /// Reads the snapshots of every deployment in the background (the server calls this
    /// when it starts, so the first statistics request finds one), as read at `now_ms`.
    pub fn warm_stats(&self, now_ms: i64) {
        let store = self.clone();
        tokio::spawn(async move {
            let tenants: Result<Vec<Uuid>, StoreError> = async {
                Ok(on_db!(store.db(), pool => {
                    sqlx::query_scalar("SELECT DISTINCT tenant_id FROM organizations").fetch_all(pool).await?
                }))
            }
            .await;
            for tenant in tenants.unwrap_or_default() {
                if let Err(e) = store.stats_snapshot(tenant, now_ms).await {
                    tracing::warn!(error = %e, %tenant, "could not read the statistics snapshot");
                }
            }
        });
    }

    /// The deployment's snapshot: the last one read, with a new one read in the background
    /// when the deployment has changed (see the module text).
    pub async fn stats_snapshot(&self, tenant: Uuid, now_ms: i64) -> Result<Arc<Snapshot>, StoreError> {
        let head = self.journal_head(self.db(), tenant).await?;
        let Some(current) = self.stats_cache.get(tenant) else {
            let _first = self.stats_cache.first.lock().await;
            if let Some(s) = self.stats_cache.get(tenant) {
                return Ok(s);
            }
            let s = Arc::new(self.read_snapshot(tenant, head, now_ms).await?);
            self.stats_cache.put(tenant, s.clone());
            return Ok(s);
        };
        if current.head >= head || current.resting() {
            return Ok(current);
        }
        let mut done = self.read_snapshot_in_background(tenant, head, now_ms);
        let wait = Duration::from_millis(self.stats_cache.wait_ms.load(Ordering::Relaxed));
        if !wait.is_zero() {
            let _ = tokio::time::timeout(wait, done.wait_for(|ended| *ended)).await;
        }
        Ok(self.stats_cache.get(tenant).unwrap_or(current))
    }

    /// Starts reading a deployment's snapshot in a task of its own, unless one is reading
    /// it already; the receiver turns true when the read ended.
    fn read_snapshot_in_background(
        &self,
        tenant: Uuid,
        head: i64,
        now_ms: i64,
    ) -> tokio::sync::watch::Receiver<bool> {
        let mut reading =
            self.stats_cache.refreshing.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(rx) = reading.get(&tenant).filter(|rx| !*rx.borrow()) {
            return rx.clone();
        }
        let (tx, rx) = tokio::sync::watch::channel(false);
        reading.insert(tenant, rx.clone());
        let store = self.clone();
        tokio::spawn(async move {
            match store.read_snapshot(tenant, head, now_ms).await {
                Ok(s) => store.stats_cache.put(tenant, Arc::new(s)),
                Err(e) => tracing::warn!(error = %e, %tenant, "could not read the statistics snapshot"),
            }
            let _ = tx.send(true);
        });
        rx
    }

    /// Reads a deployment's snapshot as of journal head `head` (on a replica, as of the
    /// head it has replayed: a snapshot behind the primary's is read again later).
    async fn read_snapshot(&self, tenant: Uuid, head: i64, now_ms: i64) -> Result<Snapshot, StoreError> {
        let started = Instant::now();
        let head = match &self.replica {
            Some(replica) => self.journal_head(replica, tenant).await?.min(head),
            None => head,
        };
        let orgs: Vec<OrgRow> = on_db!(self.reader(), pool => {
            sqlx::query_as("SELECT id, path, kind, enterprise, closed_on FROM organizations WHERE tenant_id = $1")
                .bind(tenant).fetch_all(pool).await?
        });
        let mut index: HashMap<Uuid, u32> = HashMap::with_capacity(orgs.len());
        let mut lines = Vec::with_capacity(orgs.len());
        for (i, (id, path, kind, enterprise, closed_on)) in orgs.into_iter().enumerate() {
            index.insert(id, i as u32);
            lines.push(OrgLine {
                path,
                kind: OrgKind::from_code(&kind).ok_or(StoreError::Corrupt("organizations.kind"))?,
                enterprise: enterprise.filter(|e| !e.trim().is_empty()),
                closed_on: day(closed_on, "organizations.closed_on")?,
            });
        }
        let left = self.departures_of(tenant).await?;
        // Read in pages along the primary key, so memory holds one page of rows at a time.
        let mut people = Vec::new();
        let mut after = Uuid::nil();
        loop {
            let rows: Vec<PersonRow> = on_db!(self.reader(), pool => {
                sqlx::query_as(
                    "SELECT id, org_id, birth_date, gender, ethnicity, education, worker_category, is_mobile, status, \
                     applied_on, activist_on, target_on, admitted_on, full_member_on FROM people \
                     WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3",
                )
                .bind(tenant).bind(after).bind(PAGE).fetch_all(pool).await?
            });
            let Some(last) = rows.last() else { break };
            after = last.0;
            let full = rows.len() as i64 == PAGE;
            for (id, org, birth, gender, ethnicity, education, category, mobile, status, a, b, c, d, e) in
                rows
            {
                let Some(&org) = index.get(&org) else { continue };
                let facts = Facts {
                    birth: birth.parse().map_err(|_| StoreError::Corrupt("people.birth_date"))?,
                    female: gender == "female",
                    minority: ethnicity != "汉族",
                    education: Education::from_code(&education)
                        .ok_or(StoreError::Corrupt("people.education"))?,
                    category: WorkerCategory::from_code(&category)
                        .ok_or(StoreError::Corrupt("people.worker_category"))?,
                    mobile,
                    status: Status::from_code(&status).ok_or(StoreError::Corrupt("people.status"))?,
                    dates: StatusDates {
                        applied_on: day(a, "people.applied_on")?,
                        activist_on: day(b, "people.activist_on")?,
                        target_on: day(c, "people.target_on")?,
                        admitted_on: day(d, "people.admitted_on")?,
                        full_member_on: day(e, "people.full_member_on")?,
                    },
                    left: left.get(&id).copied(),
                };
                people.push((id, org, facts));
            }
            if !full {
                break;
            }
        }
        people.shrink_to_fit();
        Ok(Snapshot {
            people,
            orgs: lines,
            head,
            loaded: Instant::now(),
            took: started.elapsed(),
            read_at: now_ms,
        })
    }

    /// The dashboard of the subtree of `org_id` on `on`, flows from `since`; with the
    /// organisation figures and when the snapshot was read.
    pub async fn dashboard(
        &self,
        org_id: Uuid,
        on: Date,
        since: i16,
        now_ms: i64,
    ) -> Result<(Dashboard, OrgFigures, i64), StoreError> {
        let o = self.org(org_id).await?;
        let snap = self.stats_snapshot(o.tenant_id, now_ms).await?;
        let inside: Vec<bool> = snap.orgs.iter().map(|l| l.path.starts_with(&o.path)).collect();
        let people = snap.people.iter().filter(|(_, org, _)| inside[*org as usize]).map(|(_, _, f)| f);
        let d = stats::dashboard(people, on, since);
        let open: Vec<&OrgLine> = snap
            .orgs
            .iter()
            .zip(&inside)
            .filter(|(l, i)| **i && l.closed_on.is_none_or(|c| c > on))
            .map(|(l, _)| l)
            .collect();
        let by_kind =
            OrgKind::ALL.iter().map(|k| (*k, open.iter().filter(|l| l.kind == *k).count() as u64)).collect();
        let enterprises: HashSet<&str> = open.iter().filter_map(|l| l.enterprise.as_deref()).collect();
        Ok((d, OrgFigures { by_kind, enterprises: enterprises.len() as u64 }, snap.read_at))
    }

    /// The people a figure counts in the subtree of `org_id` on `on`: how many, and up to
    /// `limit` of them, sorted by name, as `(id, name, organisation name)`.
    pub async fn figure_people(
        &self,
        org_id: Uuid,
        on: Date,
        figure: Figure,
        limit: usize,
        now_ms: i64,
    ) -> Result<(u64, Vec<(Uuid, String, String)>), StoreError> {
        let o = self.org(org_id).await?;
        let snap = self.stats_snapshot(o.tenant_id, now_ms).await?;
        let inside: Vec<bool> = snap.orgs.iter().map(|l| l.path.starts_with(&o.path)).collect();
        let ids: Vec<Uuid> = snap
            .people
            .iter()
            .filter(|(_, org, f)| inside[*org as usize] && figure.counts(f, on))
            .map(|(id, _, _)| *id)
            .collect();
        let first = &ids[..ids.len().min(limit)];
        let list = crate::db::placeholders(self.db().backend() == crate::Backend::Sqlite, 1, first.len());
        let sql = format!(
            "SELECT p.id, p.name, o.name FROM people p JOIN organizations o ON o.id = p.org_id WHERE p.id IN ({list})"
        );
        let mut named: Vec<(Uuid, String, String)> = if first.is_empty() {
            Vec::new()
        } else {
            on_db!(self.db(), pool => {
                let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
                for id in first {
                    q = q.bind(id);
                }
                q.fetch_all(pool).await?
            })
        };
        named.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
        Ok((ids.len() as u64, named))
    }
}
