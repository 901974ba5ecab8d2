//! What every handler shares. Nothing here is the source of truth: the
//! database is; the caches (indexes, rate budgets) can be dropped any time.

use crate::crypto::MasterKey;
use crate::error::AppError;
use crate::metrics::Metrics;
use crate::storage::db::{Backend, Db};
use crate::storage::mirror::MirrorCache;
use crate::storage::rate::DbLedger;
use sourcebar_ats::net::Reach;
use sourcebar_ats::{AccountAddress, ApiKey, Ats, AtsError, ProviderId, RateBudget};
use sourcebar_core::providers::Capabilities;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Live checks of one connection's ATS running at once, at most: they spend
/// the budget interactive calls share.
pub const LIVE_CHECKS_PER_CONNECTION: usize = 2;

/// Builds an adapter for a connection (tests put a scripted one in its place).
pub trait AtsConnector: Send + Sync {
    /// Connects only where `reach` allows (see [`AppState::ats_reach`]).
    fn connect(
        &self,
        provider: ProviderId,
        address: AccountAddress<'_>,
        key: ApiKey,
        budget: Arc<RateBudget>,
        reach: Reach,
    ) -> Result<Arc<dyn Ats>, AtsError>;

    /// What the provider's API allows (the rules upload validation follows);
    /// a provider without an adapter allows nothing.
    fn capabilities(&self, provider: ProviderId) -> Capabilities {
        sourcebar_ats::capabilities(provider).unwrap_or_default()
    }
}

/// The real adapters.
pub struct RealAts;

impl AtsConnector for RealAts {
    fn connect(
        &self,
        provider: ProviderId,
        address: AccountAddress<'_>,
        key: ApiKey,
        budget: Arc<RateBudget>,
        reach: Reach,
    ) -> Result<Arc<dyn Ats>, AtsError> {
        sourcebar_ats::connect_reaching(provider, address, key, budget, reach)
    }
}

/// Tunables.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How often new applicants are fetched (JazzHR has no "updated since").
    pub sync_interval: Duration,
    /// How often older records are re-listed to catch removals.
    pub refresh_interval: Duration,
    /// How often jobs (and applications) are refreshed (`job_sync_interval_secs`).
    pub job_sync_interval: Duration,
    /// How often the background workers wake.
    pub tick: Duration,
    /// Requests per minute per token.
    pub token_rate_limit: usize,
    /// ATS calls per minute per connection; `None` keeps each provider's
    /// own rate (the registry's, a little under what the ATS allows).
    pub ats_calls_per_minute: Option<usize>,
    /// The window `ats_calls_per_minute` counts over (a minute; tests
    /// shorten it).
    pub ats_rate_window: Duration,
    /// Run the sync and upload workers in this process.
    pub workers: bool,
    /// Wall-clock cap on one sync step of one connection.
    pub step_timeout: Duration,
    /// Lets a connection's `base_url` point at loopback or private space
    /// (the tests' and the demo's sandboxes); off by default, against SSRF.
    pub allow_private_base_urls: bool,
    /// When not empty, CORS answers only these extensions' origins.
    pub allowed_extension_ids: Vec<String>,
    /// Where `/metrics` is served; `None` keeps it on the API address.
    pub metrics_listen: Option<std::net::SocketAddr>,
    /// Unauthenticated attempts (invite accepts, refused tokens) per minute
    /// per client address.
    pub unauthenticated_rate_limit: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            sync_interval: Duration::from_mins(15),
            refresh_interval: Duration::from_hours(24),
            job_sync_interval: Duration::from_hours(6),
            tick: Duration::from_secs(2),
            token_rate_limit: 600,
            ats_calls_per_minute: None,
            ats_rate_window: Duration::from_mins(1),
            workers: true,
            step_timeout: Duration::from_mins(1),
            allow_private_base_urls: false,
            allowed_extension_ids: Vec::new(),
            metrics_listen: None,
            unauthenticated_rate_limit: 30,
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
    live_checks: Arc<Mutex<HashMap<String, Arc<Semaphore>>>>,
    token_windows: Arc<Mutex<HashMap<String, Vec<std::time::Instant>>>>,
    unauthenticated_windows: Arc<Mutex<HashMap<IpAddr, Vec<Instant>>>>,
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
            instance: Arc::new(crate::storage::db::new_id()),
            budgets: Arc::default(),
            live_checks: Arc::default(),
            token_windows: Arc::default(),
            unauthenticated_windows: Arc::default(),
        }
    }

    /// Where ATS clients may connect: public addresses only, unless
    /// `allow_private_base_urls` is on.
    pub fn ats_reach(&self) -> Reach {
        if self.settings.allow_private_base_urls {
            Reach::Any
        } else {
            Reach::PublicOnly
        }
    }

    /// The rate budget of one connection to `provider`, shared by all its
    /// callers here, and on PostgreSQL by every server of the database
    /// (replicas together stay under the ATS's limit); a single SQLite
    /// server keeps it in memory.
    pub fn budget(&self, connection_id: &str, provider: ProviderId) -> Arc<RateBudget> {
        let mut budgets = self.budgets.lock().expect("budgets lock");
        budgets
            .entry(connection_id.to_string())
            .or_insert_with(|| {
                let budget = match self.settings.ats_calls_per_minute {
                    Some(calls) => RateBudget::new(calls, self.settings.ats_rate_window),
                    None => sourcebar_ats::registry::provider(provider).budget(),
                };
                Arc::new(match self.db.backend {
                    Backend::Postgres => {
                        budget.sharing(Arc::new(DbLedger::new(self.db.clone(), connection_id)))
                    }
                    Backend::Sqlite => budget,
                })
            })
            .clone()
    }

    /// A slot for one live check of a connection's ATS, or `None` when
    /// [`LIVE_CHECKS_PER_CONNECTION`] are already running (the dedupe then
    /// answers from the mirror alone).
    pub fn live_check_slot(&self, connection_id: &str) -> Option<OwnedSemaphorePermit> {
        let semaphore = self
            .live_checks
            .lock()
            .expect("live checks lock")
            .entry(connection_id.to_string())
            .or_insert_with(|| Arc::new(Semaphore::new(LIVE_CHECKS_PER_CONNECTION)))
            .clone();
        semaphore.try_acquire_owned().ok()
    }

    /// Counts a request for a token; false past the per-minute limit.
    pub fn allow_token_request(&self, token_hash: &str) -> bool {
        let now = std::time::Instant::now();
        let mut windows = self.token_windows.lock().expect("token windows lock");
        let calls = windows.entry(token_hash.to_string()).or_default();
        calls.retain(|t| now.duration_since(*t) < Duration::from_mins(1));
        if calls.len() >= self.settings.token_rate_limit {
            return false;
        }
        calls.push(now);
        true
    }

    /// Refuses a client address that used up its unauthenticated budget, with
    /// how long until one more attempt is allowed. Counts nothing.
    pub fn unauthenticated_budget_left(&self, ip: Option<IpAddr>) -> Result<(), AppError> {
        let Some(ip) = ip else { return Ok(()) };
        let now = Instant::now();
        let mut windows = self
            .unauthenticated_windows
            .lock()
            .expect("unauthenticated windows lock");
        let Some(calls) = windows.get_mut(&ip) else {
            return Ok(());
        };
        calls.retain(|t| now.duration_since(*t) < UNAUTHENTICATED_WINDOW);
        if calls.len() < self.settings.unauthenticated_rate_limit {
            return Ok(());
        }
        let oldest = calls.first().copied().unwrap_or(now);
        Err(AppError::rate_limited(
            "Too many attempts without a valid token from your address; wait a minute.",
            UNAUTHENTICATED_WINDOW.saturating_sub(now.duration_since(oldest)),
        ))
    }

    /// Counts one unauthenticated attempt (an invite accept, a refused token).
    pub fn count_unauthenticated(&self, ip: Option<IpAddr>) {
        let Some(ip) = ip else { return };
        let now = Instant::now();
        let mut windows = self
            .unauthenticated_windows
            .lock()
            .expect("unauthenticated windows lock");
        if windows.len() > 10_000 {
            // Forget addresses whose minute has passed, so the map stays small.
            windows.retain(|_, calls| {
                calls
                    .last()
                    .is_some_and(|t| now.duration_since(*t) < UNAUTHENTICATED_WINDOW)
            });
        }
        windows.entry(ip).or_default().push(now);
    }

    /// Checks, then counts, one unauthenticated attempt.
    pub fn check_unauthenticated(&self, ip: Option<IpAddr>) -> Result<(), AppError> {
        self.unauthenticated_budget_left(ip)?;
        self.count_unauthenticated(ip);
        Ok(())
    }
}

/// The window of the per-address limit on unauthenticated attempts.
const UNAUTHENTICATED_WINDOW: Duration = Duration::from_mins(1);
