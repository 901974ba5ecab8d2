//! ATS adapters: one module per ATS behind the [`Ats`] trait.
//!
//! The companion never talks to an ATS except through this trait, so key
//! validation, sync, dedupe fallback, upload and merge work the same for every
//! provider, and tests can put a scripted adapter in its place.

mod address;
mod error;
pub mod http;
pub mod jazzhr;
pub mod net;
pub mod rate;
pub mod registry;
mod secret;
mod types;

pub use address::AccountAddress;
pub use error::AtsError;
pub use rate::{BudgetExhausted, Permit, RateBudget, SharedLedger};
pub use secret::ApiKey;
pub use types::{AttachedLink, CandidatePage, CandidateSummary, Job, NewCandidate, ProviderId};

use async_trait::async_trait;
use sourcebar_core::providers::Capabilities;
use sourcebar_core::Candidate;
use std::sync::Arc;

/// Who is asking: interactive calls (a user waits) are served before
/// background sync when the per-connection rate budget is short.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Priority {
    /// A user is waiting: key validation, dedupe fallback, upload, merge.
    Interactive,
    /// Sync and refresh: may wait as long as needed.
    Background,
}

/// One ATS account reached with one API key.
///
/// Every method spends from the connection's rate budget at the given
/// priority; adapters retry 429/5xx/timeouts themselves with jittered backoff.
#[async_trait]
pub trait Ats: Send + Sync {
    /// Which ATS this is.
    fn provider(&self) -> ProviderId;

    /// Where a person opens this candidate in the ATS's web app, from the
    /// connection's settings (`None`: the ATS has no such page).
    fn record_url(&self, candidate_id: &str) -> Option<String>;

    /// Checks the key with the ATS's cheapest authenticated call.
    async fn validate_key(&self) -> Result<(), AtsError>;

    /// One page of candidates, newest first where the ATS allows (1-based).
    async fn list_candidates(
        &self,
        page: u32,
        priority: Priority,
    ) -> Result<CandidatePage, AtsError>;

    /// The full record of one candidate (with email and LinkedIn URL).
    async fn get_candidate(&self, id: &str, priority: Priority) -> Result<Candidate, AtsError>;

    /// Candidates whose name loosely matches `name` (first page only).
    async fn search_by_name(
        &self,
        name: &str,
        priority: Priority,
    ) -> Result<Vec<CandidateSummary>, AtsError>;

    /// Every candidate whose name loosely matches `name`, up to `max_pages`
    /// pages (a loose filter can bury an exact match past the first page).
    async fn search_by_name_pages(
        &self,
        name: &str,
        max_pages: u32,
        priority: Priority,
    ) -> Result<Vec<CandidateSummary>, AtsError> {
        let _ = max_pages;
        self.search_by_name(name, priority).await
    }

    /// Creates a candidate; returns its ATS id.
    async fn create_candidate(&self, new: &NewCandidate) -> Result<String, AtsError>;

    /// Adds a note to a candidate's record.
    async fn add_note(&self, candidate_id: &str, text: &str) -> Result<(), AtsError>;

    /// Whether a note containing `marker` is already on the candidate's
    /// record, so that a note whose answer was lost is not written twice.
    /// `None`: this ATS cannot read notes back.
    async fn note_exists(
        &self,
        candidate_id: &str,
        marker: &str,
    ) -> Result<Option<bool>, AtsError> {
        let _ = (candidate_id, marker);
        Ok(None)
    }

    /// Attaches a profile URL; where the ATS has no field for it, as a note.
    async fn attach_link(&self, candidate_id: &str, url: &str) -> Result<AttachedLink, AtsError>;

    /// Adds an existing candidate to a job.
    async fn add_to_job(&self, candidate_id: &str, job_id: &str) -> Result<(), AtsError>;

    /// Open jobs, confidential and private ones left out.
    async fn list_open_jobs(&self) -> Result<Vec<Job>, AtsError>;

    /// Candidates created (or changed, where the ATS knows) on or after
    /// `since` (`YYYY-MM-DD`), all pages.
    async fn changes_since(
        &self,
        since: &str,
        priority: Priority,
    ) -> Result<Vec<CandidateSummary>, AtsError>;
}

/// What a provider's public API lets Sourcebar do; `None` where no adapter
/// exists yet. Generic code asks this, never the provider's name.
#[must_use]
pub fn capabilities(provider: ProviderId) -> Option<Capabilities> {
    registry::provider(provider)
        .adapter
        .as_ref()
        .map(|a| a.capabilities)
}

/// Builds the adapter for one connection with a budget of its own.
/// The address's `base_url` points a connection at a sandbox or a regional
/// endpoint (`None`: the ATS's public API); its settings name the account.
///
/// Providers without an adapter yet answer [`AtsError::Ats`]: the companion
/// never pretends a key is valid.
pub fn connect(
    provider: ProviderId,
    address: AccountAddress<'_>,
    api_key: ApiKey,
) -> Result<Arc<dyn Ats>, AtsError> {
    let budget = Arc::new(registry::provider(provider).budget());
    connect_with_budget(provider, address, api_key, budget)
}

/// Like [`connect`], paying from a budget shared by every user of the connection.
pub fn connect_with_budget(
    provider: ProviderId,
    address: AccountAddress<'_>,
    api_key: ApiKey,
    budget: Arc<RateBudget>,
) -> Result<Arc<dyn Ats>, AtsError> {
    connect_reaching(provider, address, api_key, budget, net::Reach::Any)
}

/// Like [`connect_with_budget`], connecting only where `reach` allows.
pub fn connect_reaching(
    provider: ProviderId,
    address: AccountAddress<'_>,
    api_key: ApiKey,
    budget: Arc<RateBudget>,
    reach: net::Reach,
) -> Result<Arc<dyn Ats>, AtsError> {
    match &registry::provider(provider).adapter {
        Some(adapter) => (adapter.connect)(address, api_key, budget, reach),
        None => Err(AtsError::Ats(format!(
            "no adapter for {} yet",
            provider.as_str()
        ))),
    }
}
