//! Data the adapters exchange with the companion.

use serde::{Deserialize, Serialize};
use sourcebar_core::Candidate;

/// Providers the companion knows, whether or not an adapter exists yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderId {
    Jazzhr,
    Greenhouse,
    Lever,
    Teamtailor,
    Workable,
    Smartrecruiters,
    Ashby,
    Recruitee,
    Bamboohr,
    Personio,
    Flatchr,
    Jarvi,
}

impl ProviderId {
    /// The id on the wire (`"jazzhr"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            ProviderId::Jazzhr => "jazzhr",
            ProviderId::Greenhouse => "greenhouse",
            ProviderId::Lever => "lever",
            ProviderId::Teamtailor => "teamtailor",
            ProviderId::Workable => "workable",
            ProviderId::Smartrecruiters => "smartrecruiters",
            ProviderId::Ashby => "ashby",
            ProviderId::Recruitee => "recruitee",
            ProviderId::Bamboohr => "bamboohr",
            ProviderId::Personio => "personio",
            ProviderId::Flatchr => "flatchr",
            ProviderId::Jarvi => "jarvi",
        }
    }
}

/// A candidate as a list or search row shows it (JazzHR lists carry no email).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateSummary {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    /// `YYYY-MM-DD`.
    pub apply_date: Option<String>,
}

/// Which records a listing walks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    /// Every record: a first sync, or the slow re-list that also finds
    /// records removed from the ATS.
    Full,
    /// Records created or changed since this instant (ms since the epoch),
    /// by the provider's own filter. Adapters widen the window as their
    /// filter's grain needs (a day for a date-only filter): re-reading a
    /// record is harmless, missing one is not.
    ChangedSince(i64),
}

/// Where the next page of a listing starts. The companion stores it as
/// text and hands it back unread: a page number, an offset token or a
/// whole `Link` URL, whatever the provider pages with. It carries the
/// listing's filters, so a listing resumes the same walk after a crash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SyncCursor(pub String);

/// Where one page of a listing comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStart<'a> {
    /// The first page of a new walk.
    Begin(Listing),
    /// The page after the one that gave this cursor.
    Resume(&'a SyncCursor),
}

/// One record as a list (or a search) gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listed {
    /// Everything the mirror keeps (email, LinkedIn URL) was in the list.
    Complete(Candidate),
    /// Only what the list shows: a detail read is still needed.
    Partial(CandidateSummary),
}

impl Listed {
    /// The record's id in the ATS.
    pub fn id(&self) -> &str {
        match self {
            Listed::Complete(c) => &c.id,
            Listed::Partial(s) => &s.id,
        }
    }

    /// Its given and family names.
    pub fn names(&self) -> (&str, &str) {
        match self {
            Listed::Complete(c) => (&c.first_name, &c.last_name),
            Listed::Partial(s) => (&s.first_name, &s.last_name),
        }
    }

    /// When it was created or applied, as the ATS says (for "newest first").
    pub fn created(&self) -> Option<&str> {
        match self {
            Listed::Complete(c) => c.created_at.as_deref(),
            Listed::Partial(s) => s.apply_date.as_deref(),
        }
    }
}

/// One page of a listing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncPage {
    pub records: Vec<Listed>,
    /// Ids the ATS reports as deleted, where it reports deletions.
    pub removed: Vec<String>,
    /// Where the next page starts; `None` when this was the last.
    pub next: Option<SyncCursor>,
}

/// What an upload sends to the ATS.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCandidate {
    pub first_name: String,
    pub last_name: String,
    /// `None` only for a provider whose capabilities allow a create without
    /// one (`create_without_email`); the companion checks that rule.
    pub email: Option<String>,
    pub phone: Option<String>,
    pub profile_url: Option<String>,
    pub job_id: Option<String>,
    /// Free text stored with the record (headline, company, who uploaded).
    pub note: Option<String>,
    /// The source shown in the ATS ("Sourcebar").
    pub source: Option<String>,
}

/// A job a candidate can be added to: the contract's own shape.
pub use sourcebar_core::api::sourcing::Job;

/// Where a job is in its life, in words every ATS's states map onto.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Hiring now: the only state a job picker offers.
    Open,
    /// Not hiring (closed, filled, paused, unlisted).
    Closed,
    /// Being written; not yet hiring.
    Draft,
    /// Put away for good.
    Archived,
}

impl JobState {
    /// The word stored in the mirror and shown on the wire (`"open"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            JobState::Open => "open",
            JobState::Closed => "closed",
            JobState::Draft => "draft",
            JobState::Archived => "archived",
        }
    }

    /// The state named `word` (as [`JobState::as_str`] writes it).
    pub fn parse(word: &str) -> Option<Self> {
        [
            JobState::Open,
            JobState::Closed,
            JobState::Draft,
            JobState::Archived,
        ]
        .into_iter()
        .find(|s| s.as_str() == word)
    }
}

/// One job of the account as the job mirror keeps it: whatever its state,
/// and whether it must never be offered to anyone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedJob {
    /// Id, title, department, location and the ATS's own word for its state.
    pub job: Job,
    pub state: JobState,
    /// Confidential, private or internal-only: never offered in a picker.
    pub confidential: bool,
}
