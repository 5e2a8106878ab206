//! Helpers for tests that run the real `pioneer` binary: start it, read the address it
//! prints, and speak plain HTTP/1.1 to it (and to chromedriver) without a client library.

#![allow(dead_code, reason = "each test binary uses a different part")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `pioneer serve`, stopped when dropped.
pub struct Server {
    pub child: Child,
    pub base: String,
    pub dir: PathBuf,
    /// What the server printed after its address (the demo accounts, the first password).
    pub banner: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

/// A fresh data directory.
pub fn temp_dir(tag: &str) -> PathBuf {
    let nanos = std::time::SystemTime::UNIX_EPOCH.elapsed().map(|d| d.as_nanos()).unwrap_or(0);
    let dir = std::env::temp_dir().join(format!("pioneer-{tag}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the binary to completion in `dir`.
pub fn run(dir: &PathBuf, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_pioneer"))
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env("PIONEER_LOG", "warn")
        .output()
        .unwrap()
}

impl Server {
    /// Starts `pioneer serve` with `extra` arguments on a free loopback port.
    pub fn start(tag: &str, extra: &[&str]) -> Self {
        Self::start_logging(tag, extra, None)
    }

    /// Like [`Server::start`], writing the server's debug logs to `log` when given.
    pub fn start_logging(tag: &str, extra: &[&str], log: Option<&std::path::Path>) -> Self {
        Self::start_in(temp_dir(tag), extra, log)
    }

    /// Like [`Server::start_logging`], with its data in `dir`.
    pub fn start_in(dir: PathBuf, extra: &[&str], log: Option<&std::path::Path>) -> Self {
        let (stderr, level) = match log {
            Some(path) => (Stdio::from(std::fs::File::create(path).unwrap()), "debug"),
            None => (Stdio::inherit(), "warn"),
        };
        let mut child = Command::new(env!("CARGO_BIN_EXE_pioneer"))
            .arg("serve")
            .args(["--listen", "127.0.0.1:0"])
            .args(extra)
            .arg("--data-dir")
            .arg(&dir)
            .env("PIONEER_LOG", level)
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let base = loop {
            let line = lines.next().expect("pioneer exited before printing its address").unwrap();
            if let Some(rest) = line.split("http://").nth(1) {
                break format!("http://{}", rest.split('/').next().unwrap());
            }
        };
        // Keep draining stdout so the server never blocks on a full pipe; keep the lines.
        let banner = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let kept = banner.clone();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                kept.lock().unwrap().push(line);
            }
        });
        Self { child, base, dir, banner }
    }

    /// The banner's lines once `want` of them have been printed (or after five seconds).
    pub fn banner_lines(&self, want: usize) -> Vec<String> {
        let until = Instant::now() + Duration::from_secs(5);
        loop {
            let lines = self.banner.lock().unwrap().clone();
            if lines.len() >= want || Instant::now() > until {
                return lines;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// `host:port`.
    pub fn addr(&self) -> String {
        self.base.trim_start_matches("http://").to_owned()
    }
}

impl Server {
    /// Kills the server with SIGKILL (no shutdown of any kind) and keeps its data folder.
    pub fn kill_9(mut self) -> PathBuf {
        let _ = self.child.kill();
        let _ = self.child.wait();
        std::mem::take(&mut self.dir)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if !self.dir.as_os_str().is_empty() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// A reply: status, head (lower-cased) and body.
pub struct Reply {
    pub status: u16,
    pub head: String,
    pub body: String,
}

/// One HTTP/1.1 request to `addr` (`host:port`).
pub fn http(addr: &str, method: &str, path: &str, body: Option<&str>) -> Reply {
    http_with(addr, method, path, body, "application/json", &[])
}

/// Signs in as a demo account and returns the `Cookie` header value.
pub fn login(addr: &str, username: &str) -> String {
    let body = format!("username={username}&password=Demo%40Shenzhen2026");
    let r = http_with(addr, "POST", "/login", Some(&body), "application/x-www-form-urlencoded", &[]);
    assert_eq!(r.status, 303, "login as {username}: {}", r.body);
    let line = r.head.lines().find(|l| l.starts_with("set-cookie:")).expect("a session cookie");
    // The head is lower-cased; the token is hex, so that loses nothing.
    line.trim_start_matches("set-cookie:").trim().split(';').next().unwrap().to_owned()
}

/// One HTTP/1.1 request with a content type and extra headers.
pub fn http_with(
    addr: &str,
    method: &str,
    path: &str,
    body: Option<&str>,
    content_type: &str,
    headers: &[(&str, &str)],
) -> Reply {
    try_http_with(addr, method, path, body, content_type, headers).unwrap()
}

/// Like [`http_with`], with a failed connection or a cut response as an error (a server
/// killed mid-request).
pub fn try_http_with(
    addr: &str,
    method: &str,
    path: &str,
    body: Option<&str>,
    content_type: &str,
    headers: &[(&str, &str)],
) -> Result<Reply, String> {
    let e = |e: std::io::Error| e.to_string();
    let mut stream = TcpStream::connect(addr).map_err(e)?;
    stream.set_read_timeout(Some(Duration::from_secs(60))).map_err(e)?;
    let body = body.unwrap_or("");
    let extra: String = headers.iter().map(|(k, v)| format!("{k}: {v}\r\n")).collect();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: {content_type}\r\n{extra}Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(req.as_bytes()).map_err(e)?;
    // Read the head, then exactly the body the head announces: some servers keep the
    // connection open despite `Connection: close`.
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = find(&raw, b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut buf).map_err(e)?;
        if n == 0 {
            return Err("connection closed before the response head".into());
        }
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..head_end]).to_ascii_lowercase();
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    let chunked = head.contains("transfer-encoding: chunked");
    loop {
        let body = &raw[head_end..];
        let done = match length {
            Some(n) => body.len() >= n,
            None if chunked => {
                find(body, b"0\r\n\r\n").is_some_and(|i| i == 0 || body[..i].ends_with(b"\r\n"))
            }
            None => false,
        };
        if done {
            break;
        }
        let n = stream.read(&mut buf).unwrap_or(0);
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
    }
    if let Some(n) = length
        && raw.len() - head_end < n
    {
        return Err("the response was cut".into());
    }
    let body = String::from_utf8_lossy(&raw[head_end..]).into_owned();
    let body = if chunked { dechunk(&body) } else { body };
    Ok(Reply { status, head, body })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

/// Waits until `GET path` answers 200.
pub fn wait_ok(addr: &str, path: &str) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        if TcpStream::connect(addr).is_ok() && http(addr, "GET", path, None).status == 200 {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{addr}{path} never answered 200");
}

/// The CSRF token of a signed-in session (read from a page's form).
pub fn csrf(addr: &str, cookie: &str) -> String {
    let page = http_with(addr, "GET", "/account/password", None, "text/html", &[("Cookie", cookie)]);
    page.body.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned()
}
