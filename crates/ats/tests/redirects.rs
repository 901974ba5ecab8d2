//! An ATS (or whatever answers at its address) that redirects must not get
//! the request re-sent elsewhere: a 307 re-sends a POST's body, and the
//! JazzHR key travels inside that body.

use sourcebar_ats::{
    connect_with_budget, AccountAddress, ApiKey, AtsError, NewCandidate, ProviderId, RateBudget,
};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const KEY: &str = "jazz-secret-key-0042";

/// Reads one HTTP request (head and a Content-Length body) off `stream`.
async fn read_request(stream: &mut tokio::net::TcpStream) -> String {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = stream.read(&mut buf).await.unwrap_or(0);
        if n == 0 {
            break;
        }
        data.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&data).to_string();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if data.len() >= end + 4 + length {
                break;
            }
        }
    }
    String::from_utf8_lossy(&data).to_string()
}

/// A server that records every request it receives.
async fn recorder() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let request = read_request(&mut stream).await;
            log.lock().unwrap().push(request);
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n[]")
                .await;
        }
    });
    (format!("http://{addr}"), seen)
}

/// A server answering every request with `status` and `Location: {to}`.
async fn redirector(status: u16, to: String) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let hits = Arc::new(AtomicUsize::new(0));
    let count = hits.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            read_request(&mut stream).await;
            count.fetch_add(1, Ordering::SeqCst);
            let answer = format!(
                "HTTP/1.1 {status} Redirect\r\nlocation: {to}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
            let _ = stream.write_all(answer.as_bytes()).await;
        }
    });
    (format!("http://{addr}/v1"), hits)
}

#[tokio::test]
async fn redirects_are_not_followed_and_the_key_stays_home() {
    let (elsewhere, seen) = recorder().await;
    for status in [301, 302, 303, 307, 308] {
        let (base, hits) = redirector(status, format!("{elsewhere}/v1/applicants")).await;
        let ats = connect_with_budget(
            ProviderId::Jazzhr,
            AccountAddress::api(Some(&base)),
            ApiKey::new(KEY),
            Arc::new(jazzhr_budget()),
        )
        .unwrap();
        let created = ats
            .create_candidate(&NewCandidate {
                first_name: "Ada".into(),
                last_name: "Lovelace".into(),
                email: Some("ada@example.test".into()),
                ..Default::default()
            })
            .await;
        assert!(
            matches!(created, Err(AtsError::Ats(_))),
            "HTTP {status} on a create is an ATS error: {created:?}"
        );
        let validated = ats.validate_key().await;
        assert!(
            matches!(validated, Err(AtsError::Ats(_))),
            "HTTP {status} on a read is an ATS error, not success: {validated:?}"
        );
        assert!(
            hits.load(Ordering::SeqCst) >= 2,
            "the redirecting server was called"
        );
    }
    let seen = seen.lock().unwrap();
    assert!(
        seen.is_empty(),
        "the redirect target received {} requests, e.g. {:?}",
        seen.len(),
        seen.first()
    );
}

/// The recorder itself works: without the redirect, it sees the key.
#[tokio::test]
async fn the_recorder_sees_what_reaches_it() {
    let (base, seen) = recorder().await;
    let ats = connect_with_budget(
        ProviderId::Jazzhr,
        AccountAddress::api(Some(&format!("{base}/v1"))),
        ApiKey::new(KEY),
        Arc::new(jazzhr_budget()),
    )
    .unwrap();
    let _ = ats
        .create_candidate(&NewCandidate {
            first_name: "Ada".into(),
            last_name: "Lovelace".into(),
            email: Some("ada@example.test".into()),
            ..Default::default()
        })
        .await;
    let seen = seen.lock().unwrap();
    assert!(seen.iter().any(|r| r.contains(KEY)), "{seen:?}");
}

/// JazzHR's own budget, as the provider registry sets it.
fn jazzhr_budget() -> RateBudget {
    sourcebar_ats::registry::provider(ProviderId::Jazzhr).budget()
}
