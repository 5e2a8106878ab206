//! Crash tests: the real binary killed with SIGKILL at a random moment while three accounts
//! write at once (people and their dossiers, meetings with attendance and credits, care
//! benefits). After the kill: `journal verify` and `pioneer check` are clean, the server
//! starts again, and every write it acknowledged is there. On SQLite always; on PostgreSQL
//! when PIONEER_TEST_POSTGRES_URL is set (a database of its own per run).
//! `bench/crash.sh` does the same on a power-loss file system (LazyFS).

#![expect(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly at the first surprise")]

mod support;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::{Server, run, temp_dir, try_http_with, wait_ok};

const RUNS: u32 = 3;

/// A writer's work: for the k-th round, the writes to make (table, path, JSON body).
type Work = Box<dyn Fn(u64) -> Vec<(&'static str, String, serde_json::Value)> + Send>;

/// A write the server acknowledged: the table and the row's id.
type Acked = Arc<Mutex<Vec<(&'static str, String)>>>;

#[test]
fn kill_9_under_mixed_writes_loses_nothing_acknowledged_on_sqlite() {
    for n in 0..RUNS {
        one_run(None, n);
    }
}

#[test]
fn kill_9_under_mixed_writes_loses_nothing_acknowledged_on_postgresql() {
    let Ok(base) = std::env::var("PIONEER_TEST_POSTGRES_URL") else {
        eprintln!(
            "skipped: PIONEER_TEST_POSTGRES_URL is not set, so the PostgreSQL crash test passes without running"
        );
        return;
    };
    for n in 0..RUNS {
        let name = format!("pioneer_crash_{}_{n}", std::process::id());
        pg(&base, &format!("DROP DATABASE IF EXISTS {name}"));
        pg(&base, &format!("CREATE DATABASE {name}"));
        let url = match base.rfind('/') {
            Some(i) => format!("{}/{name}", &base[..i]),
            None => panic!("{base}: not a database URL"),
        };
        one_run(Some(&url), n);
        pg(&base, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
    }
}

fn pg(url: &str, sql: &str) {
    let url = url.to_owned();
    let sql = sql.to_owned();
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async move {
        use sqlx::Connection;
        let mut c = sqlx::PgConnection::connect(&url).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut c).await.unwrap();
    });
}

/// How many of `acked` the database at `url` (or the data folder's SQLite file) holds.
fn found(dir: &std::path::Path, url: Option<&str>, acked: &[(&'static str, String)]) -> usize {
    let url = url.map_or_else(|| format!("sqlite:{}", dir.join("pioneer.sqlite3").display()), str::to_owned);
    let acked = acked.to_vec();
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async move {
        use sqlx::Connection;
        let mut n = 0;
        macro_rules! count {
            ($conn:expr) => {
                for (table, id) in &acked {
                    let id = uuid_of(id);
                    let sql = format!("SELECT COUNT(*) FROM {table} WHERE id = $1");
                    let k: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                        .bind(id)
                        .fetch_one(&mut $conn)
                        .await
                        .unwrap();
                    n += usize::from(k == 1);
                }
            };
        }
        if url.starts_with("sqlite:") {
            let mut c = sqlx::SqliteConnection::connect(&url).await.unwrap();
            count!(c);
        } else {
            let mut c = sqlx::PgConnection::connect(&url).await.unwrap();
            count!(c);
        }
        n
    })
}

fn uuid_of(s: &str) -> sqlx::types::Uuid {
    sqlx::types::Uuid::parse_str(s).unwrap()
}

/// A pseudo-random number from the clock (no dependency for one number).
fn jitter(max: u64) -> u64 {
    let nanos = std::time::SystemTime::UNIX_EPOCH.elapsed().map(|d| d.subsec_nanos()).unwrap_or(0);
    u64::from(nanos) % max.max(1)
}

fn one_run(database: Option<&str>, n: u32) {
    let dir = temp_dir(&format!("crash-{n}"));
    let db_args: Vec<&str> = database.map(|u| vec!["--database", u]).unwrap_or_default();
    let mut demo = vec!["demo"];
    demo.extend(&db_args);
    assert!(run(&dir, &demo).status.success());
    let server = Server::start_in(dir.clone(), &db_args, None);
    let addr = server.addr();
    wait_ok(&addr, "/readyz");
    let acked: Acked = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let serial = Arc::new(AtomicU64::new(0));
    let sign_in = |who: &str| {
        let cookie = support::login(&addr, who);
        let token = support::csrf(&addr, &cookie);
        (cookie, token)
    };
    let organiser = sign_in("organiser");
    let secretary = sign_in("tencent.secretary");
    let admin = sign_in("committee.admin");
    let get = |who: &(String, String), path: &str| -> serde_json::Value {
        let r = try_http_with(&addr, "GET", path, None, "application/json", &[("Cookie", &who.0)]).unwrap();
        serde_json::from_str(&r.body).unwrap()
    };
    let orgs = get(&organiser, "/api/v1/organizations");
    let branches: Vec<String> = orgs
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["kind"] == "branch")
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .collect();
    let sec_orgs = get(&secretary, "/api/v1/organizations");
    let sec_branch = sec_orgs.as_array().unwrap().iter().find(|o| o["kind"] == "branch").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let people = get(&secretary, &format!("/api/v1/people?org={sec_branch}&status=full_member"));
    let members: Vec<String> =
        people["items"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_owned()).collect();

    // One writer: `next` makes the next request (path and body) or None to rest.
    let writer = |who: (String, String), work: Work| {
        let (addr, acked, stop, serial) = (addr.clone(), acked.clone(), stop.clone(), serial.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let k = serial.fetch_add(1, Ordering::Relaxed);
                for (table, path, body) in work(k) {
                    let body = body.to_string();
                    let Ok(r) = try_http_with(
                        &addr,
                        "POST",
                        &path,
                        Some(&body),
                        "application/json",
                        &[("Cookie", &who.0), ("X-CSRF-Token", &who.1)],
                    ) else {
                        return;
                    };
                    if r.status == 201 || r.status == 200 {
                        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap_or_default();
                        if let Some(id) = v["id"].as_str() {
                            acked.lock().unwrap().push((table, id.to_owned()));
                            if table == "people" {
                                // The person's dossier, as the next write of this writer.
                                let body = serde_json::json!({ "person_id": id }).to_string();
                                let Ok(d) = try_http_with(
                                    &addr,
                                    "POST",
                                    "/api/v1/dossiers",
                                    Some(&body),
                                    "application/json",
                                    &[("Cookie", &who.0), ("X-CSRF-Token", &who.1)],
                                ) else {
                                    return;
                                };
                                let v: serde_json::Value = serde_json::from_str(&d.body).unwrap_or_default();
                                if let (201 | 200, Some(id)) = (d.status, v["id"].as_str()) {
                                    acked.lock().unwrap().push(("dossiers", id.to_owned()));
                                }
                            }
                        }
                    }
                }
            }
        })
    };
    let run_tag = format!("{}{n}", std::process::id() % 1000);
    let tag = run_tag.clone();
    let people_work = Box::new(move |k: u64| {
        let body = serde_json::json!({
            "name": format!("断电{tag}号{k}"), "id_card": id_card(n, k), "ethnicity": "汉族", "education": "bachelor",
            "worker_category": "rider", "status": "non_member", "org_id": branches[(k as usize) % branches.len()],
        });
        vec![("people", "/api/v1/people".to_owned(), body)]
    });
    let meeting_work = Box::new(move |k: u64| {
        let marks: Vec<serde_json::Value> = members
            .iter()
            .take(3)
            .map(|p| serde_json::json!({ "person_id": p, "mark": "present" }))
            .collect();
        let body = serde_json::json!({
            "kind": "party_lecture", "held_on": "2026-11-20", "topic": format!("断电测试{k}"), "speaker": "赵重庆",
            "minutes": "纪要", "attendance": marks,
        });
        vec![("meetings", format!("/api/v1/meetings?org={sec_branch}"), body)]
    });
    let care_work = Box::new(move |k: u64| {
        let body = serde_json::json!({ "name": format!("断电礼包{k}"), "cost": 5, "stock": 10 });
        vec![("care_benefits", "/api/v1/care/benefits".to_owned(), body)]
    });
    let threads =
        vec![writer(organiser, people_work), writer(secretary, meeting_work), writer(admin, care_work)];
    std::thread::sleep(Duration::from_millis(800 + jitter(1500)));
    let dir = server.kill_9();
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        let _ = t.join();
    }
    let acked = acked.lock().unwrap().clone();
    for kind in ["people", "dossiers", "meetings", "care_benefits"] {
        assert!(acked.iter().any(|(t, _)| *t == kind), "no {kind} acknowledged: {acked:?}");
    }

    // After the kill: the journal and every row check clean...
    let mut verify = vec!["journal", "verify"];
    verify.extend(&db_args);
    let v = run(&dir, &verify);
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stdout));
    let mut check = vec!["check"];
    check.extend(&db_args);
    let c = run(&dir, &check);
    let said = String::from_utf8_lossy(&c.stdout);
    assert!(c.status.success() && said.contains(": 0 difference(s)"), "{said}");
    // ...the server starts again, and every acknowledged write is there.
    let again = Server::start_in(dir.clone(), &db_args, None);
    wait_ok(&again.addr(), "/readyz");
    let present = found(&dir, database, &acked);
    println!(
        "crash run {n} on {}: {} writes acknowledged, {present} found after kill -9 and restart",
        if database.is_some() { "PostgreSQL" } else { "SQLite" },
        acked.len()
    );
    assert_eq!(present, acked.len(), "acknowledged writes lost");
}

/// A valid ID number (GB 11643 check character) unique to run `n` and write `k`.
fn id_card(n: u32, k: u64) -> String {
    let body = format!(
        "440305199{}{:02}{:02}{:03}",
        n % 10,
        1 + (k / 28 / 1000) % 12,
        1 + (k / 1000) % 28,
        k % 1000
    );
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body.chars().zip(weights).map(|(c, w)| c.to_digit(10).unwrap() * w).sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{body}{check}")
}
