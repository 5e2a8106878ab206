//! The real binary: it starts on the embedded default, answers health checks, loads the
//! demo only once, refuses a non-loopback address, and stops cleanly on SIGTERM.

#![expect(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly at the first surprise")]

mod support;

use support::{Server, csrf, http, http_with, login, run, temp_dir, wait_ok};

#[test]
fn serve_answers_health_checks_and_the_api() {
    let server = Server::start("cli", &["--demo"]);
    wait_ok(&server.addr(), "/readyz");
    assert_eq!(http(&server.addr(), "GET", "/healthz", None).status, 200);
    assert_eq!(http(&server.addr(), "GET", "/api/v1/people", None).status, 401, "sign-in first");
    let cookie = login(&server.addr(), "organiser");
    let people =
        http_with(&server.addr(), "GET", "/api/v1/people", None, "application/json", &[("Cookie", &cookie)]);
    assert_eq!(people.status, 200);
    let v: serde_json::Value = serde_json::from_str(&people.body).unwrap();
    assert!(v["total"].as_u64().unwrap() >= 300);
    assert!(server.dir.join("pioneer.sqlite3").exists());
    assert!(server.dir.join("pioneer.key").exists());
    // The start-up banner names every demo account, the rider included, with the password.
    use pioneer_demo::accounts::{DEMO_ACCOUNTS, DEMO_APPLICANT, DEMO_PASSWORD, DEMO_RIDER};
    let lines = server.banner_lines(DEMO_ACCOUNTS.len() + 4);
    let text = lines.join("\n");
    assert!(text.contains(DEMO_PASSWORD), "{text}");
    for name in DEMO_ACCOUNTS.iter().map(|a| a.username).chain([DEMO_RIDER, DEMO_APPLICANT]) {
        assert!(
            lines.iter().any(|l| l.trim_start().starts_with(&format!("{name} "))),
            "{name} missing: {text}"
        );
    }
}

#[cfg(unix)]
#[test]
fn sigterm_stops_the_server_gracefully() {
    let mut server = Server::start("term", &[]);
    wait_ok(&server.addr(), "/readyz");
    let pid = server.child.id().to_string();
    assert!(std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let status = server.child.wait().unwrap();
    assert!(status.success(), "exit status {status:?}");
}

#[test]
fn the_demo_command_adds_nothing_the_second_time() {
    let dir = temp_dir("demo");
    let first = run(&dir, &["demo"]);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let second = run(&dir, &["demo"]);
    let out = String::from_utf8_lossy(&second.stdout);
    assert!(out.contains("0 organisations, 0 people and 0 dossiers added"), "{out}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_public_address_is_refused_without_tls() {
    let dir = temp_dir("listen");
    let out = run(&dir, &["serve", "--listen", "0.0.0.0:18999"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("without TLS"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn generate_makes_people_in_a_tree() {
    let dir = temp_dir("generate");
    let out = run(&dir, &["generate", "--people", "3000", "--seed", "7"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("3000 people"));
    let again = run(&dir, &["generate", "--people", "3000", "--seed", "7"]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("generated 0 organisations and 0 people"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_journal_verifies_and_prints_its_head() {
    let dir = temp_dir("journal");
    assert!(run(&dir, &["demo"]).status.success());
    let head = run(&dir, &["journal", "head"]);
    let heads: Vec<String> = String::from_utf8_lossy(&head.stdout).lines().map(str::to_owned).collect();
    assert_eq!(heads.len(), 2, "the system chain (accounts) and the demo's tenant chain: {heads:?}");
    assert!(heads.iter().all(|h| h.split(':').count() == 3), "{heads:?}");
    let mut args = vec!["journal", "verify"];
    for h in &heads {
        args.extend(["--expect", h.as_str()]);
    }
    let ok = run(&dir, &args);
    assert!(ok.status.success());
    assert!(String::from_utf8_lossy(&ok.stdout).contains("no break"));
    let last = heads.last().unwrap();
    let forged = format!("{}{}", &last[..last.len() - 4], "0000");
    let bad = run(&dir, &["journal", "verify", "--expect", &forged]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stdout).contains("JOURNAL BROKEN"));
    let _ = std::fs::remove_dir_all(dir);
}

/// Runs `sql` statements on the SQLite database of the deployment in `dir` (as an intruder
/// with the file but not the keys would).
fn tamper(dir: &std::path::Path, sql: &[&str]) {
    let url = format!("sqlite:{}", dir.join("pioneer.sqlite3").display());
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
        use sqlx::Connection;
        let mut c = sqlx::SqliteConnection::connect(&url).await.unwrap();
        for s in sql {
            sqlx::query(sqlx::AssertSqlSafe(*s)).execute(&mut c).await.unwrap();
        }
        c.close().await.unwrap();
    });
}

fn text(o: &std::process::Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// The journal is checked against a signed checkpoint outside the database, under the
/// public key the auditor kept; `pioneer check` holds the rows to the journal; a key file
/// from before the journal's keys gains them once and the journal written until then is
/// sealed and its rows' digests journaled.
#[test]
fn the_journal_is_checkpointed_signed_and_the_rows_checked() {
    let dir = temp_dir("checkpoint");
    let demo = run(&dir, &["demo"]);
    assert!(text(&demo).contains("signed with public key"), "{}", text(&demo));
    let key = String::from_utf8_lossy(&run(&dir, &["journal", "public-key"]).stdout).trim().to_owned();
    assert_eq!(key.len(), 64, "{key}");
    let clean = run(&dir, &["check"]);
    assert!(clean.status.success() && text(&clean).contains(": 0 difference(s)"), "{}", text(&clean));
    // Progress counts what was done: the entries verified and the rows checked, as the
    // report says them.
    let out = text(&clean);
    let entries = out.split("journal verified: ").nth(1).and_then(|r| r.split(' ').next()).unwrap();
    assert!(out.contains(&format!("verifying the journal: {entries} done in")), "{out}");
    let rows = out
        .split("checking every row and invariant (rows): ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .unwrap();
    assert!(rows.parse::<u64>().unwrap() > 100, "{out}");
    assert!(text(&run(&dir, &["journal", "verify"])).contains("NO CHECKPOINT YET"));
    assert!(run(&dir, &["journal", "checkpoint"]).status.success());
    let log = std::fs::read_to_string(dir.join("checkpoints/journal-checkpoints.jsonl")).unwrap();
    assert!(log.contains(&key), "{log}");
    let ok = run(&dir, &["journal", "verify", "--public-key", &key]);
    assert!(ok.status.success() && text(&ok).contains("latest of 1 signed checkpoint"), "{}", text(&ok));
    // Another deployment's key does not vouch for this log.
    let other = temp_dir("checkpoint-other");
    let other_key =
        String::from_utf8_lossy(&run(&other, &["journal", "public-key"]).stdout).trim().to_owned();
    let bad = run(&dir, &["journal", "verify", "--public-key", &other_key]);
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad));
    assert!(text(&bad).contains("does not verify under the trusted public key"));
    // A person's status edited in the file: `check` names the row.
    tamper(
        &dir,
        &[
            "UPDATE people SET status = 'applicant' WHERE id = (SELECT id FROM people WHERE status = 'full_member' LIMIT 1)",
        ],
    );
    let found = run(&dir, &["check"]);
    assert_eq!(found.status.code(), Some(2), "{}", text(&found));
    assert!(text(&found).contains("DIFFERENCE people"), "{}", text(&found));
    // The chain's tail cut and its head moved back: the checkpoint catches it.
    tamper(
        &dir,
        &[
            "DELETE FROM journal WHERE (tenant_id, seq) = (SELECT tenant_id, seq FROM journal_heads ORDER BY seq DESC LIMIT 1)",
            "UPDATE journal_heads SET seq = seq - 1, hash = (SELECT j.hash FROM journal j WHERE j.tenant_id = journal_heads.tenant_id \
             AND j.seq = journal_heads.seq - 1) WHERE seq = (SELECT MAX(seq) FROM journal_heads)",
        ],
    );
    let cut = run(&dir, &["journal", "verify"]);
    assert_eq!(cut.status.code(), Some(2), "{}", text(&cut));
    assert!(text(&cut).contains("head kept elsewhere"), "{}", text(&cut));

    // A deployment from before the journal's keys: its key file gains them at the next
    // command, its journal is sealed, and its rows are the baseline `check` holds them to.
    let old = temp_dir("checkpoint-legacy");
    assert!(run(&old, &["demo"]).status.success());
    let key_file = old.join("pioneer.key");
    let kept: String = std::fs::read_to_string(&key_file)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("journal.") && !l.starts_with("signing="))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::remove_file(&key_file).unwrap();
    {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let mut f =
            std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&key_file).unwrap();
        f.write_all(kept.as_bytes()).unwrap();
    }
    tamper(&old, &["UPDATE journal SET mac = NULL, mac_key = NULL WHERE seq > 0"]);
    let sealed = run(&old, &["journal", "verify"]);
    assert!(sealed.status.success(), "{}", text(&sealed));
    assert!(
        text(&sealed).contains("gained the journal's keys") && text(&sealed).contains("no break"),
        "{}",
        text(&sealed)
    );
    let checked = run(&old, &["check"]);
    assert!(checked.status.success() && text(&checked).contains(": 0 difference(s)"), "{}", text(&checked));
    for d in [dir, other, old] {
        let _ = std::fs::remove_dir_all(d);
    }
}

#[test]
fn backup_then_restore_through_the_command_line() {
    let dir = temp_dir("backup");
    assert!(run(&dir, &["demo"]).status.success());
    let file = dir.join("demo.backup");
    let out = run(&dir, &["backup", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(dir.join("demo.backup.manifest").is_file(), "the signed manifest beside it");
    // A change after the backup: the restore says it will be discarded before asking.
    assert!(run(&dir, &["user", "add", "--username", "late", "--role", "auditor"]).status.success());
    let refused = run(&dir, &["restore", file.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--yes"));
    let said = String::from_utf8_lossy(&refused.stdout);
    assert!(said.contains("verified") && said.contains("DISCARDS 1 journal entries"), "{said}");
    std::fs::write(dir.join("junk.backup"), b"junk").unwrap();
    let junk = run(&dir, &["restore", dir.join("junk.backup").to_str().unwrap(), "--yes"]);
    assert!(!junk.status.success() && String::from_utf8_lossy(&junk.stderr).contains("no manifest"));
    let out = run(&dir, &["restore", file.to_str().unwrap(), "--yes"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("no break"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn keys_rotate_while_the_server_runs() {
    let server = Server::start("rotate", &["--demo"]);
    wait_ok(&server.addr(), "/readyz");
    let cookie = login(&server.addr(), "organiser");
    let get =
        |path: &str| http_with(&server.addr(), "GET", path, None, "application/json", &[("Cookie", &cookie)]);
    let list: serde_json::Value = serde_json::from_str(&get("/api/v1/people").body).unwrap();
    let id = list["items"][0]["id"].as_str().unwrap().to_owned();
    let before = get(&format!("/api/v1/people/{id}")).body;
    let out = run(&server.dir, &["keys", "rotate"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("data key 2 is now current"));
    // The running server meets values sealed under key 2 and re-reads the key file.
    let after = get(&format!("/api/v1/people/{id}"));
    assert_eq!(after.status, 200, "{}", after.body);
    assert_eq!(after.body, before);
    assert!(std::fs::read_to_string(server.dir.join("pioneer.key")).unwrap().contains("current=2"));
}

#[test]
fn a_fresh_database_prints_a_one_time_admin_password() {
    let dir = temp_dir("first-admin");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_pioneer"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(&dir)
        .env("PIONEER_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::BufRead;
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let mut password = None;
    for _ in 0..5 {
        let line = lines.next().unwrap().unwrap();
        if let Some(rest) = line.split("one-time password ").nth(1) {
            password = Some(rest.trim().to_owned());
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let password = password.expect("the one-time password is printed");
    assert!(password.len() >= 16);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn user_add_creates_an_account_with_a_one_time_password() {
    let dir = temp_dir("user-add");
    assert!(run(&dir, &["demo"]).status.success());
    let out = run(
        &dir,
        &[
            "user",
            "add",
            "--username",
            "zhao.branch1",
            "--role",
            "secretary",
            "--org",
            "腾讯数据平台部第一党支部",
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("one-time password"));
    let again = run(&dir, &["user", "add", "--username", "zhao.branch1", "--role", "secretary"]);
    assert!(!again.status.success(), "a name is taken once");
    let bad = run(&dir, &["user", "add", "--username", "x", "--role", "emperor"]);
    assert!(!bad.status.success());
    // The security administrator is set up here, on the whole deployment only.
    let on_org = run(
        &dir,
        &[
            "user",
            "add",
            "--username",
            "sec2",
            "--role",
            "security_admin",
            "--org",
            "腾讯数据平台部第一党支部",
        ],
    );
    assert!(!on_org.status.success());
    assert!(
        String::from_utf8_lossy(&on_org.stderr).contains("omit --org"),
        "{}",
        String::from_utf8_lossy(&on_org.stderr)
    );
    let sec = run(&dir, &["user", "add", "--username", "sec2", "--role", "security_admin"]);
    assert!(sec.status.success(), "{}", String::from_utf8_lossy(&sec.stderr));
    let _ = std::fs::remove_dir_all(dir);
}

/// A known ID number and phone, once written through the API, appear nowhere in plain
/// text: not in the SQLite file, its WAL, a backup, nor the server's debug logs.
#[test]
fn sensitive_numbers_never_reach_disk_or_logs_in_plain_text() {
    const ID: &str = "11010519491231002X";
    const PHONE: &str = "13912345678";
    let log = temp_dir("logs").join("server.log");
    let server = Server::start_logging("sensitive", &["--demo"], Some(&log));
    wait_ok(&server.addr(), "/readyz");
    let cookie = login(&server.addr(), "organiser");
    let token = support::csrf(&server.addr(), &cookie);
    let orgs = http_with(
        &server.addr(),
        "GET",
        "/api/v1/organizations",
        None,
        "application/json",
        &[("Cookie", &cookie)],
    );
    let orgs: serde_json::Value = serde_json::from_str(&orgs.body).unwrap();
    let branch = orgs.as_array().unwrap().iter().find(|o| o["kind"] == "branch").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let body = serde_json::json!({"name": "敏感测试", "id_card": ID, "phone": PHONE, "ethnicity": "汉族", "education": "bachelor",
        "worker_category": "platform_staff", "status": "non_member", "org_id": branch}).to_string();
    let created = http_with(
        &server.addr(),
        "POST",
        "/api/v1/people",
        Some(&body),
        "application/json",
        &[("Cookie", &cookie), ("X-CSRF-Token", &token)],
    );
    assert_eq!(created.status, 201, "{}", created.body);
    // Search by both numbers too: they travel in the query string.
    for q in [ID, PHONE] {
        let r = http_with(
            &server.addr(),
            "GET",
            &format!("/api/v1/people?q={q}"),
            None,
            "application/json",
            &[("Cookie", &cookie)],
        );
        assert!(r.body.contains("敏感测试"));
    }
    let backup = server.dir.join("check.backup");
    let out = run(&server.dir, &["backup", backup.to_str().unwrap()]);
    assert!(out.status.success());
    let mut files: Vec<std::path::PathBuf> =
        std::fs::read_dir(&server.dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect();
    files.push(log.clone());
    assert!(files.iter().any(|f| f.to_string_lossy().ends_with("-wal")), "the WAL is checked too: {files:?}");
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        for needle in [ID, PHONE] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                "{needle} in plain text in {}",
                f.display()
            );
        }
    }
    assert!(std::fs::metadata(&log).unwrap().len() > 0, "the server did log");
}

#[test]
fn a_roster_exported_imports_back_unchanged_and_a_bad_one_is_refused() {
    let dir = temp_dir("cli-roster");
    assert!(run(&dir, &["demo"]).status.success());
    let file = dir.join("roster.csv");
    let out = run(&dir, &["export", "roster", "--output", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let written = String::from_utf8_lossy(&out.stdout).to_string();
    let people: usize = written.split_whitespace().nth(1).unwrap().parse().unwrap();
    assert!(people > 10, "{written}");
    let out = run(&dir, &["import", "roster", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains(&format!("new 0 · changed 0 · unchanged {people}")), "{said}");
    let progress = String::from_utf8_lossy(&out.stderr);
    assert!(
        progress.contains(&format!("checking, matching and writing: {people} done in")),
        "the phase ends with its count: {progress}"
    );
    assert!(!progress.contains("100%"), "no bar says full before the phase ended: {progress}");
    // A renamed person, in GBK: the dry run counts it and writes nothing; the import writes it once.
    let text = std::fs::read_to_string(&file).unwrap();
    let renamed = text.replacen("\n", "\n改了名", 1);
    let (gbk, _, _) = encoding_rs_gbk(&renamed[3..]);
    std::fs::write(&file, gbk).unwrap();
    for (args, expected) in [
        (vec!["--dry-run"], "changed 1"),
        (vec!["--dry-run"], "changed 1"),
        (vec![], "changed 1"),
        (vec![], &format!("changed 0 · unchanged {people}") as &str),
    ] {
        let mut all = vec!["import", "roster", file.to_str().unwrap()];
        all.extend(args);
        let out = run(&dir, &all);
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && said.contains(expected),
            "{expected}: {said} {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // A name that begins like a formula: quoted once in the file, stored without the quote,
    // exported with it again, and that export imports back unchanged.
    std::fs::write(&file, text.replacen("\n", "\n'=改了名", 1)).unwrap();
    let out = run(&dir, &["import", "roster", file.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("changed 1"), "{out:?}");
    let again = dir.join("again.csv");
    assert!(run(&dir, &["export", "roster", "--output", again.to_str().unwrap()]).status.success());
    let exported = std::fs::read_to_string(&again).unwrap();
    assert!(exported.contains("\n'=改了名") && !exported.contains("\n=改了名"), "{exported}");
    let out = run(&dir, &["import", "roster", again.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains(&format!("changed 0 · unchanged {people}")), "{said}");
    std::fs::write(&file, &text).unwrap();
    // A broken row: refused with its line, column and reason; nothing imported.
    let text = std::fs::read_to_string(&file).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines[1] = lines[1].replacen(',', ",X", 1);
    std::fs::write(&file, lines.join("\n")).unwrap();
    let out = run(&dir, &["import", "roster", file.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 2, 身份证号 id_card") && err.contains("nothing was imported"), "{err}");
}

/// GBK bytes of `text`, as a spreadsheet saved on a Chinese Windows would write them.
fn encoding_rs_gbk(text: &str) -> (Vec<u8>, (), ()) {
    let (bytes, _, _) = encoding_rs::GBK.encode(text);
    (bytes.into_owned(), (), ())
}

#[test]
fn a_large_roster_with_one_bad_row_at_the_end_imports_nothing() {
    let dir = temp_dir("cli-roster-large");
    assert!(run(&dir, &["generate", "--people", "12000", "--seed", "7"]).status.success());
    let file = dir.join("roster.csv");
    assert!(run(&dir, &["export", "roster", "--output", file.to_str().unwrap()]).status.success());
    let before = std::fs::read_to_string(&file).unwrap();
    // The first person renamed (written in the first chunks), the last row broken.
    let mut lines: Vec<String> = before.lines().map(str::to_owned).collect();
    assert!(lines.len() > 12_000, "more rows than one chunk holds");
    lines[1] = format!("改了名{}", lines[1]);
    let last = lines.len() - 1;
    lines[last] = lines[last].replacen(',', ",X", 1);
    let edited = dir.join("edited.csv");
    std::fs::write(&edited, lines.join("\n")).unwrap();
    let out = run(&dir, &["import", "roster", edited.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains(&format!("line {}, 身份证号 id_card", last + 1)) && err.contains("1 problems"),
        "{err}"
    );
    let again = dir.join("again.csv");
    assert!(run(&dir, &["export", "roster", "--output", again.to_str().unwrap()]).status.success());
    assert_eq!(std::fs::read_to_string(&again).unwrap(), before, "nothing was imported");
}

/// Keys and files (issue 16, item 5): a new deployment's folder is made 0700 and every file
/// pioneer writes is 0600 (key, database, backup); a key file others may read is refused; a
/// database that holds a deployment and has lost its key file is refused, and no new key
/// file is left behind.
#[cfg(unix)]
#[test]
fn a_lost_or_exposed_key_file_is_refused_and_files_are_the_owners_alone() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let base = temp_dir("keys");
    let dir = base.join("data");
    let out = run(&dir, &["demo"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("fingerprint"),
        "the new key's fingerprint is printed"
    );
    let key = dir.join("pioneer.key");
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&key), 0o600);
    assert_eq!(mode(&dir.join("pioneer.sqlite3")), 0o600);
    let backup = base.join("backup.sqlite3");
    let out = run(&dir, &["backup", backup.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(mode(&backup), 0o600);
    // A key file others may read is refused, as ssh refuses a private key.
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = run(&dir, &["journal", "head"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("chmod 600"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert!(run(&dir, &["journal", "head"]).status.success());
    // A lost key file is not replaced for a database that holds a deployment.
    let kept = std::fs::read_to_string(&key).unwrap();
    std::fs::remove_file(&key).unwrap();
    let out = run(&dir, &["journal", "head"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("missing") && err.contains("restore the key file"), "{err}");
    assert!(!key.exists(), "no new key file is left for an existing deployment");
    std::fs::write(&key, kept).unwrap();
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert!(run(&dir, &["journal", "head"]).status.success());
}

/// Faults without wedging (issue 16, item 4): the real binary keeps its SQLite database on a
/// small tmpfs; the disk is filled while it runs. Writes answer 503 problem+json ("storage
/// unavailable"), never 500, and /readyz says 503; once the space is freed, writes succeed
/// again without a restart. Skipped, saying why, where a tmpfs cannot be mounted.
#[cfg(unix)]
#[test]
fn a_full_disk_answers_503_and_writes_resume_when_space_returns() {
    use std::io::Write;
    let mount = temp_dir("full-disk");
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=48m", "tmpfs"])
        .arg(&mount)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: a tmpfs cannot be mounted here (mount needs root or CAP_SYS_ADMIN)");
        return;
    }
    struct Unmount(std::path::PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg("-l").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(mount.clone());
    let server = Server::start_in(mount.join("data"), &["--demo"], None);
    let addr = server.addr();
    wait_ok(&addr, "/readyz");
    let cookie = login(&addr, "organiser");
    let token = csrf(&addr, &cookie);
    let orgs: serde_json::Value = serde_json::from_str(
        &http_with(&addr, "GET", "/api/v1/organizations", None, "application/json", &[("Cookie", &cookie)])
            .body,
    )
    .unwrap();
    let org = orgs["items"].as_array().or(orgs.as_array()).unwrap()[0]["id"].as_str().unwrap().to_owned();
    let person = |n: u32| {
        let id =
            pioneer_domain::people::id_card::IdCardNumber::compose(440305, jiff::civil::date(1992, 2, 2), n);
        let body = serde_json::json!({"name": "磁盘", "id_card": id.as_str(), "ethnicity": "汉族", "education": "bachelor",
            "worker_category": "rider", "status": "non_member", "org_id": org})
        .to_string();
        http_with(
            &addr,
            "POST",
            "/api/v1/people",
            Some(&body),
            "application/json",
            &[("Cookie", &cookie), ("X-CSRF-Token", &token)],
        )
    };
    assert_eq!(person(1).status, 201);
    // Fill the disk.
    let filler = mount.join("filler");
    {
        let mut f = std::fs::File::create(&filler).unwrap();
        let chunk = vec![0u8; 1 << 20];
        while f.write_all(&chunk).is_ok() {}
        let _ = f.sync_all();
    }
    // Writes refuse with 503 (the log's spare room may take a few first), never a 500.
    let mut refused = None;
    for n in 2..3000 {
        let r = person(n);
        assert_ne!(r.status, 500, "a full disk is not a generic 500: {}", r.body);
        if r.status == 503 {
            refused = Some(r);
            break;
        }
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let refused = refused.expect("writes on a full disk are refused");
    assert!(
        refused.head.contains("application/problem+json") && refused.body.contains("storage-unavailable"),
        "{}",
        refused.body
    );
    assert_eq!(http(&addr, "GET", "/readyz", None).status, 503, "not ready while the disk is full");
    // Space returns: writes succeed again, without a restart.
    std::fs::remove_file(&filler).unwrap();
    let again = person(5000);
    assert_eq!(again.status, 201, "{}", again.body);
    // Ready again once no write has failed for ten seconds.
    let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while http(&addr, "GET", "/readyz", None).status != 200 {
        assert!(std::time::Instant::now() < until, "ready again after the fault");
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    drop(server);
}
