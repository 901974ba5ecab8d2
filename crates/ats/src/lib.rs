//! ATS adapters: one module per ATS behind the [`Ats`] trait.
//!
//! The companion never talks to an ATS except through this trait, so key
//! validation, sync, dedupe fallback, upload and merge work the same for every
//! provider, and tests can put a scripted adapter in its place.

mod address;
pub mod ashby;
pub mod bamboohr;
mod error;
mod fields;
pub mod greenhouse;
pub mod http;
pub mod jazzhr;
pub mod lever;
pub mod net;
pub mod personio;
pub mod rate;
pub mod recruitee;
pub mod registry;
mod secret;
pub mod smartrecruiters;
pub mod teamtailor;
mod types;
pub mod when;
pub mod workable;

pub use address::AccountAddress;
pub use error::AtsError;
pub use rate::{BudgetExhausted, Permit, RateBudget, SharedLedger};
pub use secret::ApiKey;
pub use types::{
    CandidateSummary, Job, JobState, Listed, ListedJob, Listing, NewCandidate, PageStart,
    ProviderId, SyncCursor, SyncPage,
};

use async_trait::async_trait;
use sourcebar_core::api::applications::Application;
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

    /// One page of a listing: the first of a new walk, or the one after a
    /// cursor an earlier page gave. Records come as complete as the list
    /// makes them; partial ones are read in detail with [`Ats::get_candidate`].
    async fn list_page(
        &self,
        start: PageStart<'_>,
        priority: Priority,
    ) -> Result<SyncPage, AtsError>;

    /// The full record of one candidate (with email and LinkedIn URL).
    async fn get_candidate(&self, id: &str, priority: Priority) -> Result<Candidate, AtsError>;

    /// Candidates with this email address, where the ATS can search by
    /// email (`capabilities.email_search`).
    async fn search_by_email(
        &self,
        email: &str,
        priority: Priority,
    ) -> Result<Vec<Listed>, AtsError> {
        let _ = (email, priority);
        Err(AtsError::Unsupported("search candidates by email"))
    }

    /// Candidates whose name loosely matches `name`, up to `max_pages`
    /// pages (a loose filter can bury an exact match past the first page),
    /// where the ATS can search by name (`capabilities.name_search`).
    async fn search_by_name(
        &self,
        name: &str,
        max_pages: u32,
        priority: Priority,
    ) -> Result<Vec<Listed>, AtsError> {
        let _ = (name, max_pages, priority);
        Err(AtsError::Unsupported("search candidates by name"))
    }

    /// Creates a candidate; returns its ATS id. A failure that
    /// `is_transient()` may still have created it (the answer was lost):
    /// the caller looks for it before trying again.
    async fn create_candidate(&self, new: &NewCandidate) -> Result<String, AtsError>;

    /// Adds a note to a candidate's record (`capabilities.notes`).
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

    /// Adds a profile URL to an existing record's own link field, where the
    /// ATS can (`capabilities.link_update`); elsewhere it goes in a note.
    /// Adding a link the record already has changes nothing.
    async fn add_link(&self, candidate_id: &str, url: &str) -> Result<(), AtsError> {
        let _ = (candidate_id, url);
        Err(AtsError::Unsupported("add a link to an existing candidate"))
    }

    /// Adds an existing candidate to a job.
    async fn add_to_job(&self, candidate_id: &str, job_id: &str) -> Result<(), AtsError>;

    /// Open jobs, confidential and private ones left out.
    async fn list_open_jobs(&self) -> Result<Vec<Job>, AtsError>;

    /// A candidate's applications (job, stage, status), read from the ATS
    /// now, where it has them (`capabilities.applications`).
    async fn list_applications(
        &self,
        candidate_id: &str,
        priority: Priority,
    ) -> Result<Vec<Application>, AtsError> {
        let _ = (candidate_id, priority);
        Err(AtsError::Unsupported("list a candidate's applications"))
    }

    /// The full record and, where the same read carries them, its
    /// applications (`None`: that read does not), so a sync keeps both for
    /// the price of one call.
    async fn get_candidate_with_applications(
        &self,
        id: &str,
        priority: Priority,
    ) -> Result<(Candidate, Option<Vec<Application>>), AtsError> {
        Ok((self.get_candidate(id, priority).await?, None))
    }

    /// Every job of the account, whatever its state, confidential ones
    /// marked as such: what the companion's job mirror keeps, so a job
    /// closed or deleted in the ATS leaves the picker at the next sync.
    async fn list_jobs(&self, priority: Priority) -> Result<Vec<ListedJob>, AtsError> {
        let _ = priority;
        Err(AtsError::Unsupported("list every job"))
    }
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
