//! The real binary: it starts on the embedded default, answers health checks, loads the
//! demo only once, refuses a non-loopback address, and stops cleanly on SIGTERM.

#![expect(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly at the first surprise")]

mod support;

use support::{Server, http, run, temp_dir, wait_ok};

#[test]
fn serve_answers_health_checks_and_the_api() {
    let server = Server::start("cli", &["--demo"]);
    wait_ok(&server.addr(), "/readyz");
    assert_eq!(http(&server.addr(), "GET", "/healthz", None).status, 200);
    let people = http(&server.addr(), "GET", "/api/v1/people", None);
    assert_eq!(people.status, 200);
    let v: serde_json::Value = serde_json::from_str(&people.body).unwrap();
    assert!(v["total"].as_u64().unwrap() >= 300);
    assert!(server.dir.join("pioneer.sqlite3").exists());
    assert!(server.dir.join("pioneer.key").exists());
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
    assert!(out.contains("0 organisations and 0 people added"), "{out}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_public_address_is_refused_until_login_exists() {
    let dir = temp_dir("listen");
    let out = run(&dir, &["serve", "--listen", "0.0.0.0:18999"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("loopback"));
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
    let head = String::from_utf8_lossy(&head.stdout).trim().to_owned();
    assert_eq!(head.split(':').count(), 3, "{head}");
    let ok = run(&dir, &["journal", "verify", "--expect", &head]);
    assert!(ok.status.success());
    assert!(String::from_utf8_lossy(&ok.stdout).contains("no break"));
    let forged = format!("{}{}", &head[..head.len() - 4], "0000");
    let bad = run(&dir, &["journal", "verify", "--expect", &forged]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stdout).contains("JOURNAL BROKEN"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn backup_then_restore_through_the_command_line() {
    let dir = temp_dir("backup");
    assert!(run(&dir, &["demo"]).status.success());
    let file = dir.join("demo.backup");
    let out = run(&dir, &["backup", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let refused = run(&dir, &["restore", file.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--yes"));
    let out = run(&dir, &["restore", file.to_str().unwrap(), "--yes"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("no break"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn keys_rotate_while_the_server_runs() {
    let server = Server::start("rotate", &["--demo"]);
    wait_ok(&server.addr(), "/readyz");
    let list: serde_json::Value =
        serde_json::from_str(&http(&server.addr(), "GET", "/api/v1/people", None).body).unwrap();
    let id = list["items"][0]["id"].as_str().unwrap().to_owned();
    let before = http(&server.addr(), "GET", &format!("/api/v1/people/{id}"), None).body;
    let out = run(&server.dir, &["keys", "rotate"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("data key 2 is now current"));
    // The running server meets values sealed under key 2 and re-reads the key file.
    let after = http(&server.addr(), "GET", &format!("/api/v1/people/{id}"), None);
    assert_eq!(after.status, 200, "{}", after.body);
    assert_eq!(after.body, before);
    assert!(std::fs::read_to_string(server.dir.join("pioneer.key")).unwrap().contains("current=2"));
}
