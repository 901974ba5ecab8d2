//! What stands between a client and the emulated API: the key check and
//! the per-key rate window (answered in the dialect's way), and faults
//! switchable at run time.

use crate::dialect::RateWindow;
use crate::Shared;
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::Rng;
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

/// A kind of fault the sandbox can inject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    Latency,
    RateLimit,
    #[serde(rename = "error_500")]
    Error500,
    #[serde(rename = "error_503")]
    Error503,
    Timeout,
    Malformed,
    /// The write happens, then the answer is lost.
    DropAfterCommit,
}

/// One active fault (`POST /_sandbox/faults`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Fault {
    pub kind: FaultKind,
    pub probability: f64,
    #[serde(default)]
    pub path_prefix: Option<String>,
    #[serde(default)]
    pub latency_ms: Option<u64>,
    /// Only calls with this method (`"POST"`); any method when absent.
    #[serde(default)]
    pub method: Option<String>,
}

/// Requests per key in the current window.
#[derive(Debug)]
pub struct Window {
    pub started: Instant,
    pub count: u32,
    /// When each request of the last window arrived (sliding), refused
    /// ones included: what the ATS saw, for `peak_per_window`.
    pub arrivals: std::collections::VecDeque<Instant>,
    /// For a token bucket: thousandths of a call left, as of `refilled`.
    pub bucket: u64,
    pub refilled: Instant,
}

/// Thousandths of a call: a token bucket refills in fractions.
const MILLI: u64 = 1000;

const MAX_BODY: usize = 8 * 1024 * 1024;

/// Middleware for `/v1/*`: authenticate, rate-limit, inject faults.
pub async fn guard(State(shared): State<Shared>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    shared.count_request(&path);

    let dialect = shared.dialect();
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "").into_response();
    };
    let key = dialect.caller_key(&shared, &parts, &bytes);
    if !shared.accepts(key.as_deref()) {
        return dialect.unauthorized();
    }
    let (allowed, window) = shared.take_from_window(key.as_deref().unwrap_or_default());
    if !allowed {
        return shared.too_many(&window);
    }

    let fault = shared.roll_fault(parts.method.as_str(), &path);
    match fault.as_ref().map(|f| f.kind) {
        Some(FaultKind::Latency) => {
            let ms = fault.as_ref().and_then(|f| f.latency_ms).unwrap_or(1500);
            tokio::time::sleep(Duration::from_millis(ms)).await;
        }
        Some(FaultKind::RateLimit) => return shared.too_many(&window),
        Some(FaultKind::Error500) => {
            return (StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error").into_response()
        }
        Some(FaultKind::Error503) => {
            return (StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable").into_response()
        }
        Some(FaultKind::Timeout) => {
            let ms = fault.as_ref().and_then(|f| f.latency_ms).unwrap_or(60_000);
            tokio::time::sleep(Duration::from_millis(ms)).await;
            return (StatusCode::GATEWAY_TIMEOUT, "").into_response();
        }
        Some(FaultKind::Malformed) => {
            return (StatusCode::OK, dialect.malformed_body()).into_response()
        }
        Some(FaultKind::DropAfterCommit) | None => {}
    }

    let mut response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    if fault.is_some_and(|f| f.kind == FaultKind::DropAfterCommit) {
        // The handler ran and committed; the client never learns it.
        return (StatusCode::BAD_GATEWAY, "").into_response();
    }
    dialect.add_rate_headers(&window, &mut response);
    response
}

impl crate::SandboxState {
    /// Counts a call of `key` in its window: whether it may go on, and the
    /// window as it stands after it.
    fn take_from_window(&self, key: &str) -> (bool, RateWindow) {
        let mut windows = self.windows.lock().expect("windows lock");
        let now = Instant::now();
        let window = windows.entry(key.to_string()).or_insert(Window {
            started: now,
            count: 0,
            arrivals: std::collections::VecDeque::new(),
            bucket: u64::MAX,
            refilled: now,
        });
        while window
            .arrivals
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.rate_window)
        {
            window.arrivals.pop_front();
        }
        window.arrivals.push_back(now);
        {
            let mut stats = self.stats.lock().expect("stats lock");
            let in_window = u64::try_from(window.arrivals.len()).unwrap_or(u64::MAX);
            stats.peak_per_window = stats.peak_per_window.max(in_window);
        }
        if let Some(burst) = self.dialect().burst(self.rate_limit) {
            return (
                self.take_from_bucket(window, burst, now),
                self.bucket_state(window, burst),
            );
        }
        if now.duration_since(window.started) >= self.rate_window {
            window.started = now;
            window.count = 0;
        }
        let allowed = window.count < self.rate_limit;
        if allowed {
            window.count += 1;
        }
        let state = RateWindow {
            limit: self.rate_limit,
            remaining: self.rate_limit.saturating_sub(window.count),
            resets_in: self
                .rate_window
                .saturating_sub(now.duration_since(window.started)),
            retry_after_secs: self.retry_after_secs,
        };
        (allowed, state)
    }

    /// A token bucket of `burst` calls refilled at `rate_limit` per
    /// `rate_window` (Lever's): whether one call may be taken now.
    fn take_from_bucket(&self, window: &mut Window, burst: u32, now: Instant) -> bool {
        let capacity = u64::from(burst) * MILLI;
        let elapsed = now.duration_since(window.refilled).as_nanos();
        let window_ns = self.rate_window.as_nanos().max(1);
        let refill = elapsed * u128::from(self.rate_limit) * u128::from(MILLI) / window_ns;
        let refill = u64::try_from(refill).unwrap_or(u64::MAX);
        window.bucket = window.bucket.saturating_add(refill).min(capacity);
        window.refilled = now;
        let allowed = window.bucket >= MILLI;
        if allowed {
            window.bucket -= MILLI;
        }
        allowed
    }

    /// The bucket as a window: its size, whole calls left, and how long
    /// until the next call may be taken.
    fn bucket_state(&self, window: &Window, burst: u32) -> RateWindow {
        let missing = MILLI.saturating_sub(window.bucket);
        let per_call = self.rate_window / self.rate_limit.max(1);
        let wait = per_call.mul_f64(0.001) * u32::try_from(missing).unwrap_or(u32::MAX);
        RateWindow {
            limit: burst,
            remaining: u32::try_from(window.bucket / MILLI).unwrap_or(u32::MAX),
            resets_in: wait,
            retry_after_secs: self.retry_after_secs,
        }
    }

    fn too_many(&self, window: &RateWindow) -> Response {
        self.stats.lock().expect("stats lock").rate_limited += 1;
        self.dialect().rate_limited(window)
    }

    fn roll_fault(&self, method: &str, path: &str) -> Option<Fault> {
        if let Some(kind) = self.take_forced(path) {
            return Some(Fault {
                kind,
                probability: 1.0,
                path_prefix: None,
                latency_ms: None,
                method: None,
            });
        }
        let faults = self.faults.lock().expect("faults lock");
        let mut rng = rand::thread_rng();
        faults
            .iter()
            .filter(|f| f.path_prefix.as_deref().is_none_or(|p| path.starts_with(p)))
            .filter(|f| {
                f.method
                    .as_deref()
                    .is_none_or(|m| m.eq_ignore_ascii_case(method))
            })
            .find(|f| rng.gen_bool(f.probability.clamp(0.0, 1.0)))
            .cloned()
    }

    fn count_request(&self, path: &str) {
        let mut stats = self.stats.lock().expect("stats lock");
        stats.total += 1;
        let key = path.split('/').take(3).collect::<Vec<_>>().join("/");
        *stats.by_path.entry(key).or_default() += 1;
    }
}
