//! HTTP to JazzHR: the key where JazzHR wants it, path-segment filters,
//! errors classified (HTTP 200 `_error` included), retries with jittered
//! backoff that honour `Retry-After`, every call paid from the rate budget.

use crate::rate::RateBudget;
use crate::{ApiKey, AtsError, Priority};
use rand::Rng;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

/// How many attempts, and how long a user may be kept waiting in all.
fn attempts(priority: Priority) -> (u32, Duration) {
    match priority {
        Priority::Interactive => (3, Duration::from_secs(6)),
        Priority::Background => (6, Duration::from_secs(120)),
    }
}

/// A JazzHR HTTP client for one key.
pub struct Client {
    http: reqwest::Client,
    base: String,
    key: ApiKey,
    budget: Arc<RateBudget>,
}

/// Whether a failed request may have reached the ATS (and a POST committed).
enum Outcome {
    /// Never reached or refused before processing: safe to send again.
    NotProcessed(AtsError),
    /// May have been processed: only idempotent reads are sent again.
    Unknown(AtsError),
}

impl Client {
    /// A client for `base` (e.g. `https://api.resumatorapi.com/v1`).
    pub fn new(base: &str, key: ApiKey, budget: Arc<RateBudget>) -> Result<Self, AtsError> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(20))
            .user_agent(concat!("sourcebar/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| AtsError::Unreachable(e.to_string()))?;
        Ok(Client {
            http,
            base: base.trim_end_matches('/').to_string(),
            key,
            budget,
        })
    }

    /// `GET {base}/{path}` with `?apikey=`; retried when that is safe.
    pub async fn get(&self, path: &str, priority: Priority) -> Result<Value, AtsError> {
        self.send(Method::GET, path, None, priority, true).await
    }

    /// `POST {base}/{path}` with `apikey` inside the JSON body. Retried only
    /// when the request certainly was not processed (429, refused connection):
    /// a timeout after sending may have committed, and the caller decides.
    pub async fn post(&self, path: &str, mut body: Value) -> Result<Value, AtsError> {
        if let Value::Object(map) = &mut body {
            map.insert(
                "apikey".into(),
                Value::String(self.key.expose().to_string()),
            );
        }
        self.send(Method::POST, path, Some(body), Priority::Interactive, false)
            .await
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        priority: Priority,
        idempotent: bool,
    ) -> Result<Value, AtsError> {
        let (max, patience) = attempts(priority);
        let started = std::time::Instant::now();
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.budget.acquire(priority).await;
            let error = match self.once(&method, path, body.as_ref()).await {
                Ok(value) => return Ok(value),
                Err(Outcome::NotProcessed(e)) => e,
                Err(Outcome::Unknown(e)) if idempotent => e,
                Err(Outcome::Unknown(e)) => return Err(e),
            };
            if !error.is_transient() || attempt >= max {
                return Err(error);
            }
            let wait = match &error {
                AtsError::RateLimited {
                    retry_after: Some(d),
                } => *d,
                _ => backoff(attempt),
            };
            if started.elapsed() + wait > patience {
                return Err(error);
            }
            tracing::debug!(
                path,
                attempt,
                wait_ms = wait.as_millis() as u64,
                "retrying ATS call"
            );
            tokio::time::sleep(wait).await;
        }
    }

    async fn once(
        &self,
        method: &Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Value, Outcome> {
        let url = format!("{}/{}", self.base, path.trim_start_matches('/'));
        let mut request = self.http.request(method.clone(), &url);
        request = match body {
            Some(b) => request.json(b),
            None => request.query(&[("apikey", self.key.expose())]),
        };
        let response = request.send().await.map_err(|e| {
            // Never echo reqwest's message: it may carry the URL and its key.
            if e.is_connect() {
                Outcome::NotProcessed(AtsError::Unreachable("connection failed".into()))
            } else if e.is_timeout() {
                Outcome::Unknown(AtsError::Unreachable("timed out".into()))
            } else {
                Outcome::Unknown(AtsError::Unreachable("request failed".into()))
            }
        })?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let text = response
            .text()
            .await
            .map_err(|_| Outcome::Unknown(AtsError::Unreachable("answer cut off".into())))?;
        match status {
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                return Err(Outcome::NotProcessed(AtsError::InvalidKey))
            }
            StatusCode::TOO_MANY_REQUESTS => {
                return Err(Outcome::NotProcessed(AtsError::RateLimited { retry_after }))
            }
            StatusCode::NOT_FOUND => return Err(Outcome::NotProcessed(AtsError::NotFound)),
            s if s.is_server_error() => {
                return Err(Outcome::Unknown(AtsError::Unreachable(format!(
                    "HTTP {}",
                    s.as_u16()
                ))))
            }
            s if !s.is_success() => {
                return Err(Outcome::NotProcessed(AtsError::Ats(format!(
                    "HTTP {}",
                    s.as_u16()
                ))))
            }
            _ => {}
        }
        let value: Value = serde_json::from_str(&text)
            .map_err(|_| Outcome::Unknown(AtsError::Malformed("not JSON".into())))?;
        // JazzHR reports business errors with HTTP 200.
        if let Some(message) = value
            .get("_error")
            .or_else(|| value.get("error"))
            .and_then(Value::as_str)
        {
            let lower = message.to_lowercase();
            let error = if lower.contains("not found") {
                AtsError::NotFound
            } else if lower.contains("api key") || lower.contains("apikey") {
                AtsError::InvalidKey
            } else if lower.contains("permission") {
                AtsError::InsufficientPermissions(message.to_string())
            } else {
                AtsError::Ats(message.to_string())
            };
            return Err(Outcome::NotProcessed(error));
        }
        Ok(value)
    }
}

/// 0.5 s, 1 s, 2 s, ... capped at 20 s, each with ±50 % jitter.
fn backoff(attempt: u32) -> Duration {
    let base = 500u64
        .saturating_mul(1 << attempt.saturating_sub(1).min(6))
        .min(20_000);
    let jitter = rand::thread_rng().gen_range(base / 2..=base + base / 2);
    Duration::from_millis(jitter)
}

/// JazzHR answers a lone object when one row matches: always a list.
pub fn rows(value: Value) -> Vec<Value> {
    match value {
        Value::Array(rows) => rows,
        Value::Object(map) if map.is_empty() => Vec::new(),
        Value::Object(map) => vec![Value::Object(map)],
        _ => Vec::new(),
    }
}

/// Escapes a value for a path segment (`/applicants/name/{value}`).
pub fn segment(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
