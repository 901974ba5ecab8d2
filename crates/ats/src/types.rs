//! Data the adapters exchange with the companion.

use serde::{Deserialize, Serialize};

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

/// One page of a candidate listing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CandidatePage {
    pub rows: Vec<CandidateSummary>,
    /// Whether another page may follow.
    pub has_more: bool,
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

/// How a link ended up on the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttachedLink {
    /// Stored in the ATS's own field.
    Field,
    /// The ATS has no writable field: stored as a note.
    Note,
}

/// A job a candidate can be added to: the contract's own shape.
pub use sourcebar_core::api::sourcing::Job;
