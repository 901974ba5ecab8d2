//! An ATS emulator (JazzHR's v1 API first) for tests, benchmarks and the demo.
//!
//! It reproduces what real clients meet: path-segment filters, pages of 100,
//! a lone object instead of a one-element array, business errors as HTTP 200
//! with `_error`, and a bare 429 past 80 calls a minute per key. Faults can be
//! switched on at run time under `/_sandbox/`. See README.md for every choice
//! made where the public facts are silent.

mod control;
mod faults;
pub mod jazzhr;
mod people;
pub mod store;

use faults::Window;
pub use faults::{Fault, FaultKind};
use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use store::{SeedCandidate, Store};

/// How to start a sandbox.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Where to listen; port 0 picks a free one.
    pub listen: SocketAddr,
    /// The one API key it accepts.
    pub api_key: String,
    /// Generated candidates to start with.
    pub seed_candidates: usize,
    /// Candidates to start with, in the contract's Candidate shape.
    pub seed: Vec<SeedCandidate>,
    /// Seed of the generator, for reproducible data.
    pub rng_seed: u64,
    /// Calls per key per window (JazzHR: about 80 a minute).
    pub rate_limit: u32,
    /// The rate window (a minute; shorter in tests).
    pub rate_window: Duration,
    /// Send `Retry-After` with 429s (JazzHR sends none).
    pub retry_after_secs: Option<u64>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            api_key: "sandbox-key".into(),
            seed_candidates: 0,
            seed: Vec::new(),
            rng_seed: 42,
            rate_limit: 80,
            rate_window: Duration::from_mins(1),
            retry_after_secs: None,
        }
    }
}

/// Request counts, for assertions ("no 429 was ever served").
#[derive(Debug, Default)]
pub struct Stats {
    pub total: u64,
    pub rate_limited: u64,
    /// The most requests of one key that arrived within any one rate
    /// window (sliding), refused ones included.
    pub peak_per_window: u64,
    pub by_path: BTreeMap<String, u64>,
}

/// The running sandbox's state, shared by its handlers.
pub struct SandboxState {
    pub store: Mutex<Store>,
    /// The one key accepted; `PUT /_sandbox/key` replaces it, as an ATS
    /// admin regenerating the key would.
    api_key: Mutex<String>,
    pub faults: Mutex<Vec<Fault>>,
    pub stats: Mutex<Stats>,
    windows: Mutex<HashMap<String, Window>>,
    rate_limit: u32,
    rate_window: Duration,
    retry_after_secs: Option<u64>,
}

type Shared = Arc<SandboxState>;

impl SandboxState {
    /// Whether `key` is the key currently accepted.
    pub fn accepts(&self, key: Option<&str>) -> bool {
        key == Some(self.api_key.lock().expect("key lock").as_str())
    }

    /// Replaces the accepted key: every holder of the old one is refused.
    pub fn replace_key(&self, key: &str) {
        key.clone_into(&mut self.api_key.lock().expect("key lock"));
    }
}

/// A started sandbox.
pub struct SandboxHandle {
    pub addr: SocketAddr,
    pub state: Arc<SandboxState>,
    task: tokio::task::JoinHandle<()>,
}

impl SandboxHandle {
    /// Base URL of the JazzHR API (`http://ADDR/v1`).
    pub fn api_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// Base URL of the server (`http://ADDR`).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for SandboxHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The router, for in-process use.
pub fn router(state: Arc<SandboxState>) -> axum::Router {
    let api = jazzhr::routes().layer(axum::middleware::from_fn_with_state(
        state.clone(),
        faults::guard,
    ));
    api.merge(control::routes()).with_state(state)
}

/// Builds the state from a config (seeding included).
pub fn state(config: &SandboxConfig) -> Arc<SandboxState> {
    let mut store = Store::new();
    store.seed_from(config.seed.clone());
    store.seed_generated(config.seed_candidates, config.rng_seed);
    Arc::new(SandboxState {
        store: Mutex::new(store),
        api_key: Mutex::new(config.api_key.clone()),
        faults: Mutex::new(Vec::new()),
        stats: Mutex::new(Stats::default()),
        windows: Mutex::new(HashMap::new()),
        rate_limit: config.rate_limit,
        rate_window: config.rate_window,
        retry_after_secs: config.retry_after_secs,
    })
}

/// Starts a sandbox on a tokio task.
pub async fn start(config: SandboxConfig) -> std::io::Result<SandboxHandle> {
    let state = state(&config);
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let app = router(state.clone());
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(SandboxHandle { addr, state, task })
}

/// Today as `YYYY-MM-DD` (UTC).
pub fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    // Days since 1970 fit an i64 for the next 25 quadrillion years.
    let days = i64::try_from(days).unwrap_or(i64::MAX);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian.
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "day is in 1..=31 and month in 1..=12 by construction"
)]
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_dates() {
        assert_eq!(super::civil_from_days(0), (1970, 1, 1));
        assert_eq!(super::civil_from_days(20_454), (2026, 1, 1));
    }
}
