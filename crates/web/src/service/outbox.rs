//! The outbox sender: a background task that queues tomorrow's shift reminders and hands each
//! due message to the configured HTTP endpoint (an SMS or WeChat gateway) as JSON; a failed
//! send is tried again later (30 s, doubling, at most an hour apart) and never holds up the
//! requests that queued it. Plain `http://` only: a gateway reached over TLS sits behind a
//! local relay.

use crate::clock::Clock;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use pioneer_store::Store;
use pioneer_store::service::messages::Outgoing;
use std::sync::Arc;
use std::time::Duration;

/// Where messages go: `http://host:port/path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    host: String,
    port: u16,
    path: String,
}

impl Endpoint {
    /// Reads an `http://host[:port]/path` address.
    pub fn parse(url: &str) -> Result<Self, String> {
        let rest = url.strip_prefix("http://").ok_or("the message endpoint must start with http://")?;
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (h, p.parse::<u16>().map_err(|_| format!("bad port in {url}"))?),
            None => (authority, 80),
        };
        if host.is_empty() {
            return Err(format!("no host in {url}"));
        }
        Ok(Self { host: host.to_owned(), port, path: path.to_owned() })
    }
}

/// How long after `attempts` failures the next try is due, in milliseconds.
pub fn backoff_ms(attempts: i64) -> i64 {
    (30_000_i64 << attempts.clamp(0, 7)).min(3_600_000)
}

/// Posts one message; Ok when the endpoint answered 2xx within five seconds.
pub async fn send(to: &Endpoint, m: &Outgoing) -> Result<(), String> {
    let body = serde_json::json!({ "id": m.id, "to": m.phone, "kind": m.kind, "text": m.body }).to_string();
    let (status, _) = exchange(to, "POST", "", Some((body, m.id.to_string()))).await?;
    if (200..300).contains(&status) { Ok(()) } else { Err(format!("the endpoint answered {status}")) }
}

/// One HTTP exchange with an endpoint (its path plus `suffix`), JSON in and out, within
/// five seconds: the status and the body. A body carries its idempotency key.
pub async fn exchange(
    to: &Endpoint,
    method: &str,
    suffix: &str,
    body: Option<(String, String)>,
) -> Result<(u16, Vec<u8>), String> {
    let attempt = async {
        let stream =
            tokio::net::TcpStream::connect((to.host.as_str(), to.port)).await.map_err(|e| e.to_string())?;
        let (mut sender, conn) = hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
            .await
            .map_err(|e| e.to_string())?;
        tokio::spawn(conn);
        let path = format!("{}{suffix}", to.path.trim_end_matches('/'));
        let mut request = hyper::Request::builder()
            .method(method)
            .uri(if path.is_empty() { "/" } else { path.as_str() })
            .header(hyper::header::HOST, format!("{}:{}", to.host, to.port))
            .header(hyper::header::CONTENT_TYPE, "application/json");
        let body = match body {
            Some((b, key)) => {
                request = request.header("Idempotency-Key", key);
                b
            }
            None => String::new(),
        };
        let request = request.body(Full::new(Bytes::from(body))).map_err(|e| e.to_string())?;
        let response = sender.send_request(request).await.map_err(|e| e.to_string())?;
        let status = response.status().as_u16();
        let bytes = response.into_body().collect().await.map_err(|e| e.to_string())?.to_bytes();
        Ok((status, bytes.to_vec()))
    };
    tokio::time::timeout(Duration::from_secs(5), attempt)
        .await
        .map_err(|_| "timed out after 5 s".to_owned())?
}

/// One round: queue tomorrow's reminders, then send what is due; returns (sent, failed).
pub async fn round(store: &Store, clock: &dyn Clock, to: &Endpoint) -> (usize, usize) {
    let now = clock.now();
    if let Ok(tomorrow) = clock.today().tomorrow()
        && let Err(e) = store.queue_shift_reminders(tomorrow, now.as_millisecond()).await
    {
        tracing::warn!(error = %e, "shift reminders not queued");
    }
    let due = match store.due_messages(now.as_millisecond(), 200).await {
        Ok(d) => d,
        Err(e) => {
            tracing::warn!(error = %e, "the outbox could not be read");
            return (0, 0);
        }
    };
    let (mut sent, mut failed) = (0, 0);
    for m in due {
        let result = send(to, &m).await;
        let at = clock.now().as_millisecond();
        let recorded = match &result {
            Ok(()) => store.message_sent(m.tenant_id, m.id, at).await,
            Err(why) => store.message_failed(m.tenant_id, m.id, at + backoff_ms(m.attempts), why).await,
        };
        if let Err(e) = recorded {
            tracing::warn!(error = %e, message = %m.id, "the outbox could not record a send");
        }
        match result {
            Ok(()) => sent += 1,
            Err(why) => {
                failed += 1;
                tracing::info!(message = %m.id, %why, "message not delivered; it will be tried again");
            }
        }
    }
    (sent, failed)
}

/// Runs rounds every `every` until the process ends.
pub async fn run(store: Store, clock: Arc<dyn Clock>, to: Endpoint, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        round(&store, clock.as_ref(), &to).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_and_backoff() {
        let e = Endpoint::parse("http://127.0.0.1:9000/sms").unwrap();
        assert_eq!((e.host.as_str(), e.port, e.path.as_str()), ("127.0.0.1", 9000, "/sms"));
        assert_eq!(Endpoint::parse("http://gw").unwrap().port, 80);
        assert!(Endpoint::parse("https://gw/x").is_err());
        assert_eq!((backoff_ms(0), backoff_ms(1), backoff_ms(20)), (30_000, 60_000, 3_600_000));
    }
}
