//! What every handler shares. Nothing here is the source of truth: the
//! database is; the caches (indexes, rate budgets) can be dropped any time.

use crate::crypto::MasterKey;
use crate::db::Db;
use crate::metrics::Metrics;
use crate::mirror::MirrorCache;
use sourcebar_ats::{ApiKey, Ats, AtsError, ProviderId, RateBudget};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Builds an adapter for a connection (tests put a scripted one in its place).
pub trait AtsConnector: Send + Sync {
    fn connect(
        &self,
        provider: ProviderId,
        base_url: Option<&str>,
        key: ApiKey,
        budget: Arc<RateBudget>,
    ) -> Result<Arc<dyn Ats>, AtsError>;
}

/// The real adapters.
pub struct RealAts;

impl AtsConnector for RealAts {
    fn connect(
        &self,
        provider: ProviderId,
        base_url: Option<&str>,
        key: ApiKey,
        budget: Arc<RateBudget>,
    ) -> Result<Arc<dyn Ats>, AtsError> {
        sourcebar_ats::connect_with_budget(provider, base_url, key, budget)
    }
}

/// Tunables.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How often new applicants are fetched (JazzHR has no "updated since").
    pub sync_interval: Duration,
    /// How often older records are re-listed to catch removals.
    pub refresh_interval: Duration,
    /// How often the background workers wake.
    pub tick: Duration,
    /// Requests per minute per token.
    pub token_rate_limit: usize,
    /// ATS calls per minute per connection (JazzHR allows about 80).
    pub ats_calls_per_minute: usize,
    /// Run the sync and upload workers in this process.
    pub workers: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            sync_interval: Duration::from_secs(15 * 60),
            refresh_interval: Duration::from_secs(24 * 3600),
            tick: Duration::from_secs(2),
            token_rate_limit: 600,
            ats_calls_per_minute: 75,
            workers: true,
        }
    }
}

/// Shared by handlers and workers.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub master: Arc<MasterKey>,
    pub connector: Arc<dyn AtsConnector>,
    pub settings: Arc<Settings>,
    pub mirror: Arc<MirrorCache>,
    pub metrics: Arc<Metrics>,
    /// This process's name in leases.
    pub instance: Arc<String>,
    budgets: Arc<Mutex<HashMap<String, Arc<RateBudget>>>>,
    token_windows: Arc<Mutex<HashMap<String, Vec<std::time::Instant>>>>,
}

impl AppState {
    /// State over an opened database.
    pub fn new(
        db: Db,
        master: MasterKey,
        connector: Arc<dyn AtsConnector>,
        settings: Settings,
    ) -> Self {
        AppState {
            db,
            master: Arc::new(master),
            connector,
            settings: Arc::new(settings),
            mirror: Arc::new(MirrorCache::default()),
            metrics: Arc::new(Metrics::default()),
            instance: Arc::new(crate::db::new_id()),
            budgets: Arc::default(),
            token_windows: Arc::default(),
        }
    }

    /// The rate budget of one connection, shared by all its callers here.
    pub fn budget(&self, connection_id: &str) -> Arc<RateBudget> {
        let mut budgets = self.budgets.lock().expect("budgets lock");
        budgets
            .entry(connection_id.to_string())
            .or_insert_with(|| {
                Arc::new(RateBudget::new(
                    self.settings.ats_calls_per_minute,
                    Duration::from_secs(60),
                ))
            })
            .clone()
    }

    /// Counts a request for a token; false past the per-minute limit.
    pub fn allow_token_request(&self, token_hash: &str) -> bool {
        let now = std::time::Instant::now();
        let mut windows = self.token_windows.lock().expect("token windows lock");
        let calls = windows.entry(token_hash.to_string()).or_default();
        calls.retain(|t| now.duration_since(*t) < Duration::from_secs(60));
        if calls.len() >= self.settings.token_rate_limit {
            return false;
        }
        calls.push(now);
        true
    }
}
